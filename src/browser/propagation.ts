/**
 * What the fetch and XMLHttpRequest integrations share: which URLs get the trace headers, the
 * headers of one request, and its `http_request` event. See "Trace model" in the design.
 */
import { newSpanId } from '../core/ids';
import { allowedBy } from '../core/propagate-to';
import { formatTraceparent, parseTraceparent } from '../core/trace-context';
import type { Client } from '../core/types';

/** Why a request ended without a response; `aborted` is the page's own choice, not a failure. */
export type RequestError = 'aborted' | 'timeout' | 'network_error';

/** Records the request's `http_request` event: its status (0 when there was none) and what went wrong. */
export type EndRequest = (status?: number, error?: RequestError) => void;

/** Same origin always (compared as `allowedBy` compares origins); another origin when `propagateTo` allows it. */
export const propagates = (href: string, propagateTo: ReadonlyArray<string | RegExp>, page: string): boolean =>
  href.startsWith(page + '/') || allowedBy(href, propagateTo);

/** The headers of one request: the caller's, read (null or undefined when unset), and ours, added. A `Headers` is one. */
export interface RequestHeaders {
  get(name: string): string | null | undefined;
  set(name: string, value: string): void;
}

/**
 * Returns what starts the trace of one request: given its method, absolute URL and headers, it
 * adds the trace headers where they may go and returns the function that records the request's
 * event; it does nothing and returns nothing for the sink and for URLs that reach no server
 * (`data:`, `blob:`).
 *
 * A `traceparent` the caller set is kept, and its trace and span ids are the request's: the
 * correlation header (when the caller set none) and the event carry them, so all three agree on
 * what the server receives. An unparsable one is still kept; the event then has the current
 * trace and a span id of its own.
 */
export function requestTracer(client: Client) {
  const { sink, propagateTo, correlationHeader } = client.options;
  const { origin: sinkOrigin, pathname: sinkPath } = new URL(sink);
  // A page's origin never changes (history.pushState keeps it).
  const page = location.origin;
  return (method: string, url: URL, headers: RequestHeaders): EndRequest | undefined => {
    const { href } = url;
    if ((href.startsWith(sinkOrigin + '/') && url.pathname === sinkPath) || !/^https?:/.test(href)) return;
    method = method.toUpperCase();
    // The event is stamped with the request's start, so a timeline puts it before the server's lines.
    const time = Date.now();
    const start = performance.now();
    const { traceId, flags, traceState } = client.currentTrace();
    const own = headers.get('traceparent');
    const { traceId: trace_id, spanId: span_id } = parseTraceparent(own) || { traceId, spanId: newSpanId() };
    let done = false;
    if (propagates(href, propagateTo, page)) {
      if (own == null) {
        headers.set('traceparent', formatTraceparent(trace_id, span_id, flags));
        // Our `tracestate` goes with our `traceparent` only, never with the caller's.
        if (traceState && headers.get('tracestate') == null) headers.set('tracestate', traceState);
      }
      if (headers.get(correlationHeader) == null) headers.set(correlationHeader, trace_id);
    }
    // Once only: a request ends one way, however many endings it is told about.
    return (status, error) => {
      if (done) return;
      done = true;
      client.capture({
        // 5xx and failures are always kept; 4xx are the app's business, and an abort is its own doing.
        level: (error && error !== 'aborted') || status! > 499 ? 'error' : 'info',
        event: 'http_request',
        http: { method, url: href, status_code: status, duration_ms: Math.round(performance.now() - start), error },
        trace_id,
        span_id,
        time,
      });
    };
  };
}

/**
 * Makes a patched function print as the one it wraps (`function fetch() { [native code] }`): code
 * that checks for a native fetch that way (other SDKs, polyfills) keeps working. The `toString` is
 * the original's own, bound, so it prints as native code too.
 */
export function looksNative(patched: (...args: never[]) => unknown, original: (...args: never[]) => unknown): void {
  try {
    Object.defineProperty(patched, 'toString', { value: Function.prototype.toString.bind(original), configurable: true, writable: true });
  } catch {
    // A frozen function: it prints its source, and works the same.
  }
}
