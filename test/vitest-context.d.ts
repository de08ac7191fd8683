// Values the root globalSetup (test-support/smoke-server.ts) provides to every project's tests.
// A .d.ts under test/ so tsconfig.json (and vitest's typecheck) see it for every test file.
export {}

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:<port>` of the smoke server. */
    smokeURL: string
  }
}
