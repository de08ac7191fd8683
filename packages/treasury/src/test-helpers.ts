// @edgestripe/treasury/test-helpers: the 13 `/v1/test_helpers/treasury/*` operations (test mode
// only), in their own entry so production bundles never carry them. Generated (src/generated/).
export * from './generated/test-helpers-functions'
export * from './generated/test-helpers-operations'
export * from './generated/test-helpers-params'
export * from './generated/test-helpers-plugin'
