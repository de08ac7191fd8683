import { type BaseIssue, type GenericSchema, getGlobalConfig } from 'valibot'
import { StripeValidationError } from './errors.js'
import type { ValidationIssue } from './hooks.js'
import type { Operation } from './operation.js'
import type { ResponseMeta } from './types.js'

/**
 * Runs a schema; returns `undefined` when valid, else issues with dotted paths. Does what
 * `safeParse` does (valibot's global config included) without bundling `safeParse` and its result
 * object: `getGlobalConfig` is in every bundle with a schema anyway. (List responses check their
 * items on a fast path first: `list()` in schema.ts.)
 */
export function check(schema: GenericSchema, value: unknown): ValidationIssue[] | undefined {
  return schema['~run']({ value }, getGlobalConfig({ abortPipeEarly: true })).issues?.map(toIssue)
}

function toIssue(issue: BaseIssue<unknown>): ValidationIssue {
  const deep = deepest(issue, keys(issue))
  return { path: deep.keys.join('.'), message: deep.message }
}

const keys = (issue: BaseIssue<unknown>): string[] => issue.path?.map((item) => String(item.key)) ?? []

/**
 * A union's issue holds each branch's issues, with paths relative to the union's value: the
 * deepest one names the param that is wrong.
 */
function deepest(issue: BaseIssue<unknown>, path: string[]): { keys: string[]; message: string } {
  let best = { keys: path, message: issue.message }
  for (const sub of issue.issues ?? []) {
    const candidate = deepest(sub, [...path, ...keys(sub)])
    if (candidate.keys.length > best.keys.length) best = candidate
  }
  return best
}

/** `owner.address.city` → `owner[address][city]`, the way Stripe names a param. */
export function bracketPath(path: string): string {
  return path.replace(/\.([^.]*)/g, '[$1]')
}

/** The error for bad params, path params, options or (strict) response: names the operation and the param. */
export function _invalid(
  operation: Operation,
  where: 'params' | 'path' | 'options' | 'response',
  issues: ValidationIssue[],
  meta?: ResponseMeta,
  Class = StripeValidationError,
): StripeValidationError {
  const first = issues[0]!
  const param = where === 'response' ? first.path : bracketPath(first.path)
  return new Class({
    ...meta, // statusCode, requestId, headers
    message: `Invalid ${where} for ${operation.operationId}: ${param || '(root)'}: ${first.message}${issues.length > 1 ? ` (+${issues.length - 1} more)` : ''}`,
    raw: { type: 'invalid_request_error', param },
    issues,
  })
}
