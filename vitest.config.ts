import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const root = fileURLToPath(new URL('.', import.meta.url))

/** Tests import packages by name; these resolve them to source so no build is needed first. */
export const sourceAliases = [
  { find: /^@edgestripe\/([a-z-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
  { find: /^@edgestripe\/([a-z-]+)\/([a-z-]+)$/, replacement: `${root}packages/$1/src/$2.ts` },
]

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: sourceAliases },
        test: {
          name: 'node',
          environment: 'node',
          include: ['packages/*/test/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/*.dom.test.ts', '**/*.browser.test.ts', '**/*.workerd.test.ts'],
          typecheck: { enabled: true, include: ['packages/*/test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
          testTimeout: 20_000,
        },
      },
    ],
  },
})
