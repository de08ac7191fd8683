// Shared library build for every package: ESM only, one output module per source module (so
// bundlers tree-shake per file) unless a package asks for one module per entry (`preserveModules:
// false`: fewer files for Node to load; shared code goes to a chunk), dependencies left external,
// with source maps into the published src/. Types (and declaration maps) come from tsc
// (tsconfig.build.json).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { defineConfig, type UserConfig } from 'vite'

export function libraryConfig(
  dir: string,
  entries: Record<string, string> = { index: 'src/index.ts' },
  { preserveModules = true }: { preserveModules?: boolean } = {},
): UserConfig {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  const deps = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies })
  // `node:` built-ins stay imports (only a package's Node-only entries may use them)
  const external = (id: string) =>
    deps.some((dep) => id === dep || id.startsWith(`${dep}/`)) || id.startsWith('@edgestripe/') || id.startsWith('node:')
  return defineConfig({
    root: dir,
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      minify: false,
      sourcemap: true,
      target: 'es2022',
      lib: {
        entry: Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, join(dir, file)])),
        formats: ['es'],
      },
      rollupOptions: {
        external,
        output: preserveModules
          ? { preserveModules: true, preserveModulesRoot: join(dir, 'src'), entryFileNames: '[name].js' }
          : { entryFileNames: '[name].js', chunkFileNames: '[name].js' },
      },
    },
  })
}
