import { type BaseIssue, type GenericSchema, safeParse } from 'valibot'
import type { ValidationIssue } from './hooks'

/** Runs a schema; returns `undefined` when valid, else issues with dotted paths. */
export function check(schema: GenericSchema, value: unknown): ValidationIssue[] | undefined {
  const result = safeParse(schema, value, { abortPipeEarly: true })
  return result.success ? undefined : result.issues.map(toIssue)
}

function toIssue(issue: BaseIssue<unknown>): ValidationIssue {
  const path = issue.path?.map((item) => String(item.key)).join('.') ?? ''
  return { path, message: issue.message }
}

/** `owner.address.city` → `owner[address][city]`, the way Stripe names a param. */
export function bracketPath(path: string): string {
  const [head, ...rest] = path.split('.')
  return head + rest.map((key) => `[${key}]`).join('')
}
