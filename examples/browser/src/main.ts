/// <reference types="vite/client" />
// The page Stripe redirects to after a source's redirect flow: `?source=src_…&client_secret=…`.
// All wiring is in mountPage (page.ts): it never throws, a missing key or parameter is shown on the page.
import { mountPage } from './page'

/** the page's final status (`'error'` when it could not check); the browser test awaits it */
export const mounted: Promise<string> = mountPage(document.getElementById('app'), { search: location.search, env: import.meta.env })
