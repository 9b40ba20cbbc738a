/**
 * Which outgoing requests carry the trace, and how. The caller's `Headers`, `Request` and init
 * objects are never mutated: headers are copied into a new `Headers` first (as opentelemetry-js
 * `instrumentation-fetch` `_addHeaders` does).
 */

import { newSpanId } from '../core/ids';
import { allowedBy } from '../core/propagate-to';
import { parseTraceparent } from '../core/trace-context';

/**
 * Whether `url` is the sink's: the sink's path on the request's own origin (`own`) or on the
 * sink's server. A hop sees its own server under other names than the sink option's: Next.js
 * reports `http://localhost:PORT` for a server on 127.0.0.1, a proxy sets its own `Host`; a hop
 * that missed its sink posts would trace them, and the events of those, without end. Only a sink
 * at `/` must be on the same server too (loopback names being one), or every home page would count.
 */
export const isSink = (url: URL, sink: URL | undefined, own: string): boolean =>
  !!sink &&
  url.pathname.replace(/\/$/, '') === sink.pathname.replace(/\/$/, '') &&
  ((url.origin === own && sink.pathname !== '/') ||
    url.origin === sink.origin ||
    (LOOPBACK.test(url.hostname) && LOOPBACK.test(sink.hostname) && url.port === sink.port));

const LOOPBACK = /^(localhost|127(\.\d+){3}|\[::1\])$/;

/** Same origin as the request being handled always, other origins when `propagateTo` allows them, the sink never. */
export const propagates = (url: URL, origin: string, propagateTo: Array<string | RegExp>, sink: URL | undefined): boolean =>
  !isSink(url, sink, origin) && (url.origin === origin || allowedBy(url.href, propagateTo));

/** Records the `http_request` event of one outgoing call, given its status (0 when there was none) or what went wrong. */
export type EndCall = (status: number, error?: string) => void;

/**
 * A fetch that gives every call its own span, a child of this hop's, and otherwise behaves exactly
 * like `fetchFn`: `start(method, url, span)` returns what records the call's event (nothing for
 * a call it does not record, such as one to the sink), and where `traced` accepts the URL,
 * `withTrace` sets the trace headers with that span as the parent. The W3C processing model gives
 * each outgoing request a parent-id of its own (https://www.w3.org/TR/trace-context-2/#processing-model),
 * so a backend's spans hang under the call that made them. A `traceparent` the caller set is kept,
 * and its span is the call's; the one that came in with the request being handled (`incoming`, a
 * proxy passing `request` on) is replaced, because this hop is the parent now.
 */
export function tracedFetch(
  fetchFn: typeof fetch,
  base: URL,
  traced: (url: URL) => boolean,
  incoming: string | null,
  withTrace: (headers: Headers, spanId: string) => Headers,
  start: (method: string, url: URL, spanId: string) => EndCall | undefined,
): typeof fetch {
  return (input, init) => {
    let options = init;
    let end: EndCall | undefined;
    try {
      const request = input instanceof Request ? input : undefined;
      const headers = new Headers(init?.headers ?? request?.headers);
      const own = headers.get('traceparent');
      const url = new URL(request ? request.url : String(input), base);
      const ours = !own || own === incoming;
      const span = (!ours && parseTraceparent(own)?.spanId) || newSpanId();
      if (ours && traced(url)) options = { ...init, headers: withTrace(headers, span) };
      end = start(init?.method || request?.method || 'GET', url, span);
    } catch {
      // An unusable URL or header: the untouched call below fails the way fetch fails.
    }
    const result = fetchFn(input, options);
    return end
      ? result.then(
          (response) => {
            end!(response.status);
            return response;
          },
          (reason) => {
            end!(0, (init?.signal || (input as Request).signal)?.aborted ? 'aborted' : 'network_error');
            throw reason;
          },
        )
      : result;
  };
}
