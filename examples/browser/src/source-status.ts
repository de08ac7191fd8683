import type { StripeClient } from '@edgestripe/core'
import { pollSource } from '@edgestripe/sources'

const LABELS: Record<string, string> = {
  pending: 'Waiting for your bank…',
  chargeable: 'Payment authorized',
  consumed: 'Payment complete',
  failed: 'Payment failed',
  canceled: 'Payment canceled',
}

/**
 * Shows a source's status in `root` as it changes, polling with the publishable key and the source's
 * `client_secret` (what Stripe appends to the redirect's return_url). Resolves with the final status.
 */
export async function showSourceStatus(
  root: HTMLElement,
  stripe: StripeClient,
  source: string,
  clientSecret: string,
  options: { signal?: AbortSignal; timeout?: number } = {},
): Promise<string> {
  root.innerHTML = '<h1>Payment status</h1><p class="status" role="status">Checking…</p><ol class="history"></ol>'
  const status = root.querySelector('.status') as HTMLElement
  const history = root.querySelector('.history') as HTMLElement
  const show = (text: string, state: string) => {
    status.textContent = text
    status.dataset.state = state
  }
  try {
    const final = await pollSource(
      stripe,
      source,
      { client_secret: clientSecret },
      {
        ...options,
        onStatus: (s) => {
          show(LABELS[s.status] ?? s.status, s.status)
          const item = document.createElement('li')
          item.textContent = s.status
          history.append(item)
        },
      },
    )
    return final.status
  } catch (error) {
    show(`Could not check the payment: ${error instanceof Error ? error.message : String(error)}`, 'error')
    return 'error'
  }
}
