// @edgestripe/treasury/test-helpers: the 13 `/v1/test_helpers/treasury/*` operations (test mode
// only), in their own entry so production bundles never carry them. Generated (src/generated/).
export * from './generated/test-helpers-functions.js'
export * from './generated/test-helpers-operations.js'
export * from './generated/test-helpers-params.js'
export * from './generated/test-helpers-plugin.js'
