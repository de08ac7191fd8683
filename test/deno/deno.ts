// The slice of Deno's API these tests use, typed here so the root tsconfig (Node types, no Deno lib)
// can check test/deno too. Under `deno test` it is the real `Deno` namespace.
export interface DenoTestContext {
  step(name: string, fn: () => Promise<void>): Promise<boolean>
}
export interface DenoAPI {
  serve(
    options: { hostname: string; port: number; onListen?: () => void },
    handler: (request: Request) => Response | Promise<Response>,
  ): { addr: { port: number }; shutdown(): Promise<void> }
  test(name: string, fn: (t: DenoTestContext) => Promise<void>): void
  readDir(path: URL): AsyncIterable<{ name: string; isDirectory: boolean }>
  stat(path: URL): Promise<unknown>
}

export const Deno = (globalThis as unknown as { Deno: DenoAPI }).Deno
