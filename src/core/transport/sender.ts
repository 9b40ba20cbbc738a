/**
 * How a batch travels. Regular batches: one POST by the fetch captured before any patching (or the
 * app's transport), with exponential back-off or the sink's `Retry-After` after a failure. Page
 * exit: synchronous beacons of the compacted events (common fields once, under `shared`), within
 * the bytes the page's keepalive allowance leaves this SDK, and a keepalive fetch where a beacon is
 * refused. When to send is the flush controller's business.
 */
import type { Transport } from '../types';
import { BEACON_MAX_BYTES, ENVELOPE_BYTES, hoistShared, toBody, utf8Length } from './envelope';
import { postBatch } from './http';
import { type Entry, total } from './queue';
import { backoff, type SendResult } from './retry';

export interface SenderOptions {
  sink: string;
  fetch: typeof fetch;
  sendBeacon?: (url: string, body: string) => boolean;
  transport?: Transport;
  random?: () => number;
}

/** What left at page exit: a beacon's answer never comes back; a keepalive fetch's or a transport's does. */
export interface ExitSend {
  entries: Entry[];
  /** What it takes of the page's keepalive allowance. */
  bytes: number;
  answer?: Promise<SendResult>;
}

export interface Sender {
  /** One regular batch. A number is the wait before the retry, the sink's or the back-off's. */
  send(entries: Entry[]): Promise<SendResult>;
  /** Sends at once the leading entries that fit `room` bytes; the rest is left to the caller. */
  exit(entries: Entry[], room: number): ExitSend[];
}

/** Compaction rarely shrinks a batch to less than this share: candidates beyond it would not fit anyway. */
const MAX_COMPACTION = 3;

export function createSender(options: SenderOptions): Sender {
  let attempt = 0;

  /** A transport that throws or rejects has failed, and the batch is retried. */
  function viaTransport(jsons: string[], exit: boolean): Promise<SendResult> {
    try {
      return options.transport!.send(jsons, { sink: options.sink, exit, fetch: options.fetch }).catch(() => NaN);
    } catch {
      return Promise.resolve(NaN);
    }
  }

  function beacon(body: string): boolean {
    try {
      return !!options.sendBeacon?.(options.sink, body);
    } catch {
      return false;
    }
  }

  /** The entries from the front whose raw sizes add up to at most `room`. */
  function fitting(entries: Entry[], room: number): Entry[] {
    let end = 0;
    for (let size = 0; end < entries.length && (size += entries[end].bytes) <= room; end++);
    return entries.slice(0, end);
  }

  return {
    async send(entries) {
      const jsons = entries.map((entry) => entry.json);
      const result = await (options.transport ? viaTransport(jsons, false) : postBatch(options.fetch, options.sink, toBody(jsons)));
      if (typeof result !== 'number') attempt = 0;
      return typeof result === 'number' && !(result >= 0) ? backoff(attempt++, options.random) : result;
    },

    exit(entries, room) {
      if (options.transport) {
        // A transport packs its own requests for page exit.
        const batch = fitting(entries, room - ENVELOPE_BYTES);
        const bytes = total(batch) + ENVELOPE_BYTES;
        return batch.length
          ? [
              {
                entries: batch,
                bytes,
                answer: viaTransport(
                  batch.map((entry) => entry.json),
                  true,
                ),
              },
            ]
          : [];
      }
      const candidates = fitting(entries, room * MAX_COMPACTION);
      const [jsons, shared] = hoistShared(candidates.map((entry) => entry.json));
      const overhead = ENVELOPE_BYTES + (shared ? utf8Length(shared) + '"shared":,'.length : 0);
      const sends: ExitSend[] = [];
      for (let start = 0, end = 0; start < candidates.length; start = end) {
        const limit = Math.min(BEACON_MAX_BYTES, room) - overhead;
        for (let size = 0; end < candidates.length && (size += utf8Length(jsons[end]) + 1) - 1 <= limit; end++);
        if (end === start) break;
        const body = toBody(jsons.slice(start, end), shared);
        const bytes = utf8Length(body);
        room -= bytes;
        sends.push({ entries: candidates.slice(start, end), bytes, answer: beacon(body) ? undefined : postBatch(options.fetch, options.sink, body, true) });
      }
      return sends;
    },
  };
}
