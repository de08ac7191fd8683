// The page Stripe redirects to after a source's redirect flow: `?source=src_…&client_secret=…`.
import { createStripe } from '@edgestripe/core'
import { showSourceStatus } from './source-status'

const env = (import.meta as unknown as { env: Record<string, string | undefined> }).env
const params = new URLSearchParams(location.search)
const root = document.getElementById('app') as HTMLElement
const source = params.get('source')
const clientSecret = params.get('client_secret')
if (!source || !clientSecret) {
  root.textContent = 'Missing ?source= and &client_secret= in the URL.'
} else {
  const base = env.VITE_STRIPE_API_BASE
  const stripe = createStripe({ publishableKey: env.VITE_STRIPE_PUBLISHABLE_KEY ?? '', ...(base ? { baseURL: base } : {}) })
  void showSourceStatus(root, stripe, source, clientSecret)
}
