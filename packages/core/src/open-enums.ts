// Open enums in params. The generated schemas list the enum values of the spec's API version
// (2024-04-10 + what stripe-node 23.1.0 knows) and refuse others: a typo never reaches Stripe.
// A client on a newer API version (or with `openEnums: true`) may need a value added since:
// then a string outside an enum is accepted, reported through the `enum:unknown` hook, and sent.

import type { BaseIssue } from 'valibot'
import type { ValidationIssue } from './errors.js'
import type { RequestOptions, StripeClient } from './types.js'
import { _issueOf, bracketPath } from './validate.js'

/** The API version the generated enums are complete for. Kept here (not imported from client.ts) so this file stands alone. */
const GENERATED_API_VERSION = '2024-04-10'

/**
 * Whether unknown enum values pass for this call: `options.openEnums`, else the client's
 * `openEnums`, else whether the call's API version is newer than the generated one
 * (`2026-10-28.endive` > `2024-04-10`: dates compare as text).
 */
export function _enumsOpen(client: StripeClient, options: RequestOptions): boolean {
  const explicit = options.openEnums ?? client.config.openEnums
  if (explicit !== undefined) return explicit
  return (options.apiVersion ?? client.config.apiVersion) > GENERATED_API_VERSION
}

/**
 * Splits param issues into "a string outside an enum" (a picklist's issue, or a union's with one
 * among its branches': `unsettable(picklist)`) — those values, by bracket path, which `request` reports
 * through `enum:unknown` (`where: 'params'`) and sends — and every other issue (`rest`).
 */
export function _splitUnknownEnums(issues: ValidationIssue[]): {
  accepted: { path: string; value: string }[]
  rest: ValidationIssue[]
} {
  const accepted: { path: string; value: string }[] = []
  const rest: ValidationIssue[] = []
  for (const issue of issues) {
    const raw = _issueOf(issue)
    if (_isUnknownEnum(raw)) accepted.push({ path: bracketPath(issue.path), value: raw.input })
    else rest.push(issue)
  }
  return { accepted, rest }
}

/** A picklist's issue for a string (not ''), or a union's with one among its branches' (`unsettable(picklist)`). */
export function _isUnknownEnum(issue: BaseIssue<unknown> | undefined): issue is BaseIssue<unknown> & { input: string } {
  return (
    typeof issue?.input === 'string' &&
    issue.input !== '' &&
    (issue.type === 'picklist' || !!issue.issues?.some((sub) => !sub.path && _isUnknownEnum(sub)))
  )
}
