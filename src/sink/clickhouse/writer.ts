/**
 * A `write` for `createSinkHandler` that keeps events in ClickHouse. Requests arriving together
 * share one INSERT: a batch goes once no request has come for `quietMs`, or `maxWaitMs` after its
 * first row, and when all `concurrency` INSERTs are busy, as soon as one is done. An INSERT has a
 * fixed cost (ClickHouse writes a new part of two files a column), so fewer, fuller INSERTs carry
 * more events; the next batch fills while one is stored. A request's promise settles with its
 * batch's INSERT, and the sink answers 202 only then.
 */
import type { TelemetryEvent } from '../../core/types';
import type { SinkWriter } from '../handler';
import { checkTableName, ClickHouseError, clickHouseClient, type ClickHouseClient } from './http';
import { dropOldDays } from './retention';
import { eventInsertSql, eventRow, NO_DETAIL, type EventRow } from './event-row';
import { createTableSql, DEFAULT_TABLE } from './schema';

export interface ClickHouseWriterOptions {
  /** The HTTP interface, e.g. `http://127.0.0.1:8123` (`?database=` and credentials allowed). */
  url: string;
  /** Default `tracebeam_events`; created when missing. */
  table?: string;
  /** Rows of one INSERT at most; default 20,000. */
  maxBatch?: number;
  /** The longest a batch waits for more requests to share its INSERT, in ms; default 20. */
  maxWaitMs?: number;
  /** A batch goes once no request has come for this long, in ms (before `maxWaitMs`); default 2. */
  quietMs?: number;
  /** Rows waiting past this make new writes fail at once (503), rather than pile up; default 200,000. */
  maxPending?: number;
  /**
   * INSERTs under way at once at most; default 1. The next batch fills while one is stored either
   * way; two at once ran no faster on a loaded 2-core machine, where ClickHouse's CPU was the bound.
   */
  concurrency?: number;
  /** An INSERT not answered within this many ms fails its requests (503); default 10,000. */
  timeoutMs?: number;
  /** Keep this many days; older days are dropped at start and every hour. Default: keep all. */
  retentionDays?: number;
  /** For tests: a ClickHouse client of one's own. */
  client?: ClickHouseClient;
}

export interface ClickHouseWriter extends SinkWriter {
  /** Sends what is waiting and resolves once it is stored (or has failed); later writes fail. */
  close(): Promise<void>;
  readonly table: string;
  readonly client: ClickHouseClient;
}

interface Waiting {
  rows: EventRow[];
  settle: Array<(error?: unknown) => void>;
}

const HOUR_MS = 3_600_000;

export function clickHouseWriter(options: ClickHouseWriterOptions): ClickHouseWriter {
  const table = checkTableName(options.table ?? DEFAULT_TABLE);
  const client = options.client ?? clickHouseClient(options.url, { timeoutMs: options.timeoutMs });
  const maxBatch = options.maxBatch ?? 20_000;
  const maxWaitMs = options.maxWaitMs ?? 20;
  const quietMs = options.quietMs ?? 2;
  const maxPending = options.maxPending ?? 200_000;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const retentionDays = options.retentionDays;
  const inserts = { plain: eventInsertSql(table, false), detailed: eventInsertSql(table, true) };

  let waiting: Waiting = { rows: [], settle: [] };
  const inFlight = new Set<Promise<void>>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstArrival = 0;
  let lastArrival = 0;
  let closed = false;
  let ready: Promise<void> | undefined;
  let retention: ReturnType<typeof setInterval> | undefined;

  // Created on first use rather than at start, so a sink may start before its ClickHouse; a
  // failure is tried again with the next batch.
  const prepare = (): Promise<void> =>
    (ready ??= client.query(createTableSql(table)).then(
      () => {
        if (retentionDays !== undefined && retention === undefined) {
          const drop = (): void => void dropOldDays(client, table, retentionDays).catch((error: unknown) => console.error('tracebeam sink: retention', error));
          drop();
          retention = setInterval(drop, HOUR_MS);
          // Retention must not keep a process alive that has nothing else to do.
          (retention as { unref?: () => void }).unref?.();
        }
      },
      (error: unknown) => {
        ready = undefined;
        throw error;
      },
    ));

  const send = (batch: Waiting): Promise<void> =>
    prepare()
      .then(() => {
        const detailed = batch.rows.some((row) => row.detail !== undefined);
        let body = '';
        for (const row of batch.rows) body += `${row.base}${detailed ? (row.detail ?? NO_DETAIL) : ''}\n`;
        return client.query(detailed ? inserts.detailed : inserts.plain, body);
      })
      .then(
        () => batch.settle.forEach((settle) => settle()),
        (error: unknown) => batch.settle.forEach((settle) => settle(error)),
      );

  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (inFlight.size >= concurrency || waiting.rows.length === 0) return;
    const batch = waiting;
    waiting = { rows: [], settle: [] };
    const sent: Promise<void> = send(batch).finally(() => {
      inFlight.delete(sent);
      // What arrived meanwhile has waited one INSERT already: it goes now.
      flush();
    });
    inFlight.add(sent);
  };

  // A batch goes once no request has come for `quietMs` (the clients that were answered together
  // have all sent their next batch), or `maxWaitMs` after its first row, whichever is sooner.
  const due = (): void => {
    timer = undefined;
    const now = Date.now();
    const at = Math.min(firstArrival + maxWaitMs, lastArrival + quietMs);
    if (now >= at) flush();
    else timer = setTimeout(due, at - now);
  };

  const write = (events: TelemetryEvent[]): Promise<void> => {
    if (events.length === 0) return Promise.resolve();
    if (closed) return Promise.reject(new ClickHouseError('the ClickHouse writer is closed'));
    if (waiting.rows.length + events.length > maxPending) {
      return Promise.reject(new ClickHouseError(`ClickHouse at ${client.where} is behind: ${waiting.rows.length} rows wait to be written`));
    }
    for (const event of events) waiting.rows.push(eventRow(event, JSON.stringify(event)));
    const done = new Promise<void>((resolve, reject) => waiting.settle.push((error) => (error === undefined ? resolve() : reject(error))));
    lastArrival = Date.now();
    if (waiting.rows.length >= maxBatch) flush();
    else if (timer === undefined) {
      firstArrival = lastArrival;
      timer = setTimeout(due, Math.min(quietMs, maxWaitMs));
    }
    return done;
  };

  return Object.assign(write, {
    table,
    client,
    async close() {
      closed = true;
      if (retention !== undefined) clearInterval(retention);
      flush();
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  });
}
