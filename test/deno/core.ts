// `@edgestripe/core` for Deno: the BUILT module, typed by its emitted declarations (@ts-types).
// @ts-types="../../packages/core/dist/index.d.ts"
export * from '../../packages/core/dist/index.js'
