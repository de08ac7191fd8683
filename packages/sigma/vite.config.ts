import { libraryConfig } from '../../vite.lib'

export default libraryConfig(import.meta.dirname, { index: 'src/index.ts', deep: 'src/deep.ts' })
