/**
 * Where the runtime has AsyncLocalStorage, the global `fetch` is patched so that the handler's
 * plain `fetch()` calls carry the trace headers of the request they belong to.
 */
import type { AsyncStore } from './options';

/**
 * Routes the global `fetch` through the request-scoped one of whichever request the call belongs
 * to. Outside any request (no store), it is the previous fetch, untouched. Concurrent requests
 * cannot mix: the store follows each request's own async work. The SDK's own requests to the sink
 * use the fetch taken before this patch, so it never traces itself (as sentry-javascript's
 * `makeFetchTransport(options, nativeFetch)` in `packages/browser/src/transports/fetch.ts`).
 */
export function patchGlobalFetch(storage: AsyncStore<{ fetch: typeof fetch }>): void {
  const previous = globalThis.fetch;
  globalThis.fetch = (input, init) => (storage.getStore()?.fetch ?? previous)(input, init);
}
