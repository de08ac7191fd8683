import { libraryConfig } from '../../vite.lib'

// One module per entry (shared code in one chunk), not one per source file: Node loads ~20 fewer
// files on `import '@edgestripe/core'` (about half the import time); bundlers still tree-shake it.
export default libraryConfig(
  import.meta.dirname,
  { index: 'src/index.ts', schema: 'src/schema.ts', ofetch: 'src/ofetch.ts', logging: 'src/logging.ts' },
  { preserveModules: false },
)
