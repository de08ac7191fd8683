import { createStripe } from '@edgestripe/core'
import { showSourceStatus } from './source-status'

/** What the page reads: the redirect's query string and Vite's env (`import.meta.env`). */
export interface PageConfig {
  /** `location.search` of the return page: `?source=src_…&client_secret=src_client_secret_…` */
  search: string
  /** `VITE_STRIPE_PUBLISHABLE_KEY` (required), `VITE_STRIPE_API_BASE` (optional, e.g. `pnpm emulator`) */
  env: Record<string, unknown>
}

/**
 * The page's wiring (what `main.ts` runs): reads the source and client_secret from the URL and the
 * publishable key from the env, then shows the source's status in `root`. Never throws: missing
 * parameters or configuration are shown as a message. Resolves with the final status, or `'error'`.
 */
export async function mountPage(root: HTMLElement | null, { search, env }: PageConfig): Promise<string> {
  if (!root) return 'error'
  const message = (text: string) => {
    root.innerHTML = '<h1>Payment status</h1><p class="status" role="status" data-state="error"></p>'
    ;(root.querySelector('.status') as HTMLElement).textContent = text
    return 'error'
  }
  const params = new URLSearchParams(search)
  const source = params.get('source')
  const clientSecret = params.get('client_secret')
  if (!source || !clientSecret) return message('Missing ?source= and &client_secret= in the URL.')
  const publishableKey = typeof env.VITE_STRIPE_PUBLISHABLE_KEY === 'string' ? env.VITE_STRIPE_PUBLISHABLE_KEY.trim() : ''
  if (!publishableKey) return message('This page is not configured: set VITE_STRIPE_PUBLISHABLE_KEY (pk_test_…) and restart Vite.')
  const base = typeof env.VITE_STRIPE_API_BASE === 'string' && env.VITE_STRIPE_API_BASE ? env.VITE_STRIPE_API_BASE : undefined
  let stripe: ReturnType<typeof createStripe>
  try {
    stripe = createStripe({ publishableKey, ...(base ? { baseURL: base } : {}) })
  } catch (error) {
    return message(`This page is misconfigured: ${error instanceof Error ? error.message : String(error)}`)
  }
  return showSourceStatus(root, stripe, source, clientSecret)
}
