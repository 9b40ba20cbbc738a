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
const MEMBERS = [
  'body',
  'cache',
  'credentials',
  'duplex',
  'headers',
  'integrity',
  'keepalive',
  'method',
  'mode',
  'priority',
  'redirect',
  'referrer',
  'referrerPolicy',
  'signal',
  'window',
];

/** A Request of this realm or of another one (an iframe's), whose `instanceof` is false here. */
const isRequest = (input: unknown): input is Request => input instanceof Request || Object.prototype.toString.call(input) === '[object Request]';

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
          // The input as fetch converts it (a URL, an object with a `toString`), converted once.
          let target: unknown = input;
          try {
            // Anything but an object (a number, a string) is for the native fetch to reject, as it does.
            const given = init != null && (typeof init === 'object' || typeof init === 'function');
            if (init != null && !given) throw 0;
            const request = isRequest(input) ? input : undefined;
            // Conversion errors (a Symbol, a `toString` that throws) are the native fetch's to report, in its words.
            if (!request && arguments.length) target = `${input as string}`;
            const read: Record<string, unknown> = {};
            let empty = true;
            let source: HeadersInit | undefined;
            let plain = true;
            let copy: Record<string, string> = {};
            try {
              for (const member of MEMBERS) {
                if ((read[member] = given ? (init as Record<string, unknown>)[member] : undefined) !== undefined) empty = false;
                if (member !== 'headers') continue;
                // The init's headers replace the Request's, as in https://fetch.spec.whatwg.org/#dom-request
                // (an init member is there unless undefined).
                source = (read.headers === undefined ? request : read)?.headers as HeadersInit | undefined;
                // Copied where fetch reads them, as it does: the caller's headers are never touched.
                // A record (an object that is no sequence, as WebIDL tells them apart) is copied as a
                // plain object: a `Headers` costs microseconds per call in Chromium.
                plain = source === undefined || (Object(source) === source && (source as Iterable<unknown>)[Symbol.iterator] === undefined);
                if (plain) copy = { ...(source as Record<string, string>) };
              }
              // Any other member the browser knows, as the caller's init had it.
              if (given) for (const key in init) if (!(key in read)) read[key] = (init as Record<string, unknown>)[key];
            } catch (error) {
              // A getter or a Proxy of the caller's threw while fetch's arguments were read: the native
              // fetch rejects with that very error, and must not run the caller's code a second time.
              return Promise.reject(error);
            }
            // From here on the native fetch gets the members as read, never the caller's init to read again.
            if (given) options = { ...read } as RequestInit;
            const headers = plain ? copy : new Headers(source);
            const access = plain
              ? {
                  get(name: string) {
                    for (const key in copy) if (key.toLowerCase() === name) return copy[key];
                  },
                  set: (name: string, value: string) => void (copy[name] = value),
                }
              : (headers as Headers);
            signal = (read.signal as AbortSignal | undefined) || request?.signal;
            // `fetch()` with no argument at all must still throw its TypeError, not fetch "/undefined".
            end = arguments.length
              ? trace((read.method as string) || request?.method || 'GET', new URL(request ? request.url : (target as string), document.baseURI), access)
              : undefined;
            if (end) {
              read.headers = headers;
              // Any init that is not empty resets a Request's referrer and referrer policy ("If init
              // is not empty" in the same algorithm); ours is never empty, so where the caller's was
              // (or there was none) the Request's own are passed on.
              if (empty && request) [read.referrer, read.referrerPolicy] = [request.referrer, request.referrerPolicy];
              // A plain object, so that polyfills that copy the init see the members too.
              options = { ...read } as RequestInit;
            }
          } catch {
            // What the SDK can not read (an odd URL or header) goes on untraced: fetch itself then
            // rejects, or not, exactly as it would have.
            end = undefined;
          }
          // Unchanged, the very arguments go on: `fetch()` must still count none.
          const result =
            options === init && target === input
              ? original.apply(this, arguments as unknown as [RequestInfo])
              : original.call(this, target as RequestInfo, options);
          try {
            if (end) {
              return result.then(
                (response) => {
                  end!(response?.status);
                  return response;
                },
                (reason) => {
                  end!(0, signal?.aborted ? (signal.reason?.name === 'TimeoutError' ? 'timeout' : 'aborted') : 'network_error');
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
        if (globalThis.fetch === patched) globalThis.fetch = original;
      };
    },
  };
}
