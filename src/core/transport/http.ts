/**
 * How one batch is sent: a POST by the fetch the client captured before any patching, so the SDK
 * never instruments itself. The answer is sorted into sent, refused for good, or retry later.
 */

/** A number is a retry: the wait `Retry-After` asked for, or NaN when the back-off decides. */
export type SendResult = 'sent' | 'refused' | number;

/** A sink that never answers must not hold the queue forever. */
export const REQUEST_TIMEOUT_MS = 30_000;

export async function postBatch(fetchFn: typeof fetch, url: string, body: string, keepalive?: boolean): Promise<SendResult> {
  const abort = new AbortController();
  const timeout = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
  try {
    const { ok, status, headers } = await fetchFn(url, {
      method: 'POST',
      body,
      keepalive,
      signal: abort.signal,
      // At page exit a text/plain body keeps a cross-origin request "simple": no preflight to wait for.
      headers: { 'content-type': keepalive ? 'text/plain;charset=UTF-8' : 'application/json' },
    });
    if (ok) return 'sent';
    if (status !== 408 && status !== 429 && status < 500) return 'refused';
    return retryAfter(headers.get('retry-after'));
  } catch {
    return NaN;
  } finally {
    clearTimeout(timeout);
  }
}

/** `Retry-After` in ms: delta-seconds or an HTTP date (RFC 9110 §10.2.3); NaN when absent or unreadable. */
export function retryAfter(value: string | null, now = Date.now()): number {
  const text = String(value);
  // HTTP dates name a month; without one, Date.parse would read "1.5" as a date.
  const ms = /^\s*\d+\s*$/.test(text) ? +text * 1000 : /[a-z]/i.test(text) ? Date.parse(text) - now : NaN;
  // Beyond ten minutes we read it as a misconfiguration; page exit still sends by beacon.
  return ms < 0 ? 0 : Math.min(ms, 600_000);
}

/**
 * Exponential back-off from 1 s to 60 s with "equal jitter": half of each step is fixed, half random,
 * so clients that failed together do not come back together.
 */
export function backoff(attempt: number, random = Math.random): number {
  const step = Math.min(60_000, 1_000 * 2 ** attempt);
  return Math.max(1_000, step / 2 + (random() * step) / 2);
}
