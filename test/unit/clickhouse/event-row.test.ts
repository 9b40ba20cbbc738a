/**
 * The sink's TabSeparated rows hold the same column values as `toRow` (the JSONEachRow rows of
 * `tracebeam ingest`), for events of the wire format and for odd objects a caller may write.
 */
import { describe, expect, it } from 'vitest';
import { eventRow, NO_DETAIL } from '../../../src/sink/clickhouse/event-row';
import { toRow } from '../../../src/sink/clickhouse/schema';
import type { LogObject } from '../../../src/log-fields/fields';
import { validEvent } from '../sink/fixtures';

const BASE = ['id', 'time_ms', 'level', 'event', 'service', 'release', 'environment', 'trace_id', 'span_id', 'session_id', 'user_id', 'origin', 'input', 'raw'];
const DETAIL = ['error_type', 'error_fingerprint', 'http_status', 'http_duration_ms', 'vital_name', 'vital_value'];
const NUMBERS = new Set(['time_ms', 'http_status', 'http_duration_ms', 'vital_value']);
const UNESCAPE: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r', '0': '\0' };

/** A TSV line read back the way ClickHouse reads it, as the object `toRow` would have written. */
function readTsv(line: string): Record<string, unknown> {
  expect(line).not.toMatch(/[\n\r\0]/);
  const values = line.split('\t').map((value) => value.replace(/\\(.)/g, (_, char: string) => UNESCAPE[char] ?? `\\${char}`));
  const names = values.length === BASE.length ? BASE : [...BASE, ...DETAIL];
  expect(values).toHaveLength(names.length);
  const row: Record<string, unknown> = {};
  names.forEach((name, i) => (row[name] = NUMBERS.has(name) ? Number(values[i]) : values[i]));
  for (const [i, name] of DETAIL.entries()) row[name] ??= NUMBERS.has(name) ? 0 : (NO_DETAIL.split('\t')[i + 1] ?? '');
  return row;
}

const cases: Array<[string, LogObject]> = [
  ['a plain event', validEvent({ session_id: 's1', url: 'https://shop.example.com/', cart_items: 3 }) as unknown as LogObject],
  [
    'an error event',
    validEvent({
      level: 'error',
      event: 'client_error',
      error: { type: 'TypeError', message: 'a\tb\nc', stack: 'at x (a.js:1:2)\n  at y', fingerprint: 'f\\1' },
    }) as unknown as LogObject,
  ],
  ['an HTTP event', validEvent({ event: 'http_request', http: { method: 'GET', url: '/api', status_code: 502, duration_ms: 12.345 } }) as unknown as LogObject],
  ['a vital', validEvent({ event: 'web_vital', vital: { name: 'CLS', value: 0.000001234, rating: 'good' } }) as unknown as LogObject],
  [
    'tabs, line ends, NULs and backslashes in fields',
    validEvent({ release: 'r\t1', environment: 'p\r\nq', user_id: 'u\u0000\\', session_id: '\\t' }) as unknown as LogObject,
  ],
  ['huge and tiny numbers', validEvent({ http: { status_code: 70_000, duration_ms: 1e21 }, vital: { name: 'x', value: -0 } }) as unknown as LogObject],
  ['env in place of environment', validEvent({ env: 'staging' }) as unknown as LogObject],
  ['odd timestamps', validEvent({ timestamp: '2024-02-30T25:61:00.000Z' }) as unknown as LogObject],
  ['a timestamp with an offset', validEvent({ timestamp: '2024-05-01T12:00:00.5+02:00' }) as unknown as LogObject],
  ['a level in capitals', validEvent({ level: 'WARNING' }) as unknown as LogObject],
  ['no span id but spanId', { ...(validEvent() as unknown as LogObject), span_id: undefined, spanId: 'abc' }],
  ['a trace id in capitals', validEvent({ trace_id: '4BF92F3577B34DA6A3CE929D0E0E4736' }) as unknown as LogObject],
  ['a service object', { ...(validEvent() as unknown as LogObject), service: { name: 'api' } }],
  ['nothing but an id', { id: 'x' }],
  [
    'fields of the wrong types',
    { id: 'y', timestamp: 5, level: 3, event: { stringValue: 'msg' }, trace_id: 7, span_id: '', error: 'e', http: [1], vital: null },
  ],
  ['non-ASCII text', validEvent({ user_id: 'Zoë 😀', release: '\u2028' }) as unknown as LogObject],
];

describe('eventRow', () => {
  it.each(cases)('gives the columns of toRow for %s', (_name, event) => {
    const raw = JSON.stringify(event);
    const expected = JSON.parse(toRow(event, raw, typeof event.id === 'string' ? event.id : '', 'client', 'sink')) as Record<string, unknown>;
    const row = eventRow(event, raw);
    expect(readTsv(`${row.base}${row.detail ?? ''}`)).toEqual(expected);
    // An event without an error, HTTP call or vital has no detail columns to send.
    const hasDetail = ['error', 'http', 'vital'].some((key) => event[key] !== undefined && event[key] !== null);
    expect(row.detail !== undefined).toBe(hasDetail);
  });
});
