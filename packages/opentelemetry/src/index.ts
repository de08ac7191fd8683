// OpenTelemetry for edgestripe: a plugin that wraps each call (`client.wrap`) in one CLIENT span
// covering all its attempts, adds each retry as a span event and records the error of a call that
// fails for good. The span lives in the wrapper's closure and follows its own call's attempts
// (`call.hook`): no table of calls, no guessing which call an attempt belongs to. Nothing runs at
// import.
import { type Plugin, redact, type StripeClient } from '@edgestripe/core'
import { type Attributes, context, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api'

export interface OpenTelemetryOptions {
  /** Default: `trace.getTracer('@edgestripe/opentelemetry')` from the global tracer provider. */
  tracer?: Tracer
}

/**
 * `createStripe({ …, plugins: [openTelemetry()] })` or `client.use(openTelemetry({ tracer }))`.
 *
 * Span name `{method} {path template}` (e.g. `POST /v1/treasury/outbound_payments`), kind CLIENT,
 * attributes `http.request.method`, `url.template`, `server.address`, `server.port`,
 * `stripe.operation_id`, `stripe.call_id`, then `http.response.status_code`, `stripe.request_id`
 * (from the last answer), `http.request.resend_count` (retries made). A retry is a `retry` event
 * (`stripe.retry.attempt`, `stripe.retry.delay_ms`, `stripe.retry.reason`,
 * `http.response.status_code`, `error.type`). A call that fails for good (or is aborted) gets
 * `error.type`, the exception and status ERROR. The span is the active span while the call runs
 * (with a context manager registered, a traced `fetch` nests under it). The query string (it may
 * hold a `client_secret`) is never recorded.
 */
/* @__NO_SIDE_EFFECTS__ */
export function openTelemetry(options: OpenTelemetryOptions = {}): Plugin<void> {
  return (client: StripeClient) => {
    const tracer = options.tracer ?? trace.getTracer('@edgestripe/opentelemetry')
    const { baseURL, filesURL } = client.config
    const servers = { api: server(baseURL), files: server(filesURL) }

    client.wrap((call, next) => {
      const { operation } = call
      const attributes: Attributes = {
        'http.request.method': operation.method,
        'url.template': operation.path,
        ...servers[operation.host === 'files' ? 'files' : 'api'],
        'stripe.operation_id': operation.operationId,
        'stripe.call_id': call.id,
      }
      const parent = context.active()
      const span = tracer.startSpan(`${operation.method} ${operation.path}`, { kind: SpanKind.CLIENT, attributes }, parent)
      call.hook('request:before', ({ attempt }) => {
        if (attempt > 1) span.setAttribute('http.request.resend_count', attempt - 1)
      })
      call.hook('response:after', (_ctx, meta) => {
        span.setAttribute('http.response.status_code', meta.statusCode)
        if (meta.requestId) span.setAttribute('stripe.request_id', meta.requestId)
      })
      call.hook('retry:before', ({ attempt, delayMs, reason, error }) => {
        const event: Attributes = {
          'stripe.retry.attempt': attempt,
          'stripe.retry.delay_ms': delayMs,
          'stripe.retry.reason': reason,
          'error.type': error.statusCode === undefined ? error.name : String(error.statusCode),
        }
        if (error.statusCode !== undefined) event['http.response.status_code'] = error.statusCode
        span.addEvent('retry', event)
      })
      return context.with(trace.setSpan(parent, span), async () => {
        try {
          return await next()
        } catch (error) {
          const failure = error instanceof Error ? error : new Error(String(error))
          span.setAttribute('error.type', failure.name)
          // The core's redaction (its errors' messages are redacted already; any other error's, and
          // the stack, here).
          const message = redact(failure.message)
          span.recordException({ name: failure.name, message, stack: failure.stack && redact(failure.stack) })
          span.setStatus({ code: SpanStatusCode.ERROR, message })
          throw error
        } finally {
          span.end()
        }
      })
    })
  }
}

/** `server.address` and `server.port` of a base URL. */
function server(base: string): Attributes {
  const url = new URL(base)
  return { 'server.address': url.hostname, 'server.port': Number(url.port) || (url.protocol === 'http:' ? 80 : 443) }
}
