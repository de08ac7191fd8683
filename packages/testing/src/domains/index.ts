import { financialConnections } from './financial-connections.js'
import { identity } from './identity.js'
import { reporting } from './reporting.js'
import { sigma } from './sigma.js'
import { sources } from './sources.js'
import { treasury } from './treasury.js'
import { webhookEndpoints } from './webhook-endpoints.js'

export { type FinancialConnectionsControl, financialConnections } from './financial-connections.js'
export { type IdentityControl, identity } from './identity.js'
export { type ReportingControl, reporting } from './reporting.js'
export { type ScheduledQueryRunSeed, sigma } from './sigma.js'
export { type SourcesControl, sources } from './sources.js'
export { treasury } from './treasury.js'
export { webhookEndpoints } from './webhook-endpoints.js'

/** The domains `createEmulator()` serves by default. Adding a domain: its module, then one line here. */
export const DEFAULT_DOMAINS = [sources, treasury, reporting, sigma, financialConnections, identity, webhookEndpoints] as const

export type DefaultDomains = typeof DEFAULT_DOMAINS
