import { libraryConfig } from '../../vite.lib'

export default libraryConfig(import.meta.dirname, { index: 'src/index.ts', 'test-helpers': 'src/test-helpers.ts', deep: 'src/deep.ts' })
