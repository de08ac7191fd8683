// Deep response validation, opt-in: `@edgestripe/<domain>/deep` exports a `deepSchemas` plugin
// (generated: the package's full-depth response schemas by operationId) that registers here.
// With `validateResponses: 'deep'` or `'deep-strict'`, the request path hands each response to
// the `response:deep` hook; the schema of its operation replaces the shallow check's issues with
// every issue at every depth. A string outside an enum is no failure (newer API versions add
// values): it is reported through `enum:unknown` (`where: 'response'`). Nothing here is bundled
// unless a deep entry is imported.
import type { GenericSchema } from 'valibot'
import { _emit } from './call.js'
import { _isUnknownEnum } from './open-enums.js'
import type { StripeClient } from './types.js'
import { _issueOf, check } from './validate.js'

/** Registers a package's full-depth response schemas (by operationId) on a client. */
export function _registerDeepSchemas(client: StripeClient, schemas: Record<string, GenericSchema>): void {
  client.hooks.hook('response:deep', async (ctx) => {
    const schema = schemas[ctx.operation.operationId]
    if (!schema) return
    const issues = check(schema, ctx.data) ?? []
    ctx.issues = issues.filter((issue) => !_isUnknownEnum(_issueOf(issue)))
    for (const issue of issues) {
      const raw = _issueOf(issue)
      if (_isUnknownEnum(raw)) {
        await _emit(client, ctx.call, 'enum:unknown', {
          call: ctx.call,
          operation: ctx.operation,
          where: 'response',
          path: issue.path,
          value: raw.input,
        })
      }
    }
  })
}
