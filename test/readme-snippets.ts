// The code blocks of the READMEs (the root one, packages/*/README.md, examples/*/README.md), for
// test/readme-snippets.test.ts: every ```ts block is typechecked as a module of its own, and the
// blocks fenced ```ts run are also run against the emulator.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

export const root = join(import.meta.dirname, '..')

export interface Snippet {
  /** `packages/treasury/README.md:12` (the fence's line) */
  where: string
  /** a file name for the block: `packages-treasury-README-12.ts` */
  name: string
  code: string
  /** fenced ```ts run: run it against the emulator too */
  run: boolean
}

export function readmes(): string[] {
  const files = [join(root, 'README.md')]
  for (const dir of ['packages', 'examples']) {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const file = join(root, dir, name, 'README.md')
      if (existsSync(file)) files.push(file)
    }
  }
  return files
}

/** The ```ts / ```typescript blocks of a markdown file (indented ones too, as in list items). */
export function snippetsOf(file: string): Snippet[] {
  const lines = readFileSync(file, 'utf8').split('\n')
  const out: Snippet[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(ts|typescript)\b(.*)$/.exec(lines[i] as string)
    if (!open) continue
    const indent = (open[1] as string).length
    const start = i
    const body: string[] = []
    for (i++; i < lines.length && !/^\s*```\s*$/.test(lines[i] as string); i++) body.push((lines[i] as string).slice(indent))
    const rel = relative(root, file)
    out.push({
      where: `${rel}:${start + 1}`,
      name: `${rel.replace(/[/.]/g, '-')}-${start + 1}.ts`,
      code: body.join('\n'),
      run: /\brun\b/.test(open[3] as string),
    })
  }
  return out
}

export const allSnippets = (): Snippet[] => readmes().flatMap(snippetsOf)
