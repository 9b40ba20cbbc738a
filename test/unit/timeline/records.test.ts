import { describe, expect, it } from 'vitest';
import { describeRecord } from '../../../src/timeline/details';
import { parseDateTime, readLevel, readTime, toEpochMs } from '../../../src/log-fields/fields';
import { mergeRecords } from '../../../src/timeline/merge';
import { toRecord, type TimelineRecord } from '../../../src/timeline/record';
import { describeSkipped, scanLines } from '../../../src/timeline/scan';
import { parseTraceId, readTraceIdValue, sameTrace } from '../../../src/log-fields/trace-id';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const place = { label: 'server.log', input: 'logs/server.log', line: 1, previousTime: undefined };

function record(fields: Record<string, unknown>): TimelineRecord {
  return toRecord(fields, undefined, place)!;
}

describe('trace ids', () => {
  it('parses what people paste into the canonical form', () => {
    expect(parseTraceId(TRACE.toUpperCase())).toBe(TRACE);
    expect(parseTraceId('4bf92f35-77b3-4da6-a3ce-929d0e0e4736')).toBe(TRACE);
    expect(parseTraceId(`00-${TRACE}-00f067aa0ba902b7-01`)).toBe(TRACE);
    expect(parseTraceId('0'.repeat(32))).toBeUndefined();
    expect(parseTraceId(TRACE.slice(1))).toBeUndefined();
    expect(parseTraceId('')).toBeUndefined();
  });

  it('reads the forms loggers write, 64-bit ones as the low half', () => {
    const low = TRACE.slice(16);
    expect(readTraceIdValue(TRACE)).toBe(TRACE);
    expect(readTraceIdValue(low)).toBe(low);
    expect(readTraceIdValue(BigInt(`0x${low}`).toString())).toBe(low);
    expect(readTraceIdValue(BigInt(`0x${TRACE}`).toString())).toBe(TRACE);
    expect(readTraceIdValue(`projects/p/traces/${TRACE}`)).toBe(TRACE);
    expect(readTraceIdValue(42)).toBe('000000000000002a');
    expect(readTraceIdValue(2 ** 60)).toBeUndefined();
    expect(readTraceIdValue({})).toBeUndefined();
    expect(readTraceIdValue('not an id')).toBeUndefined();
    expect(sameTrace(low, TRACE)).toBe(true);
    expect(sameTrace(TRACE, TRACE)).toBe(true);
    expect(sameTrace('f'.repeat(16), TRACE)).toBe(false);
  });

  it('keeps only the records of the trace asked for', () => {
    expect(toRecord({ trace_id: TRACE }, TRACE, place)).toBeDefined();
    expect(toRecord({ trace_id: 'f'.repeat(32) }, TRACE, place)).toBeUndefined();
    expect(toRecord({ msg: 'no id' }, TRACE, place)).toBeUndefined();
  });
});

describe('times', () => {
  it('tells epoch seconds, milliseconds, microseconds and nanoseconds apart', () => {
    const ms = 1714564800123;
    expect(toEpochMs(ms / 1000)).toBeCloseTo(ms, 3);
    expect(toEpochMs(ms)).toBe(ms);
    expect(toEpochMs(ms * 1000)).toBe(ms);
    expect(toEpochMs(ms * 1e6)).toBeCloseTo(ms, 3);
    expect(toEpochMs('1714564800.123')).toBeCloseTo(ms, 3);
  });

  it('parses ISO 8601 with offsets and sub-millisecond digits, and asctime as local time', () => {
    expect(parseDateTime('2024-05-01T12:00:00.123456Z')).toBeCloseTo(Date.UTC(2024, 4, 1, 12, 0, 0, 123) + 0.456, 6);
    expect(parseDateTime('2024-05-01T14:00:00+02:00')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(parseDateTime('2024-05-01T07:30:00-0430')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(parseDateTime('2024-05-01 12:00:00,250')).toBe(new Date(2024, 4, 1, 12, 0, 0, 250).getTime());
    expect(parseDateTime('Wed, 01 May 2024 12:00:00 GMT')).toBe(Date.UTC(2024, 4, 1, 12));
    expect(parseDateTime('yesterday')).toBeUndefined();
  });

  it('prefers the most precise field a line has', () => {
    expect(readTime({ timestamp: '2024-05-01T12:00:00.000Z', time: 1 })?.key).toBe('timestamp');
    expect(readTime({ created: 1714564800.5, asctime: '2024-05-01 12:00:00,500' })).toEqual({ value: 1714564800500, key: 'created' });
    expect(readTime(JSON.parse('{"timeUnixNano": 1714564800123456789}'))?.value).toBeCloseTo(1714564800123.4568, 0);
    expect(readTime({ time: 'garbage', ts: 1714564800 })).toEqual({ value: 1714564800000, key: 'ts' });
  });
});

describe('levels', () => {
  it.each<[Record<string, unknown>, string]>([
    [{ level: 30 }, 'info'],
    [{ level: 35 }, 'warn'],
    [{ level: 'WARNING' }, 'warn'],
    [{ levelname: 'CRITICAL' }, 'fatal'],
    [{ severity: 'NOTICE' }, 'info'],
    [{ 'log.level': 'Error' }, 'error'],
    [{ log: { level: 'debug' } }, 'debug'],
    [{ severityNumber: 9 }, 'info'],
    [{ severityNumber: 21 }, 'fatal'],
    [{ level: 'verbose' }, 'verbose'],
  ])('%j is %s', (fields, level) => {
    expect(readLevel(fields)?.value).toBe(level);
  });

  it('is info when a line has none', () => {
    expect(record({ msg: 'x' }).level).toBe('info');
  });
});

describe('what a record shows', () => {
  it('says an http request in a few words and draws it as a bar from its time, when it started', () => {
    const details = describeRecord(
      record({ timestamp: '2024-05-01T12:00:00.400Z', event: 'http_request', http: { method: 'GET', url: '/api/cart', status_code: 200, duration_ms: 120 } }),
    );
    expect(details.summary).toBe('GET /api/cart -> 200 in 120 ms');
    expect(details.bar).toEqual({ start: Date.UTC(2024, 4, 1, 12, 0, 0, 400), duration: 120 });
  });

  it('says a failed request by its error', () => {
    expect(describeRecord(record({ event: 'http_request', http: { method: 'GET', url: '/x', status_code: 0, error: 'network_error' } })).summary).toBe(
      'GET /x -> network_error',
    );
  });

  it('draws a span from its own start', () => {
    const details = describeRecord(
      record({
        timestamp: '2024-05-01T12:00:00.100Z',
        event: 'span',
        span_id: 'a'.repeat(16),
        parent_span_id: 'b'.repeat(16),
        span: { name: 'checkout', kind: 'internal', start_ms: 1714564800100.5, duration_ms: 42.25, status: 'error' },
      }),
    );
    expect(details.summary).toBe('checkout (internal) 42 ms error');
    expect(details.bar).toEqual({ start: 1714564800100.5, duration: 42.25 });
  });

  it('says vitals with their unit', () => {
    expect(describeRecord(record({ event: 'web_vital', vital: { name: 'CLS', value: 0.12345, rating: 'needs-improvement' } })).summary).toBe(
      'CLS 0.123 (needs-improvement)',
    );
    expect(describeRecord(record({ event: 'web_vital', vital: { name: 'INP', value: 8.26 } })).summary).toBe('INP 8.3 ms');
  });

  it('reads errors of the wire format, of pino and of Python tracebacks', () => {
    const client = describeRecord(
      record({
        error: {
          type: 'TypeError',
          message: 'x',
          frames: [{ function: 'f', file: 'a.js', line: 1, column: 2, minified: { file: 'a.min.js', line: 1, column: 99 } }, 'junk'],
        },
      }),
    );
    expect(client.error).toEqual({
      type: 'TypeError',
      message: 'x',
      frames: [{ function: 'f', file: 'a.js', line: 1, column: 2, minified: { file: 'a.min.js', line: 1, column: 99 } }],
    });
    expect(describeRecord(record({ err: { type: 'PaymentError', message: 'declined', stack: 's' } })).error).toEqual({
      type: 'PaymentError',
      message: 'declined',
      frames: [],
      stack: 's',
    });
    expect(describeRecord(record({ exc_info: 'Traceback (most recent call last):\n  File "a.py"\nKeyError: \'cart\'\n' })).summary).toBe("KeyError: 'cart'");
  });

  it('lists short attributes, not the fields it already shows or noise', () => {
    const details = describeRecord(
      record({
        timestamp: 't',
        level: 'info',
        event: 'x',
        service: 'api',
        trace_id: TRACE,
        pid: 1,
        hostname: 'h',
        method: 'POST',
        nested: { a: 1 },
        long: 'x'.repeat(200),
        ok: true,
        count: 3,
        multi: 'a\nb',
      }),
    );
    expect(details.attributes).toEqual([
      ['timestamp', 't'],
      ['method', 'POST'],
      ['ok', 'true'],
      ['count', '3'],
    ]);
  });
});

describe('scanning and merging', () => {
  it('counts what is not a JSON object and keeps the rest', async () => {
    const result = await scanLines(undefined, { input: 'x.log', label: 'x.log', lines: ['{"msg":"a"}', 'text', '', '  ', '"str"', 'null', '{"msg":"b"}'] });
    expect(result.records.map((r) => [r.event, r.line])).toEqual([
      ['a', 1],
      ['b', 7],
    ]);
    expect([result.notJson, result.notObject]).toEqual([1, 2]);
    expect(describeSkipped('x.log', result)).toBe('skipped 1 line that is not JSON and 2 lines of JSON that are not an object in x.log');
    expect(describeSkipped('x.log', { notJson: 0, notObject: 0 })).toBeUndefined();
  });

  it('puts records without any time first and keeps ties in input order', () => {
    const at = (event: string, time: number | undefined) => ({ ...record({ event }), time });
    const merged = mergeRecords([
      [at('a', 2), at('b', 1)],
      [at('c', undefined), at('d', 2)],
    ]);
    expect(merged.map((r) => r.event)).toEqual(['c', 'b', 'a', 'd']);
  });
});
