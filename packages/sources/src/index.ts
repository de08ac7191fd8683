// @edgestripe/sources: the generated operations, types and plugin (src/generated/, written by
// scripts/codegen/domains.ts), then the hand-written helpers.

export type { StripeObject } from '@edgestripe/core/schema'
export * from './events.js'
export * from './generated/functions.js'
export * from './generated/operations.js'
export * from './generated/params.js'
export * from './generated/plugin.js'
export * from './generated/resources.js'
export type * from './generated/types.js'
export * from './poll-source.js'
