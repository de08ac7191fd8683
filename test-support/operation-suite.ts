// The contract suite every domain entry runs: all its operations, driven three ways (the generic
// `request` over `operations`, each exported per-operation function, each plugin method) against
// the spec-checking fixture server; and every fixture of both sets parsed through the response
// schemas with nothing lost. The list of calls comes from the spec and the exports, not from
// hand-written expectations.
import { createStripe, type Operation, request, type StripeClient } from '@edgestripe/core'
import { type GenericSchema, parse } from 'valibot'
import { describe, expect, it } from 'vitest'
import { typeNameOf } from '../scripts/codegen/domains-resources'
import { DOMAIN_RESOURCES, type Domain, type Json, type OperationInfo, pathParams, responseSchema } from '../scripts/codegen/domains-spec'
import {
  createFixtureServer,
  FIXTURES,
  type FixtureSet,
  fixtureFor,
  formShape,
  operationsOf,
  responseVariants,
  sampleParams,
  spec,
} from './fixture-server'

export interface SuiteInput {
  domain: Domain
  entry: OperationInfo['entry']
  /** The entry's `operations` record. */
  operations: Record<string, Operation>
  /** The entry's module (the package index or test-helpers entry). */
  module: Record<string, unknown>
  /** The generated per-operation functions module (to tell them from hand-written helpers). */
  functions: Record<string, unknown>
  plugin: (client: StripeClient) => object
}

const pathFor = (info: OperationInfo) => pathParams(info.path).map((name) => `${name}_123`)

function fixtureClient(set: FixtureSet = '2024-04-10', variant?: string) {
  const server = createFixtureServer({ fixtures: set, variant })
  const client = createStripe({ apiKey: 'sk_test_123', fetch: server.fetch, maxRetries: 0, validateResponses: 'strict' })
  return { server, client }
}

/** A client that records which operation a call makes, without checking anything. */
function discoveryClient() {
  const seen: string[] = []
  const client = createStripe({
    apiKey: 'sk_test_123',
    // One body for every operation: not each one's kind of object, so calls reject after the hook has run.
    fetch: async () => Response.json({ id: 'x', object: 'x' }),
    maxRetries: 0,
    validateParams: false,
    validateResponses: 'off',
  })
  client.hooks.hook('request:before', (ctx) => {
    seen.push(ctx.operation.operationId)
  })
  return { client, seen }
}

export function operationSuite(input: SuiteInput): void {
  const infos = operationsOf(input.domain, input.entry)
  const byId = new Map(infos.map((i) => [i.operationId, i]))

  describe(`${input.domain}/${input.entry}: operations`, () => {
    it('has exactly the spec operations (+ overlay)', () => {
      expect(Object.keys(input.operations).sort()).toEqual(infos.map((i) => i.operationId).sort())
      for (const info of infos) {
        const op = input.operations[info.operationId]!
        expect({ operationId: op.operationId, method: op.method, path: op.path, auth: op.auth }).toEqual({
          operationId: info.operationId,
          method: info.method,
          path: info.path,
          auth: info.auth,
        })
      }
    })

    it.each(infos.map((i) => [i.operationId, i] as const))('request(%s) with required and with all params', async (_, info) => {
      const op = input.operations[info.operationId]!
      for (const mode of ['required', 'all'] as const) {
        const { server, client } = fixtureClient()
        const path = Object.fromEntries(pathParams(info.path).map((name) => [name, `${name}_123`]))
        const params = sampleParams(info, mode)
        const result = await request(client, op, { path, params } as never)
        expect(server.rejected).toEqual([])
        expect(server.requests).toHaveLength(1)
        const seen = server.requests[0]!
        expect(seen.operationId).toBe(info.operationId)
        expect(seen.pathParams).toEqual(path)
        expect(seen.params).toEqual(formShape(params))
        expect(result).toEqual(fixtureFor(responseSchema(info.op), '2024-04-10', seen.path))
        expect(result.lastResponse.statusCode).toBe(200)
      }
    })
  })

  if (input.entry === 'index')
    it(`${input.domain}: the package root holds functions, helpers and types, not the operation constants (they are in /operations)`, () => {
      expect(Object.keys(input.module)).not.toContain('operations')
      for (const info of infos) expect(Object.keys(input.module), info.operationId).not.toContain(info.operationId)
    })

  describe(`${input.domain}/${input.entry}: per-operation functions`, () => {
    const generated = Object.entries(input.functions).filter(([, fn]) => typeof fn === 'function') as [
      string,
      (...a: unknown[]) => Promise<unknown>,
    ][]

    it('exports one function per operation, each from the entry', async () => {
      const found: string[] = []
      for (const [name, fn] of generated) {
        expect(input.module[name], name).toBe(fn)
        const { client, seen } = discoveryClient()
        const nPath = fn.length - 3
        await fn(client, ...Array.from({ length: nPath }, (_, i) => `p${i}`), {}, undefined).catch(() => {})
        expect(seen, name).toHaveLength(1)
        found.push(seen[0]!)
        expect(byId.get(seen[0]!)?.fn, name).toBe(name)
      }
      expect(found.sort()).toEqual([...byId.keys()].sort())
    })

    it.each(generated.map(([name, fn]) => [name, fn] as const))('%s() against the fixture server', async (name, fn) => {
      const info = infos.find((i) => i.fn === name)!
      const { server, client } = fixtureClient()
      const params = sampleParams(info, 'all')
      const result = await fn(client, ...pathFor(info), params, { idempotencyKey: `key-${name}` })
      expect(server.rejected).toEqual([])
      expect(server.requests.map((r) => r.operationId)).toEqual([info.operationId])
      expect(server.requests[0]!.params).toEqual(formShape(params))
      if (info.method === 'POST') expect(server.requests[0]!.headers.get('idempotency-key')).toBe(`key-${name}`)
      expect(result).toEqual(fixtureFor(responseSchema(info.op), '2024-04-10', server.requests[0]!.path))
    })
  })

  describe(`${input.domain}/${input.entry}: plugin`, () => {
    it('registers every operation once, bound to the client', async () => {
      const found: string[] = []
      const { client, seen } = discoveryClient()
      const api = input.plugin(client)
      const walk = async (node: object, at: string): Promise<void> => {
        for (const [key, value] of Object.entries(node)) {
          if (typeof value === 'function') {
            const before = seen.length
            await value(...Array.from({ length: value.length - 2 }, (_, i) => `p${i}`), {}, undefined).catch(() => {})
            expect(seen.length - before, `${at}${key}`).toBe(1)
            const id = seen[seen.length - 1]!
            expect(byId.get(id)?.plugin, id).toBe(`${at}${key}`)
            found.push(id)
          } else await walk(value, `${at}${key}.`)
        }
      }
      await walk(api, '')
      expect(found.sort()).toEqual([...byId.keys()].sort())
    })

    it('works through createStripe({ plugins })', async () => {
      const server = createFixtureServer()
      const client = createStripe({ apiKey: 'sk_test_123', fetch: server.fetch, plugins: [input.plugin] })
      const info = infos[0]!
      let node: unknown = client
      for (const part of info.plugin.split('.')) node = (node as Record<string, unknown>)[part]
      await (node as (...a: unknown[]) => Promise<unknown>)(...pathFor(info), sampleParams(info, 'required'))
      expect(server.requests.map((r) => r.operationId)).toEqual([info.operationId])
    })
  })

  describe(`${input.domain}/${input.entry}: fixtures parse losslessly`, () => {
    for (const set of Object.keys(FIXTURES) as FixtureSet[]) {
      it.each(infos.map((i) => [i.operationId, i] as const))(`%s response (${set})`, (_, info) => {
        const fixture = fixtureFor(responseSchema(info.op), set)
        const output = parse(input.operations[info.operationId]!.response, fixture)
        expect(output).toEqual(fixture)
      })
      // anyOf responses (customer sources): every alternative, not only the one the server prefers,
      // parsed through the op's response schema and answered through `request` (strict checks).
      const polymorphic = infos.flatMap((info) =>
        responseVariants(responseSchema(info.op)).map((variant) => [info.operationId, variant, info] as const),
      )
      if (polymorphic.length)
        it.each(polymorphic)(`%s response, anyOf variant %s (${set})`, async (_, variant, info) => {
          const op = input.operations[info.operationId]!
          const fixture = fixtureFor(responseSchema(info.op), set, '/v1/x', variant)
          const one = (fixture.object === 'list' ? fixture.data[0] : fixture) as Json
          expect(one.object).toBe(spec.components.schemas[variant].properties.object.enum[0])
          expect(parse(op.response, fixture)).toEqual(fixture)
          const { server, client } = fixtureClient(set, variant)
          const path = Object.fromEntries(pathParams(info.path).map((name) => [name, `${name}_123`]))
          const result = await request(client, op, { path, params: sampleParams(info, 'required') } as never)
          expect(server.rejected).toEqual([])
          expect(result).toEqual(fixtureFor(responseSchema(info.op), set, server.requests[0]!.path, variant))
        })
      const resources = (DOMAIN_RESOURCES[input.domain] ?? []).filter((id) => input.entry === 'index' && typeNameOf(id) in input.module)
      it.each(resources)(`resource schema of %s (${set})`, (id) => {
        const fixture = structuredClone(FIXTURES[set][id])
        expect(fixture).toBeDefined()
        expect(parse(input.module[typeNameOf(id)] as GenericSchema, fixture)).toEqual(fixture)
      })
    }
  })
}
