// Stage 3, faults: an injected fault of the account (`control.injectFaults`) strikes the request
// before it is handled, or after it was handled for real (`after: 'process'`), or cuts its answer.
import { delay, faultsAfterProcessing, truncateResponse } from '../faults.js'
import { jsonResponse } from '../http.js'
import type { Exchange } from './exchange.js'

export async function withFaults(exchange: Exchange, serve: (exchange: Exchange) => Promise<Response>): Promise<Response> {
  const { method, url, entry, headers, keyAccount } = exchange
  const fault = keyAccount.state.faults.take(method, url.pathname)
  if (!fault) return serve(exchange)
  if ('truncate' in fault) {
    // The request is handled for real (a POST still creates); only the answer is cut short.
    entry.fault = 'truncate'
    return truncateResponse(await serve(exchange))
  }
  // `after: 'process'`: the request is handled for real first (objects created, idempotency key
  // saved, events recorded), then the fault replaces or holds back its answer.
  const afterProcessing = faultsAfterProcessing(fault)
  const suffix = afterProcessing ? ' (after process)' : ''
  const processed = afterProcessing ? await serve(exchange) : undefined
  if ('reset' in fault) {
    entry.fault = `reset${suffix}`
    throw new TypeError('fetch failed (emulator: connection reset)')
  }
  if ('delayMs' in fault) {
    entry.fault = `delay${suffix}`
    // an abort rejects like fetch; after processing, what was done stays done
    await delay(fault.delayMs, exchange.signal)
    return processed ?? serve(exchange)
  }
  entry.fault = `status ${fault.status}${suffix}`
  entry.status = fault.status
  for (const [name, value] of Object.entries(fault.headers ?? {})) headers.set(name, value)
  const body = fault.body ?? {
    error: { type: 'api_error', message: 'An error occurred with our connection to Stripe. (emulated fault)' },
  }
  if (typeof body === 'string') {
    headers.set('Content-Type', 'application/json')
    return new Response(body, { status: fault.status, headers })
  }
  return jsonResponse(fault.status, body, headers)
}
