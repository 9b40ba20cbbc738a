/**
 * One POST of one request body by the fetch the client captured before any patching, so the SDK
 * never instruments itself. The answer is sorted by the shared retry rule.
 */
import { classify, type SendResult } from './retry';

/** A sink that never answers must not hold the queue forever. */
export const REQUEST_TIMEOUT_MS = 30_000;

export async function postBatch(fetchFn: typeof fetch, url: string, body: string, keepalive?: boolean): Promise<SendResult> {
  const abort = new AbortController();
  const timeout = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
  try {
    return classify(
      await fetchFn(url, {
        method: 'POST',
        body,
        keepalive,
        signal: abort.signal,
        // At page exit a text/plain body keeps a cross-origin request "simple": no preflight to wait for.
        headers: { 'content-type': keepalive ? 'text/plain;charset=UTF-8' : 'application/json' },
      }),
    );
  } catch {
    return NaN;
  } finally {
    clearTimeout(timeout);
  }
}
