/**
 * Which outgoing requests carry the trace, and how. The caller's `Headers`, `Request` and init
 * objects are never mutated: headers are copied into a new `Headers` first (as opentelemetry-js
 * `instrumentation-fetch` `_addHeaders` does).
 */

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
  ((url.origin === own && sink.pathname !== '/') || url.origin === sink.origin || (LOOPBACK.test(url.hostname) && LOOPBACK.test(sink.hostname) && url.port === sink.port));

const LOOPBACK = /^(localhost|127(\.\d+){3}|\[::1\])$/;

/**
 * Same origin as the request being handled always, other origins when `propagateTo` matches (a
 * string is an exact origin, a RegExp is tested on the whole URL), the sink never.
 */
export const propagates = (url: URL, origin: string, propagateTo: Array<string | RegExp>, sink: URL | undefined): boolean =>
  !isSink(url, sink, origin) &&
  (url.origin === origin || propagateTo.some((target) => (typeof target === 'string' ? target === url.origin : target.test(url.href))));

/**
 * A fetch that sets the trace headers (`withTrace`) on the calls `traced` accepts, and otherwise
 * behaves exactly like `fetchFn`. A `traceparent` the caller set is kept; the one that came in with
 * the request being handled (`incoming`, a proxy passing `request` on) is replaced, because this
 * hop is the parent now.
 */
export function tracedFetch(
  fetchFn: typeof fetch,
  base: URL,
  traced: (url: URL) => boolean,
  incoming: string | null,
  withTrace: (headers: Headers) => Headers,
): typeof fetch {
  return (input, init) => {
    let options = init;
    try {
      const request = input instanceof Request ? input : undefined;
      const headers = new Headers(init?.headers ?? request?.headers);
      const own = headers.get('traceparent');
      if (traced(new URL(request ? request.url : String(input), base)) && (!own || own === incoming)) {
        options = { ...init, headers: withTrace(headers) };
      }
    } catch {
      // An unusable URL or header: the untouched call below fails the way fetch fails.
    }
    return fetchFn(input, options);
  };
}
