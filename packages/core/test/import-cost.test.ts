// What Node loads on `import '@edgestripe/core'`: the core's own files and hookable (its hooks),
// nothing else. valibot
// (~6 ms to load on the bench machine) comes with the domain packages' schemas: `check()` runs a
// schema through its own `~standard.validate` (validate.ts), so core imports nothing from valibot
// at run time; strict() and dict() carry a `~standard` of their own so that it refuses arrays too.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { dict, strict } from '../src/schema'
import { check } from '../src/validate'

const dist = join(import.meta.dirname, '..', 'dist')

/** The specifiers a built module imports (static `import … from` and bare `import '…'`). */
const importsOf = (file: string) =>
  [...readFileSync(join(dist, file), 'utf8').matchAll(/^import\s(?:[^'"]*?\sfrom\s)?["']([^"']+)["']/gm)].map((match) => match[1]!)

describe("core's import cost", () => {
  it('dist/index.js loads only its own chunks and hookable: not valibot', () => {
    const seen = new Set<string>()
    const visit = (file: string) => {
      if (seen.has(file)) return
      seen.add(file)
      for (const specifier of importsOf(file)) {
        if (specifier === 'hookable') continue
        expect(specifier, `${file} imports ${specifier}`).toMatch(/^\.\//)
        visit(specifier.slice(2))
      }
    }
    visit('index.js')
    expect(seen.size).toBeGreaterThan(1) // the shared chunk was followed
  })

  it('strict() and dict() refuse an array through ~standard as through ~run, and check() agrees with valibot', () => {
    const schemas = [strict({ a: v.optional(v.string()) }), dict(v.string())]
    fc.assert(
      fc.property(fc.constantFrom(...schemas), fc.jsonValue(), (schema, value) => {
        const viaRun = schema['~run']({ value }, v.getGlobalConfig()).issues?.map((issue) => issue.message)
        const viaStandard = (schema['~standard'].validate(value) as { issues?: { message: string }[] }).issues?.map(
          (issue) => issue.message,
        )
        expect(viaStandard).toEqual(viaRun)
        expect(check(schema, value)?.map((issue) => issue.message)).toEqual(viaRun)
      }),
    )
    for (const schema of schemas) expect(check(schema, [])?.[0]?.message).toMatch(/received Array/)
  })
})
