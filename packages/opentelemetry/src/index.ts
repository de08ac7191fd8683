// OpenTelemetry for edgestripe: a plugin that opens one CLIENT span per call (all its attempts),
// adds each retry as a span event and records the error of a call that fails for good. It works
// through the client's hooks only; nothing runs at import.
import { type Operation, type Plugin, type RequestContext, redact, type StripeClient, type StripeError } from '@edgestripe/core'
import { type Attributes, context, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api'

export interface OpenTelemetryOptions {
  /** Default: `trace.getTracer('@edgestripe/opentelemetry')` from the global tracer provider. */
  tracer?: Tracer
}

/** One logical call: its span and the attempt it is on. */
interface Call {
  span: Span
  attempt: number
  /** For a GET/DELETE waiting to retry: when its next attempt is due. */
  due: number
  /** A POST's Idempotency-Key. */
  key: string | undefined
}

/**
 * `createStripe({ …, plugins: [openTelemetry()] })` or `client.use(openTelemetry({ tracer }))`.
 *
 * Span name `{method} {path template}` (e.g. `POST /v1/treasury/outbound_payments`), kind CLIENT,
 * attributes `http.request.method`, `url.template`, `server.address`, `server.port`,
 * `stripe.operation_id`, then `http.response.status_code`, `stripe.request_id`,
 * `http.request.resend_count` (retries made). A retry is a `retry` event (`stripe.retry.attempt`,
 * `stripe.retry.delay_ms`, `stripe.retry.reason`, `http.response.status_code`, `error.type`).
 * A call that fails for good gets `error.type`, the exception and status ERROR. The query string
 * (it may hold a `client_secret`) is never recorded.
 */
/* @__NO_SIDE_EFFECTS__ */
export function openTelemetry(options: OpenTelemetryOptions = {}): Plugin<void> {
  return (client: StripeClient) => {
    const tracer = options.tracer ?? trace.getTracer('@edgestripe/opentelemetry')
    const { hooks } = client
    // Attempts in flight, their calls; the calls of non-2xx answers until their outcome is known
    // (the error holds the response's Headers object); POST calls by their Idempotency-Key (one per
    // call, kept by every attempt); GET/DELETE calls waiting to retry, by operation.
    const byAttempt = new WeakMap<RequestContext, Call>()
    const byAnswer = new WeakMap<Headers, Call>()
    const byKey = new Map<string, Call>()
    const waiting = new Map<Operation, Call[]>()
    const open = new Map<Operation, RequestContext[]>()

    const end = (call: Call) => {
      if (call.key) byKey.delete(call.key)
      call.span.end()
    }
    /** Appends to a per-operation queue, bounded: a call aborted by its caller never reports back. */
    const push = <V>(map: Map<Operation, V[]>, operation: Operation, value: V) => {
      let values = map.get(operation)
      if (!values) map.set(operation, (values = []))
      if (values.push(value) > 1_000) values.shift()
    }
    const remove = <V>(values: V[] | undefined, value: V) => {
      const index = values ? values.indexOf(value) : -1
      if (index >= 0) values?.splice(index, 1)
    }
    /** The call a failure belongs to: by its answer's headers, else the oldest unanswered attempt of its operation. */
    const callOf = (error: StripeError, operation: Operation): Call | undefined => {
      const answered = error.headers && byAnswer.get(error.headers)
      if (answered || error.statusCode !== undefined) return answered
      const ctx = open.get(operation)?.shift()
      return ctx && byAttempt.get(ctx)
    }

    hooks.hook('request:before', (ctx) => {
      const { operation } = ctx
      const key = ctx.headers.get('idempotency-key') ?? undefined
      let call = ctx.attempt > 1 ? (key ? byKey.get(key) : undefined) : undefined
      if (ctx.attempt > 1 && !key) {
        // Timers fire in order of their due time: the earliest due call of this operation is this one.
        const queue = waiting.get(operation) ?? []
        for (const candidate of queue) {
          if (candidate.attempt === ctx.attempt - 1 && (!call || candidate.due < call.due)) call = candidate
        }
        remove(queue, call)
      }
      if (!call) {
        const url = new URL(ctx.url)
        const attributes: Attributes = {
          'http.request.method': ctx.method,
          'url.template': operation.path,
          'server.address': url.hostname,
          'server.port': Number(url.port) || (url.protocol === 'http:' ? 80 : 443),
          'stripe.operation_id': operation.operationId,
        }
        call = {
          span: tracer.startSpan(`${ctx.method} ${operation.path}`, { kind: SpanKind.CLIENT, attributes }, context.active()),
          attempt: 1,
          due: 0,
          key,
        }
        if (key) {
          byKey.set(key, call)
          if (byKey.size > 1_000) byKey.delete(byKey.keys().next().value as string)
        }
      }
      call.attempt = ctx.attempt
      if (ctx.attempt > 1) call.span.setAttribute('http.request.resend_count', ctx.attempt - 1)
      byAttempt.set(ctx, call)
      push(open, operation, ctx)
    })

    hooks.hook('response:after', (ctx, meta) => {
      const call = byAttempt.get(ctx)
      remove(open.get(ctx.operation), ctx)
      if (!call) return
      call.span.setAttribute('http.response.status_code', meta.statusCode)
      if (meta.requestId) call.span.setAttribute('stripe.request_id', meta.requestId)
      if (meta.statusCode < 300) end(call)
      else byAnswer.set(meta.headers, call)
    })

    hooks.hook('retry:before', ({ operation, attempt, delayMs, reason, error }) => {
      const call = callOf(error, operation)
      if (!call) return
      const attributes: Attributes = {
        'stripe.retry.attempt': attempt,
        'stripe.retry.delay_ms': delayMs,
        'stripe.retry.reason': reason,
        'error.type': error.statusCode === undefined ? error.name : String(error.statusCode),
      }
      if (error.statusCode !== undefined) attributes['http.response.status_code'] = error.statusCode
      call.span.addEvent('retry', attributes)
      call.due = Date.now() + delayMs
      if (!call.key) push(waiting, operation, call)
    })

    hooks.hook('error', (error, { operation }) => {
      const found = callOf(error, operation)
      // A POST that failed for good carries its Idempotency-Key: its call, exactly.
      const call = (error.idempotencyKey && byKey.get(error.idempotencyKey)) || found
      if (!call) return // never sent (bad params, wrong key kind): no span was started
      call.span.setAttribute('error.type', error.name)
      // The core's redaction (its errors' messages are redacted already; the stack too, once more here).
      call.span.recordException({ name: error.name, message: redact(error.message), stack: error.stack && redact(error.stack) })
      call.span.setStatus({ code: SpanStatusCode.ERROR, message: redact(error.message) })
      end(call)
    })
  }
}
