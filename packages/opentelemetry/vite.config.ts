import { libraryConfig } from '../../vite.lib'

export default libraryConfig(import.meta.dirname)
