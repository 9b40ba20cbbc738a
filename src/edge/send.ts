/**
 * How the events of one request (or one `flush()`) reach the sink: one POST of the wire format,
 * retried a little on an answer that asks for it (network error, 408, 429, 5xx, as the browser's
 * transport does). It runs inside `waitUntil`, after the response has gone, and the runtime ends it
 * there anyway (30 s on Workers), so a short, bounded retry is all it can do; the browser's
 * `postBatch` with its minute-long back-off and `Retry-After` handling is more than fits the 3 KB
 * edge budget.
 */
import { report } from '../core/logger';
import { isRetryable } from '../core/transport/retry';
import type { TelemetryEvent } from '../core/types';

/** Attempts after the first one, 1 s and then 2 s apart. */
const RETRIES = 2;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Never rejects: a delivery failure is reported on the console, where edge logs are read. */
export async function sendEvents(fetchFn: typeof fetch, sink: string, events: TelemetryEvent[], wait: (ms: number) => Promise<void> = sleep): Promise<void> {
  for (let attempt = 0; attempt <= RETRIES; attempt++) {
    try {
      if (attempt) await wait(attempt * 1_000);
      const { ok, status } = await fetchFn(sink, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
      if (ok) return;
      if (!isRetryable(status)) break;
    } catch {
      // A network error (or a body JSON can not take): retried like a 5xx.
    }
  }
  report(`the sink did not take ${events.length} event(s)`);
}
