/**
 * The delivery pipeline: when to flush (count, bytes, timer, page hidden) and how (one POST at a
 * time, back-off on failure, beacons at page exit). Records are serialized in a microtask after the
 * call that made them, so the app's call returns at once.
 */
import type { Debug } from '../logger';
import { ENVELOPE_BYTES, hoistShared, toBody } from './envelope';
import type { Transport } from '../types';
import { backoff, postBatch, type SendResult } from './http';
import { type Entry, evict, take } from './queue';

export type FlushReason = 'count' | 'bytes' | 'timer' | 'page_hidden' | 'retry' | 'manual';

/** Browsers refuse keepalive bodies beyond 64 KiB in flight; this leaves room for headers. */
export const BEACON_MAX_BYTES = 60_000;

export interface PipelineOptions<R> {
  sink: string;
  fetch: typeof fetch;
  sendBeacon?: (url: string, body: string) => boolean;
  maxEvents: number;
  maxBytes: number;
  flushIntervalMs: number;
  maxQueue: number;
  /** Builds and serializes one record; null means it was dropped on purpose (`beforeSend`). */
  serialize(record: R): string | null;
  /** The serialized `events_dropped` event for `count` evicted events. */
  droppedNotice(count: number): string;
  debug: Debug;
  random?: () => number;
  transport?: Transport;
}

export interface Pipeline<R> {
  add(record: R, isError: boolean): void;
  flush(reason: FlushReason): Promise<void>;
  /** While hidden, everything (also what arrives later) leaves at once by beacon. */
  setHidden(hidden: boolean): void;
  stop(): void;
}

let encoder: TextEncoder | undefined;
let scratch: Uint8Array | undefined;

/** Bytes on the wire. The encoder writes into one small reused buffer: no copy of the text is kept. */
export function utf8Length(text: string): number {
  encoder ??= new TextEncoder();
  // A UTF-16 unit is at most 3 UTF-8 bytes; the rare text too long for the buffer is encoded whole.
  if (text.length > 4_096) return encoder.encode(text).length;
  return encoder.encodeInto(text, (scratch ??= new Uint8Array(12_288))).written;
}

export function createPipeline<R>(o: PipelineOptions<R>): Pipeline<R> {
  const queue: Array<Entry<R>> = [];
  let inFlight: Array<Entry<R>> = [];
  let sending: Promise<void> | undefined;
  let scheduled = false;
  let hidden = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let retrying = false;
  let attempt = 0;
  // The one unsent drop notice: later evictions raise its count instead of adding notices.
  let notice: Entry<R> | undefined;
  let dropped = 0;
  let evicted = 0;

  function schedule(reason: FlushReason, ms: number): void {
    clearTimeout(timer);
    timer = setTimeout(() => flush(reason), ms);
    // In Node and edge runtimes a pending flush must not keep the process alive.
    (timer as { unref?: () => void }).unref?.();
  }

  function add(record: R, isError: boolean): void {
    if (stopped) return;
    queue.push({ record, isError, bytes: 0 });
    evicted += evict(queue, o.maxQueue);
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(() => {
        scheduled = false;
        if (hidden) return sendAtExit();
        const bytes = prepare();
        if (retrying || !queue.length) return;
        if (queue.length >= o.maxEvents) void flush('count');
        else if (bytes >= o.maxBytes) void flush('bytes');
        else if (!timer) schedule('timer', o.flushIntervalMs);
      });
    }
  }

  /** Serializes what waits unserialized, adds the drop notice; returns the bytes waiting. */
  function prepare(): number {
    let bytes = 0;
    if (evicted) {
      if (!notice || !queue.includes(notice)) {
        dropped = 0;
        // Marked as an error so that eviction never takes the notice itself.
        queue.push((notice = { isError: true, bytes: 0 } as Entry<R>));
        evicted += evict(queue, o.maxQueue);
      }
      notice.json = o.droppedNotice((dropped += evicted));
      notice.bytes = evicted = 0;
    }
    for (const entry of queue.slice()) {
      entry.json ??= o.serialize(entry.record) ?? undefined;
      if (entry.json === undefined) queue.splice(queue.indexOf(entry), 1);
      else bytes += entry.bytes ||= utf8Length(entry.json) + 1;
    }
    return bytes;
  }

  function flush(reason: FlushReason): Promise<void> {
    if (hidden || stopped) return Promise.resolve(hidden ? sendAtExit() : undefined);
    // One request at a time: flushes asked for meanwhile run after it, in order.
    return (sending = (sending ?? Promise.resolve()).then(() => drain(reason)).catch(() => o.debug('flush failed')));
  }

  async function drain(reason: FlushReason): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    retrying = false;
    prepare();
    for (let batch; (batch = take(queue, o.maxEvents, o.maxBytes - ENVELOPE_BYTES)).length; ) {
      inFlight = batch;
      const jsons = batch.map((entry) => entry.json!);
      const result = await (o.transport ? send(jsons, false) : postBatch(o.fetch, o.sink, toBody(jsons)));
      inFlight = [];
      if (typeof result !== 'number') {
        attempt = 0;
        o.debug(`${result} ${batch.length} events (${reason})`);
        continue;
      }
      queue.unshift(...batch.filter((entry) => !entry.sent));
      const wait = result >= 0 ? result : backoff(attempt++, o.random);
      o.debug(`retry in ${wait} ms`);
      retrying = true;
      if (!stopped) schedule('retry', wait);
      return;
    }
  }

  /**
   * Page exit: synchronous, beacons of at most BEACON_MAX_BYTES, a keepalive fetch when one is
   * refused. The batch in flight goes again (a closing page cancels it; the sink drops repeats), and
   * errors go first, so that if the browser's 64 KiB allowance runs out, it is not on them.
   */
  function sendAtExit(): void {
    prepare();
    const entries = inFlight.filter((entry) => !entry.sent).concat(queue.splice(0));
    entries.sort((a, b) => +b.isError - +a.isError);
    if (o.transport) {
      // A transport packs its own requests for page exit; the whole batch comes back if they fail.
      entries.forEach((entry) => (entry.sent = true));
      if (entries.length) {
        void send(entries.map((entry) => entry.json!), true).then((result) => requeue(result, entries));
      }
      return;
    }
    const [jsons, shared] = hoistShared(entries.map((entry) => entry.json!));
    const room = BEACON_MAX_BYTES - ENVELOPE_BYTES - utf8Length(shared) - '"shared":,'.length;
    // Compact copies for the beacons; the entries keep their whole events in case they must wait.
    const compact = entries.map((entry, i) => ({ ...entry, record: entry, json: jsons[i], bytes: utf8Length(jsons[i]) + 1 }));
    while (compact.length) {
      const chunk = take(compact, Infinity, room).map((entry) => entry.record);
      const body = toBody(jsons.splice(0, chunk.length), shared);
      chunk.forEach((entry) => (entry.sent = true));
      if (!beacon(body)) {
        void postBatch(o.fetch, o.sink, body, true).then((result) => requeue(result, chunk));
      }
    }
  }

  /** A page-exit send that must be retried: still here (the tab was only hidden), the queue tries again later. */
  function requeue(result: SendResult, entries: Array<Entry<R>>): void {
    if (typeof result === 'number') queue.unshift(...entries.map((entry) => ({ ...entry, sent: false })));
  }

  /** One batch by the app's transport; one that throws or rejects has failed, and the batch is retried. */
  function send(jsons: string[], exit: boolean): Promise<SendResult> {
    try {
      return o.transport!.send(jsons, { sink: o.sink, exit, fetch: o.fetch }).catch(() => NaN);
    } catch {
      return Promise.resolve(NaN);
    }
  }

  function beacon(body: string): boolean {
    try {
      return !!o.sendBeacon?.(o.sink, body);
    } catch {
      return false;
    }
  }

  return {
    add,
    flush,
    setHidden(value) {
      hidden = value;
      if (value) sendAtExit();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
