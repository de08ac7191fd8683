import { libraryConfig } from '../../vite.lib'

export default libraryConfig(import.meta.dirname, {
  index: 'src/index.ts',
  schema: 'src/schema.ts',
  ofetch: 'src/ofetch.ts',
  logging: 'src/logging.ts',
})
