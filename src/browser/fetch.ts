/**
 * `fetchTracing()`: every `fetch` gets the trace headers where they may go and one `http_request`
 * event, and otherwise behaves exactly as the unpatched fetch: same `this`, same arguments but for
 * a copy of the headers, the very same response and rejection. The SDK's own batches never pass
 * here (the client sends with the fetch it captured before any patching).
 */
import type { Integration } from '../core/types';
import { type EndRequest, looksNative, requestTracer } from './propagation';

/**
 * The members of RequestInit (https://fetch.spec.whatwg.org/#requestinit), in the order the
 * dictionary is read. Each is read once, through the prototype chain as WebIDL reads a dictionary
 * (a class instance with getters is a valid init), and handed to the native fetch from there; a
 * member not listed here (a browser's own) is passed on when it is enumerable.
 */
const MEMBERS = ['body', 'cache', 'credentials', 'duplex', 'headers', 'integrity', 'keepalive', 'method', 'mode', 'priority', 'redirect', 'referrer', 'referrerPolicy', 'signal', 'window'];

/** A Request of this realm or of another one (an iframe's), whose `instanceof` is false here. */
const isRequest = (input: unknown): input is Request => input instanceof Request || Object.prototype.toString.call(input) == '[object Request]';

export function fetchTracing(): Integration {
  return {
    name: 'fetchTracing',
    setup(client) {
      const original = fetch;
      let trace = requestTracer(client);
      // A method keeps the name `fetch` through minification, and like the native one it is no constructor.
      const patched = {
        fetch(this: unknown, input: RequestInfo | URL): Promise<Response> {
          // Read from `arguments`, so that `fetch.length` is 1, as the native one's.
          const init: RequestInit | undefined = arguments[1];
          let options: RequestInit | undefined = init;
          let end: EndRequest | undefined;
          let signal: AbortSignal | null | undefined;
          try {
            // Anything but an object (a number, a string) is for the native fetch to reject, as it does.
            const given = init != null && (typeof init == 'object' || typeof init == 'function');
            if (init != null && !given) throw 0;
            const request = isRequest(input) ? input : undefined;
            const read: Record<string, unknown> = {};
            let empty = true;
            for (const member of MEMBERS) if ((read[member] = given ? (init as Record<string, unknown>)[member] : undefined) !== undefined) empty = false;
            // The init's headers replace the Request's, as in https://fetch.spec.whatwg.org/#dom-request
            // (an init member is there unless undefined).
            const source = (read.headers === undefined ? request : read)?.headers as HeadersInit | undefined;
            // A copy: the caller's headers are never touched. A plain object (or none) is copied as
            // a plain object: a `Headers` costs microseconds per call in Chromium, to build and collect.
            const plain = source === undefined || source.constructor == Object;
            const copy: Record<string, string> = { ...(plain && (source as Record<string, string>)) };
            const headers = plain ? copy : new Headers(source);
            const access = plain
              ? {
                  get(name: string) {
                    for (const key in copy) if (key.toLowerCase() == name) return copy[key];
                  },
                  set: (name: string, value: string) => void (copy[name] = value),
                }
              : (headers as Headers);
            // `fetch()` with no argument at all must still throw its TypeError, not fetch "/undefined".
            end = arguments.length ? trace((read.method as string) || request?.method || 'GET', new URL(request ? request.url : (input as string), document.baseURI), access) : undefined;
            if (end) {
              read.headers = headers;
              // Any init that is not empty resets a Request's referrer and referrer policy ("If init
              // is not empty" in the same algorithm); ours is never empty, so where the caller's was
              // (or there was none) the Request's own are passed on.
              if (empty && request) [read.referrer, read.referrerPolicy] = [request.referrer, request.referrerPolicy];
              // A plain object of the members read above, once, so that polyfills that copy the init
              // see them too; and any other member the browser knows, as the caller's init had it.
              options = { ...read } as RequestInit;
              if (given) for (const key in init) if (!(key in read)) (options as Record<string, unknown>)[key] = (init as Record<string, unknown>)[key];
            }
            signal = (read.signal as AbortSignal | undefined) || request?.signal;
          } catch {
            // What the SDK can not read (an odd URL or header) goes on unchanged: fetch itself then
            // rejects, or not, exactly as it would have.
            end = undefined;
            options = init;
          }
          // Unchanged, the very arguments go on: `fetch()` must still count none.
          const result = options === init ? original.apply(this, arguments as unknown as [RequestInfo]) : original.call(this, input, options);
          try {
            if (end) {
              return result.then(
                (response) => (end!(response?.status), response),
                (reason) => {
                  end!(0, signal?.aborted ? (signal.reason?.name == 'TimeoutError' ? 'timeout' : 'aborted') : 'network_error');
                  throw reason;
                },
              );
            }
          } catch {
            // An underlying fetch (a test's stub, a polyfill) that returns no promise.
          }
          return result;
        },
      }.fetch;
      looksNative(patched, original);
      globalThis.fetch = patched;
      return () => {
        // A wrapper someone added on top of ours stays, and still reaches the original through
        // ours, which from now on passes every call through untouched.
        trace = () => undefined;
        if (globalThis.fetch == patched) globalThis.fetch = original;
      };
    },
  };
}
