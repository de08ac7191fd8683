import { fileURLToPath } from 'node:url'
import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { playwright } from '@vitest/browser-playwright'
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
          include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/*.dom.test.ts', '**/*.browser.test.ts', '**/*.workerd.test.ts', 'test/deno/**'],
          // the testing README's example: one emulator over HTTP for the run (global-setup.test.ts uses it)
          globalSetup: ['./packages/testing/test/emulator-global-setup.ts'],
          typecheck: { enabled: true, include: ['packages/*/test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
          // A logging plugin a test installs logs nothing unless the test asks (logging.test.ts stubs EDGESTRIPE_LOG itself).
          env: { EDGESTRIPE_LOG: 'off' },
          testTimeout: 20_000,
        },
      },
      {
        resolve: { alias: sourceAliases },
        test: {
          name: 'happy-dom',
          environment: 'happy-dom',
          include: ['packages/*/test/**/*.dom.test.ts'],
          globalSetup: ['./test-support/smoke-server.ts'],
          testTimeout: 20_000,
        },
      },
      {
        // Real workerd. The smoke server's URL reaches the Worker as a binding (and via inject).
        resolve: { alias: sourceAliases },
        plugins: [
          cloudflareTest(({ inject }) => ({
            main: './test/workerd/worker.ts',
            miniflare: {
              compatibilityDate: '2025-09-01',
              compatibilityFlags: ['nodejs_compat'],
              bindings: { SMOKE_URL: inject<string>('smokeURL') },
              // the store contract suites run inside one of these (store-durable-object.workerd.test.ts)
              durableObjects: { STORE_CONTRACT: { className: 'StoreContractObject', useSQLite: true } },
            },
          })),
        ],
        test: {
          name: 'workerd',
          include: ['packages/*/test/**/*.workerd.test.ts', 'examples/*/test/**/*.workerd.test.ts'],
          globalSetup: ['./test-support/smoke-server.ts'],
          testTimeout: 20_000,
        },
      },
      {
        // Real Chromium (Debian's /usr/bin/chromium) through playwright; never `playwright install`.
        resolve: { alias: sourceAliases },
        test: {
          name: 'browser',
          include: ['packages/*/test/**/*.browser.test.ts', 'examples/*/test/**/*.browser.test.ts'],
          globalSetup: ['./test-support/smoke-server.ts'],
          testTimeout: 20_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: {
                executablePath: '/usr/bin/chromium',
                args: [
                  '--no-sandbox',
                  '--disable-gpu',
                  '--disable-quic',
                  '--no-first-run',
                  '--disable-background-networking',
                  '--disable-component-update',
                  '--disable-sync',
                ],
              },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
})
