/**
 * The sink, `tracebeam ingest` and `tracebeam trace` against a real ClickHouse (Debian's
 * clickhouse-server, started for this file on 127.0.0.1 with a temporary folder).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIngest } from '../../../src/cli/ingest';
import { runSink, type RunningSink } from '../../../src/cli/sink';
import { runTrace } from '../../../src/cli/trace';
import { clickHouseClient } from '../../../src/sink/clickhouse/http';
import { dropOldDays } from '../../../src/sink/clickhouse/retention';
import { toRow } from '../../../src/sink/clickhouse/schema';
import type { LogObject } from '../../../src/log-fields/fields';
import { clickHouseWriter } from '../../../src/sink/clickhouse/writer';
import type { TelemetryEvent } from '../../../src/core/types';
import { captureIo } from '../cli/helpers';
import { hexId, validEvent } from '../sink/fixtures';
import { startClickHouse, type ClickHouse } from './server';

let clickhouse: ClickHouse;
let dir: string;
let tables = 0;

beforeAll(async () => {
  clickhouse = await startClickHouse();
  dir = await mkdtemp(join(tmpdir(), 'tracebeam-ch-test-'));
}, 90_000);

afterAll(async () => {
  await clickhouse?.dispose();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}, 60_000);

const newTable = (): string => `events_${++tables}`;

async function sink(argv: string[]): Promise<RunningSink> {
  return runSink(['--port', '0', '--host', '127.0.0.1', '--quiet', ...argv], captureIo());
}

function post(url: string, events: unknown[]): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
}

/** Posts until the sink answers 202, as the SDK does on 5xx; resolves to the statuses seen. */
async function deliver(url: string, events: unknown[]): Promise<number[]> {
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const response = await post(url, events);
    statuses.push(response.status);
    if (response.status === 202) return statuses;
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    await response.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not accepted after 200 attempts: ${statuses.join(',')}`);
}

async function idsIn(table: string, final: boolean): Promise<string[]> {
  const text = await clickhouse.query(`SELECT id FROM ${table}${final ? ' FINAL' : ''} ORDER BY id FORMAT TabSeparated`);
  return text.split('\n').filter((line) => line !== '');
}

describe('the sink on ClickHouse', () => {
  it('two sinks fed the same events through retries keep each event once', async () => {
    const table = newTable();
    const url = `${clickhouse.url}/`;
    const [a, b] = await Promise.all([sink(['--clickhouse', url, '--table', table]), sink(['--clickhouse', url, '--table', table])]);
    try {
      const events = Array.from({ length: 400 }, (_, i) => validEvent({ event: 'step', step: i }));
      const batches = Array.from({ length: 20 }, (_, i) => events.slice(i * 20, i * 20 + 20));
      // Every batch goes to both sinks at once, and again to each: what retries through a load
      // balancer do when an answer is lost.
      const answers = await Promise.all(batches.flatMap((batch) => [post(a!.url, batch), post(b!.url, batch), post(a!.url, batch), post(b!.url, batch)]));
      const bodies = (await Promise.all(answers.map((answer) => answer.json()))) as Array<{ accepted: number; duplicates: number }>;
      expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 202));
      // Each sink drops its own repeats; across the two, every event was written twice.
      expect(bodies.reduce((sum, body) => sum + body.accepted, 0)).toBe(800);

      const all = await idsIn(table, false);
      expect(all.length).toBeGreaterThanOrEqual(400);
      const kept = await idsIn(table, true);
      expect(kept).toEqual(events.map((event) => event.id).sort());
      const stored = JSON.parse(await clickhouse.query(`SELECT raw FROM ${table} FINAL WHERE id = '${events[7]!.id}' FORMAT JSONEachRow`)) as { raw: string };
      expect(JSON.parse(stored.raw)).toEqual(events[7]);
    } finally {
      await Promise.all([a!.close(), b!.close()]);
    }
  }, 60_000);

  it('fills the filter columns from the event', async () => {
    const table = newTable();
    const write = clickHouseWriter({ url: clickhouse.url, table });
    const event = validEvent({
      timestamp: '2024-05-01T12:00:00.123Z',
      level: 'error',
      event: 'http_request',
      release: '1.4.2',
      environment: 'production',
      session_id: 's1',
      user_id: '42',
      http: { method: 'GET', url: '/api', status_code: 502, duration_ms: 12.5 },
      error: { type: 'TypeError', message: 'x', fingerprint: 'f1' },
      vital: { name: 'LCP', value: 1234.5 },
    });
    await write([event]);
    await write.close();
    const row = JSON.parse(
      await clickhouse.query(
        `SELECT id, time_ms, toString(timestamp) AS ts, level, event, service, release, environment, trace_id, span_id, session_id, user_id, error_type, error_fingerprint, http_status, http_duration_ms, vital_name, vital_value, origin FROM ${table} FINAL FORMAT JSONEachRow`,
      ),
    ) as Record<string, unknown>;
    expect(row).toEqual({
      id: event.id,
      // 18.16 quotes 64-bit integers in JSON, later versions may not.
      time_ms: expect.toSatisfy((value: unknown) => Number(value) === Date.parse('2024-05-01T12:00:00.123Z')),
      ts: '2024-05-01 12:00:00',
      level: 'error',
      event: 'http_request',
      service: 'web',
      release: '1.4.2',
      environment: 'production',
      trace_id: event.trace_id,
      span_id: event.span_id,
      session_id: 's1',
      user_id: '42',
      error_type: 'TypeError',
      error_fingerprint: 'f1',
      http_status: 502,
      http_duration_ms: 12.5,
      vital_name: 'LCP',
      vital_value: 1234.5,
      origin: 'client',
    });
  });

  it('stores in one INSERT what toRow gives, for events with and without details and with characters TSV escapes', async () => {
    const table = newTable();
    const write = clickHouseWriter({ url: clickhouse.url, table });
    const events = [
      validEvent({ release: 'r\t1', environment: 'p\r\nq', user_id: 'u\u0000\\', session_id: '\\t', note: 'a "quote" \\ and \n' }),
      validEvent({ level: 'error', error: { type: 'Type\tError', message: 'm', stack: 'at a\n  at b', fingerprint: 'f\\1' } }),
      validEvent({ http: { method: 'GET', url: '/', status_code: 204, duration_ms: 1e21 }, vital: { name: 'CLS', value: 0.000001234 } }),
      validEvent({ user_id: 'Zoë 😀\u2028' }),
    ];
    // One write: the rows without details share the INSERT of those with them.
    await write(events);
    await write.close();
    const columns =
      'id, time_ms, level, event, service, release, environment, trace_id, span_id, session_id, user_id, error_type, error_fingerprint, http_status, http_duration_ms, vital_name, vital_value, origin, input, raw';
    const stored = (await clickhouse.query(`SELECT ${columns} FROM ${table} FINAL FORMAT JSONEachRow`))
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const expected = events.map(
      (event) => JSON.parse(toRow(event as unknown as LogObject, JSON.stringify(event), event.id, 'client', 'sink')) as Record<string, unknown>,
    );
    // 18.16 quotes 64-bit integers in JSON; compare numbers as numbers.
    const normal = (row: Record<string, unknown>): Record<string, unknown> => ({ ...row, time_ms: Number(row.time_ms) });
    const byId = (a: Record<string, unknown>, b: Record<string, unknown>): number => String(a.id).localeCompare(String(b.id));
    expect(stored.map(normal).sort(byId)).toEqual(expected.map(normal).sort(byId));
    expect(stored.map((row) => JSON.parse(String(row.raw)))).toEqual(expect.arrayContaining(events));
  });
  it('keeps the frames and the fingerprint the sink read from a stack, in the file and in ClickHouse alike', async () => {
    const table = newTable();
    const out = join(dir, `${table}.jsonl`);
    const running = await sink(['--clickhouse', `${clickhouse.url}/`, '--table', table, '--out', out]);
    try {
      const stack =
        'TypeError: total is undefined\n    at applyDiscount (https://shop.test/app.4a41.js:41:13)\n    at checkout (https://shop.test/app.4a41.js:15:2)';
      const sent = validEvent({ level: 'error', event: 'client_error', error: { type: 'TypeError', message: 'total is undefined', stack, handled: false } });
      expect(await deliver(running.url, [sent])).toEqual([202]);
      await running.close();
      const [line] = (await readFile(out, 'utf8')).trim().split('\n');
      const inFile = JSON.parse(line!) as TelemetryEvent;
      expect(inFile.error!.frames!.map((frame) => frame.function)).toEqual(['applyDiscount', 'checkout']);
      expect(inFile.error!.fingerprint).toMatch(/^[\da-f]{8}$/);
      const row = JSON.parse(await clickhouse.query(`SELECT error_fingerprint, raw FROM ${table} FINAL FORMAT JSONEachRow`)) as {
        error_fingerprint: string;
        raw: string;
      };
      expect(row.error_fingerprint).toBe(inFile.error!.fingerprint);
      expect(JSON.parse(row.raw)).toEqual(inFile);
    } finally {
      await running.close();
    }
  }, 60_000);

  it('answers 503 while ClickHouse is stopped and loses no event once it is back', async () => {
    const table = newTable();
    const running = await sink(['--clickhouse', clickhouse.url, '--table', table]);
    const accepted: TelemetryEvent[] = [];
    const statuses: number[] = [];
    try {
      const batch = (): TelemetryEvent[] => Array.from({ length: 10 }, () => validEvent({ id: hexId(32) }));
      for (let i = 0; i < 5; i += 1) {
        const events = batch();
        statuses.push(...(await deliver(running.url, events)));
        accepted.push(...events);
      }
      await clickhouse.stop();
      const whileDown = batch();
      const down = await post(running.url, whileDown);
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('5');
      expect(await down.json()).toEqual({ error: 'could not store the events: retry later' });
      // The client keeps retrying while the server comes back.
      const retrying = deliver(running.url, whileDown);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await clickhouse.start();
      statuses.push(...(await retrying));
      accepted.push(...whileDown);
      for (let i = 0; i < 3; i += 1) {
        const events = batch();
        statuses.push(...(await deliver(running.url, events)));
        accepted.push(...events);
      }
      expect(statuses).toContain(503);
      expect(await idsIn(table, true)).toEqual(accepted.map((event) => event.id).sort());
    } finally {
      await running.close();
    }
  }, 90_000);

  it('sends what it holds before it closes', async () => {
    const table = newTable();
    // A long wait: only close() makes the batch go.
    const write = clickHouseWriter({ url: clickhouse.url, table, maxWaitMs: 60_000 });
    const events = [validEvent(), validEvent()];
    const written = write(events);
    await write.close();
    await written;
    expect(await idsIn(table, true)).toEqual(events.map((event) => event.id).sort());
    await expect(write([validEvent()])).rejects.toThrow(/closed/);
  });

  it('drops the days past the retention', async () => {
    const table = newTable();
    const write = clickHouseWriter({ url: clickhouse.url, table });
    const now = Date.parse('2024-05-10T08:00:00.000Z');
    const old = validEvent({ timestamp: '2024-05-01T12:00:00.000Z' });
    const recent = validEvent({ timestamp: '2024-05-09T12:00:00.000Z' });
    await write([old, recent]);
    await write.close();
    expect(await dropOldDays(clickHouseClient(clickhouse.url), table, 7, now)).toEqual(['20240501']);
    expect(await idsIn(table, true)).toEqual([recent.id]);
  });
});

describe('tracebeam trace and the viewer from ClickHouse', () => {
  const traceId = '5bf92f3577b34da6a3ce929d0e0e4737';
  const other = '6bf92f3577b34da6a3ce929d0e0e4738';

  async function logFiles(): Promise<string[]> {
    const structlog = join(dir, 'django.log');
    const jsonLogger = join(dir, 'fastapi.log');
    const pino = join(dir, 'express.log');
    await writeFile(
      structlog,
      [
        JSON.stringify({ event: 'checkout_received', level: 'info', timestamp: '2024-05-01T12:00:00.300Z', trace_id: traceId, service: 'api' }),
        'Traceback (most recent call last):',
        JSON.stringify({ event: 'payment_failed', level: 'error', timestamp: '2024-05-01T12:00:00.450Z', trace_id: traceId, service: 'api' }),
        JSON.stringify({ event: 'other_trace', level: 'info', timestamp: '2024-05-01T12:00:00.460Z', trace_id: other }),
      ].join('\n'),
    );
    await writeFile(
      jsonLogger,
      `${JSON.stringify({ message: 'stock checked', levelname: 'INFO', asctime: '2024-05-01T12:00:00.350Z', trace_id: traceId.toUpperCase() })}\n`,
    );
    await writeFile(pino, `${JSON.stringify({ level: 30, time: Date.parse('2024-05-01T12:00:00.400Z'), msg: 'charged card', trace_id: traceId, pid: 1 })}\n`);
    return [structlog, jsonLogger, pino];
  }

  const clientEvents = (): TelemetryEvent[] => [
    validEvent({ trace_id: traceId, timestamp: '2024-05-01T12:00:00.100Z', event: 'checkout_clicked' }),
    validEvent({
      trace_id: traceId,
      timestamp: '2024-05-01T12:00:00.500Z',
      event: 'client_error',
      level: 'error',
      error: { type: 'Error', message: 'payment failed' },
    }),
    validEvent({ trace_id: other, timestamp: '2024-05-01T12:00:00.200Z', event: 'elsewhere' }),
  ];

  it('shows the same timeline from the store as from the files', async () => {
    const table = newTable();
    const out = join(dir, `events-${table}.jsonl`);
    const logs = await logFiles();
    const running = await sink(['--clickhouse', clickhouse.url, '--table', table, '--out', out]);
    try {
      expect((await post(running.url, clientEvents())).status).toBe(202);
    } finally {
      await running.close();
    }
    const ingestIo = captureIo();
    expect(await runIngest([...logs, '--clickhouse', clickhouse.url, '--table', table], ingestIo)).toBe(0);
    expect(ingestIo.err()).toContain('django.log: 3 lines stored');
    expect(ingestIo.err()).toContain('skipped 1 line that is not a JSON object');
    // Ingesting again stores nothing twice.
    expect(await runIngest([...logs, '--clickhouse', clickhouse.url, '--table', table], captureIo())).toBe(0);

    const fromFiles = captureIo();
    expect(await runTrace([traceId, out, ...logs, '--json'], fromFiles)).toBe(0);
    const fromStore = captureIo();
    expect(await runTrace([traceId, '--clickhouse', clickhouse.url, '--table', table, '--json'], fromStore)).toBe(0);
    // The same records in the same order; only where each was read differs (a file and its line, or the table).
    const strip = (text: string): unknown[] =>
      text
        .trim()
        .split('\n')
        .map((line) => {
          const { input: _input, line: _line, ...rest } = JSON.parse(line) as Record<string, unknown>;
          return rest;
        });
    const files = strip(fromFiles.out());
    expect(files).toHaveLength(6);
    expect(strip(fromStore.out())).toEqual(files);

    const timeline = captureIo();
    expect(await runTrace([traceId, '--clickhouse', clickhouse.url, '--table', table], timeline, { env: { NO_COLOR: '1' } })).toBe(0);
    const order = ['checkout_clicked', 'checkout_received', 'stock checked', 'charged card', 'payment_failed', 'client_error'];
    const positions = order.map((word) => timeline.out().indexOf(word));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((x, y) => x - y)).toEqual(positions);
    expect(timeline.out()).not.toContain('elsewhere');
  }, 60_000);

  it('the viewer shows the trace from the store as from the files', async () => {
    const table = newTable();
    const out = join(dir, `events-${table}.jsonl`);
    const logs = await logFiles();
    const writer = await sink(['--clickhouse', clickhouse.url, '--table', table, '--out', out]);
    try {
      expect((await post(writer.url, clientEvents())).status).toBe(202);
    } finally {
      await writer.close();
    }
    expect(await runIngest([...logs, '--clickhouse', clickhouse.url, '--table', table], captureIo())).toBe(0);

    // Fresh sinks: nothing in memory, so all they show is read back.
    const fromStore = await sink(['--ui', '--clickhouse', clickhouse.url, '--table', table]);
    const fromFiles = await sink(['--ui', '--out', out, '--logs', logs.join(',')]);
    try {
      type View = { records: Array<{ event: string; origin: string; time: number; source: string }>; notes: string[] };
      const store = (await (await fetch(`${fromStore.url}/api/trace/${traceId}`)).json()) as View;
      const files = (await (await fetch(`${fromFiles.url}/api/trace/${traceId}`)).json()) as View;
      const shape = (view: View): unknown[] => view.records.map(({ event, origin, time, source }) => ({ event, origin, time, source }));
      expect(shape(store)).toHaveLength(6);
      expect(shape(store)).toEqual(shape(files));
      expect(store.notes).toEqual([]);
      const recent = (await (await fetch(`${fromStore.url}/api/events`)).json()) as { events: Array<{ event: string }> };
      expect(recent.events.map((event) => event.event)).toEqual(['checkout_clicked', 'elsewhere', 'client_error']);
    } finally {
      await Promise.all([fromStore.close(), fromFiles.close()]);
    }
  }, 60_000);
});
