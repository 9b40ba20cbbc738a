/**
 * `withTelemetry(handler, options)`: one request, one hop of the trace. The hop continues the
 * caller's W3C trace or starts one, every outgoing call carries it, the response tells the browser
 * its trace id, and one `http_request` event (plus a `client_error` for a throw) goes to the sink
 * in `waitUntil`, after the response, so telemetry never delays or changes the answer.
 */
import { continueTrace, formatTraceparent, type Hop } from '../core/trace-context';
import type { Attributes, Level } from '../core/types';
import { createRecorder } from './client';
import { patchGlobalFetch } from './fetch';
import { findWaitUntil } from './lifetime';
import { resolveEdgeOptions, type AsyncStore, type EdgeOptions } from './options';
import { isSink, propagates, tracedFetch } from './propagation';
import { traceResponse } from './response';
import { requestPath } from './url';

/** What the handler gets as its last argument, after the ones the runtime passed. */
export interface RequestTelemetry {
  /** `fetch` with this hop's trace headers on every URL they propagate to. */
  fetch: typeof fetch;
  log(level: Level, event: string, attributes?: Attributes): void;
  captureError(error: unknown, attributes?: Attributes): void;
  /** The trace this request belongs to ('' when telemetry is off). */
  traceId: string;
  /** This hop as the parent, for calls made by other means than fetch (a queue message...). */
  traceparent: string;
  /**
   * A copy of `headers` (by default the incoming request's) with this hop's `traceparent`,
   * `tracestate` and correlation header set: what a proxy passes on, e.g.
   * `NextResponse.next({ request: { headers: telemetry.forward() } })`.
   */
  forward(headers?: HeadersInit): Headers;
}

type Answer = Response | undefined | void;

/** Cloudflare Workers `(request, env, ctx)`, Next.js and Vercel `(request, event)`, Deno and Bun `(request, info)`. */
type RuntimeArgs = [Request, ...unknown[]];

/**
 * The runtime's arguments of a handler typed `(request, second, third, telemetry)`: those before
 * the first one that is the telemetry. A runtime argument the handler leaves out, or leaves
 * without a type where nothing else gives it one, takes the type parameter's default,
 * `RequestTelemetry`, and so ends the list.
 */
type RuntimeArgsOf<Req, B, C> = [B] extends [RequestTelemetry]
  ? [request: Req]
  : [C] extends [RequestTelemetry]
    ? [request: Req, second: B]
    : [request: Req, second: B, third: C];

/**
 * Wraps a fetch-style handler. The returned function takes the arguments the runtime passes and
 * hands them to `handler` unchanged, followed by one more: the request's `RequestTelemetry`. It
 * answers what the handler answers (or a 500 for a throw: hence `| Response`).
 * Wrong options give one console error naming the option, and a wrapper that passes requests
 * through untouched (the last argument is then a plain `fetch` and no-op logging).
 *
 * One signature of fixed positions, not overloads per number of arguments nor a variadic
 * `[...A, RequestTelemetry]`: TypeScript types the parameters of an arrow function without
 * annotations from the first overload it tries, whatever their number, and can not infer a
 * variadic tuple from annotations, so `(request: Request, env: Env, ctx: ExecutionContext,
 * telemetry) => ...` had `telemetry: unknown`. Here each position is typed by its annotation, by
 * the wrapper's contextual type (`satisfies ExportedHandler<Env>`), or else as the telemetry.
 */
export function withTelemetry<Req extends Request = Request, B = RequestTelemetry, C = RequestTelemetry, R extends Answer | Promise<Answer> = Answer>(
  handler: (request: Req, second: B, third: C, telemetry: RequestTelemetry) => R,
  options: EdgeOptions,
): (...args: RuntimeArgsOf<Req, B, C>) => Promise<Awaited<R> | Response>;
export function withTelemetry(
  // Loose on purpose: the signature above is the typed surface.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handler: (...args: any[]) => Answer | Promise<Answer>,
  options: EdgeOptions,
): (...args: RuntimeArgs) => Promise<Answer> {
  const [resolved, problem] = resolveEdgeOptions(options);
  const { correlationHeader, propagateTo } = resolved;
  const sink = problem ? undefined : new URL(resolved.sink);
  // Taken before any patch of ours, so the events never carry trace headers to the sink.
  const fetchFn = globalThis.fetch;
  // Created at the first request: nothing is patched before the wrapper is used.
  let storage: AsyncStore<RequestTelemetry> | null | undefined;

  return async (...args) => {
    const request = args[0];
    const start = Date.now();
    const { headers, method } = request;
    const incoming = headers.get('traceparent');
    let url: URL | undefined;
    let hop: Hop | undefined;
    try {
      url = new URL(request.url);
      // Requests to the sink's path are not traced, whatever host they came by: their events would
      // feed the sink forever.
      if (!problem && !isSink(url, sink, url.origin)) {
        hop = continueTrace(incoming, headers.get('tracestate'), headers.get(correlationHeader));
        if (storage === undefined) {
          const Storage = resolved.asyncLocalStorage ?? (globalThis as { AsyncLocalStorage?: EdgeOptions['asyncLocalStorage'] }).AsyncLocalStorage;
          storage = Storage ? (new Storage() as AsyncStore<RequestTelemetry>) : null;
          if (storage) patchGlobalFetch(storage);
        }
      }
    } catch {
      // Whatever failed here, the request goes on without telemetry.
      hop = undefined;
    }
    const traceId = hop?.traceId ?? '';
    const traceparent = hop ? formatTraceparent(traceId, hop.spanId, hop.flags) : '';
    // Without a hop (telemetry off), logging does nothing and headers are copied as they are.
    const recorder = createRecorder(resolved, { traceId, spanId: hop?.spanId }, fetchFn, !hop);
    const withTrace = (copy: Headers, spanId?: string): Headers => {
      if (hop) {
        copy.set('traceparent', spanId ? formatTraceparent(traceId, spanId, hop.flags) : traceparent);
        // A restarted trace drops the caller's tracestate: https://www.w3.org/TR/trace-context/#mutating-the-traceparent-field
        if (hop.traceState) copy.set('tracestate', hop.traceState);
        else copy.delete('tracestate');
        copy.set(correlationHeader, traceId);
      }
      return copy;
    };
    const scope: RequestTelemetry = {
      fetch: tracedFetch(
        fetchFn,
        url!,
        (target) => propagates(target, url!.origin, propagateTo, sink),
        incoming,
        withTrace,
        // Each call's own `http_request` event, under this hop's span, stamped when it started; none
        // without telemetry, and none for the sink, which is no call of the app's.
        (method, target, span_id) => {
          if (!hop || isSink(target, sink, url!.origin)) return;
          const time = Date.now();
          return (status_code, error) =>
            recorder.capture({
              level: error ? (error === 'aborted' ? 'info' : 'error') : status_code >= 500 ? 'error' : 'info',
              event: 'http_request',
              span_id,
              parent_span_id: hop.spanId,
              http: { method: method.toUpperCase(), url: target.origin + requestPath(target), status_code, duration_ms: Date.now() - time, error },
              time,
            });
        },
      ),
      log: recorder.log,
      captureError: recorder.captureError,
      traceId,
      traceparent,
      forward: (init = headers) => withTrace(new Headers(init)),
    };
    const call = (): Answer | Promise<Answer> => handler(...args, scope);
    if (!hop) return call();

    let response: Answer;
    let status: number | undefined;
    let failure: [unknown] | undefined;
    try {
      response = await (storage ? storage.run(scope, call) : call());
      status = response instanceof Response ? response.status : undefined;
    } catch (error) {
      failure = [error];
      status = 500;
      recorder.captureError(error, undefined, false);
    }
    recorder.capture({
      level: (status ?? 0) >= 500 ? 'error' : (status ?? 0) >= 400 ? 'warn' : 'info',
      event: 'http_request',
      parent_span_id: hop.parentSpanId,
      http: { method, url: requestPath(url!), status_code: status, duration_ms: Date.now() - start },
      // Stamped when the request came in, like the browser's requests: timelines put it before its effects.
      time: start,
    });
    try {
      recorder.close(findWaitUntil(args));
    } catch {
      // A runtime argument whose getter throws: the events are lost, the response is not.
    }

    if (failure) {
      if (resolved.rethrow) throw failure[0];
      response = new Response('Internal Server Error', { status: 500 });
    }
    return response instanceof Response ? traceResponse(response, correlationHeader, traceId, traceparent) : response;
  };
}
