/**
 * The one rule for what to do with a sink's answer, shared by the browser's sender, the OTLP
 * transport and the edge: network errors, 408, 429 and 5xx are retried, honouring `Retry-After`;
 * any other answer that is not a success drops the batch for good.
 */

/** A number is a retry: the wait `Retry-After` asked for, or NaN when the back-off decides. */
export type SendResult = 'sent' | 'refused' | number;

export const isRetryable = (status: number): boolean => status === 408 || status === 429 || status >= 500;

/** What an HTTP answer means for the batch it carried. */
export const classify = ({ ok, status, headers }: Pick<Response, 'ok' | 'status' | 'headers'>): SendResult =>
  ok ? 'sent' : isRetryable(status) ? retryAfter(headers.get('retry-after')) : 'refused';

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
