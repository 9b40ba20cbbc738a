/**
 * `fetchTracing()`: every `fetch` gets the trace headers where they may go and one `http_request`
 * event, and otherwise behaves exactly as the unpatched fetch: same `this`, same arguments but for
 * a copy of the headers, the very same response and rejection. The SDK's own batches never pass
 * here (the client sends with the fetch it captured before any patching).
 */
import type { Integration } from '../core/types';
import { type EndRequest, requestTracer } from './propagation';

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
          let options = init;
          let end: EndRequest | undefined;
          let signal: AbortSignal | null | undefined;
          try {
            const request = input instanceof Request ? input : undefined;
            // The init's headers replace the Request's, as in https://fetch.spec.whatwg.org/#dom-request
            // (an init member is there unless undefined).
            const source = (init?.headers === undefined ? request : init)?.headers;
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
            end = arguments.length ? trace(init?.method || request?.method || 'GET', new URL(request ? request.url : (input as string), document.baseURI), access) : undefined;
            // Any init resets a Request's referrer and referrer policy ("If init is not empty" in
            // the same algorithm), so a Request on its own passes its own on.
            if (end) options = { ...(init || (request && { referrer: request.referrer, referrerPolicy: request.referrerPolicy })), headers };
            signal = init?.signal || request?.signal;
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
