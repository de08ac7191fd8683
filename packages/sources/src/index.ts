// @edgestripe/sources: the generated operations, types and plugin (src/generated/, written by
// scripts/codegen/domains.ts), then the hand-written helpers.

export * from './events'
export type { StripeObject } from './generated/_schema'
export * from './generated/functions'
export * from './generated/operations'
export * from './generated/params'
export * from './generated/plugin'
export * from './generated/resources'
export type * from './generated/types'
export * from './poll-source'
