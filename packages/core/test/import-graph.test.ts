// The core's modules import one another without a circle, type imports included: the types live
// in types.ts (with the two leaves it reads, errors.ts and operation.ts), and the modules with
// values depend on them, never the other way round.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const src = join(__dirname, '..', 'src')

/** Each module's relative imports and re-exports (`import type` included), by file name. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const file of readdirSync(src).filter((name) => name.endsWith('.ts'))) {
    const text = readFileSync(join(src, file), 'utf8')
    const targets = [...text.matchAll(/^(?:import|export)\b[^;]*?\bfrom '\.\/([\w-]+)\.js'/gms)].map((m) => `${m[1]}.ts`)
    graph.set(file, [...new Set(targets)])
  }
  return graph
}

/** Every circle as a path of files (the first file repeated at the end). */
function circles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = []
  const done = new Set<string>()
  const visit = (file: string, path: string[]) => {
    const at = path.indexOf(file)
    if (at !== -1) return void found.push([...path.slice(at), file])
    if (done.has(file)) return
    for (const next of graph.get(file) ?? []) visit(next, [...path, file])
    done.add(file)
  }
  for (const file of graph.keys()) visit(file, [])
  return found
}

describe('core import graph', () => {
  it('reads the imports it checks (a circle made up for the test is found)', () => {
    const graph = importGraph()
    expect(graph.get('request.ts')).toContain('types.ts')
    expect(graph.get('index.ts')).toContain('client.ts')
    expect(circles(new Map([...graph, ['types.ts', [...(graph.get('types.ts') ?? []), 'request.ts']]]))).not.toEqual([])
  })

  it('has no circle, type imports included', () => {
    expect(circles(importGraph())).toEqual([])
  })
})
