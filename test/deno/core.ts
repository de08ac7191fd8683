// `@edgestripe/core` for Deno: the BUILT module, typed by its emitted declarations (@ts-types).
// @ts-expect-error (not @ts-expect-error) is for the root tsconfig, which also sees this file: it errs
// only when it runs before a build.
// @ts-types="../../packages/core/dist/index.d.ts"
// biome-ignore lint/suspicious/noTsIgnore: an error only when dist/ is not built yet
// @ts-ignore
export * from '../../packages/core/dist/index.js'
