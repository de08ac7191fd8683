// @edgestripe/sources/deep: full-depth response schemas and the `deepSchemas` plugin (opt-in:
// `createStripe({ apiKey, validateResponses: 'deep', plugins: [deepSchemas] })`). Nothing here is
// bundled unless this entry is imported.
export { deepResponses, deepSchemas } from './generated/deep.js'
