import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUsageError } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';
import { runTrace, TRACE_USAGE, type TraceInput } from '../../../src/cli/trace';
import { captureIo } from './helpers';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const OTHER = 'ffffffffffffffffffffffffffffff01';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tracebeam-trace-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, lines: Array<object | string>): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n');
  return path;
}

/** Runs the command and gives back what it printed, with `--json` records parsed. */
async function trace(argv: string[], options: Parameters<typeof runTrace>[2] = {}) {
  const io = captureIo();
  const code = await runTrace(argv, io, { env: {}, ...options });
  const records = argv.includes('--json')
    ? io
        .out()
        .split('\n')
        .filter(Boolean)
        .map(
          (line) =>
            JSON.parse(line) as {
              time: string | null;
              source: string;
              level: string;
              event: string;
              input: string;
              line: number;
              record: Record<string, unknown>;
            },
        )
    : [];
  return { code, out: io.out(), err: io.err(), records };
}

async function usageErrorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(isUsageError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
}

const sinkEvent = (fields: Record<string, unknown>) => ({
  id: Math.random().toString(16).slice(2).padEnd(32, '0'),
  level: 'info',
  service: 'web',
  trace_id: TRACE,
  sdk: { name: 'tracebeam', version: '0.1.0' },
  ...fields,
});

describe('tracebeam trace: the loggers it reads', () => {
  it('reads structlog lines: event, level, ISO timestamp with microseconds', async () => {
    const log = await file('api.log', [
      { event: 'request_started', level: 'info', timestamp: '2024-05-01T12:00:00.200123Z', trace_id: TRACE, path: '/api/cart' },
      { event: 'other trace', level: 'info', timestamp: '2024-05-01T12:00:00.300Z', trace_id: OTHER },
      {
        event: 'payment_failed',
        level: 'error',
        timestamp: '2024-05-01T12:00:00.400Z',
        trace_id: TRACE,
        exception: 'Traceback (most recent call last):\n  File "pay.py", line 3\nValueError: card declined',
      },
    ]);
    const { code, records } = await trace([TRACE, log, '--json']);
    expect(code).toBe(0);
    expect(records.map((r) => [r.time, r.source, r.level, r.event])).toEqual([
      ['2024-05-01T12:00:00.200Z', 'api.log', 'info', 'request_started'],
      ['2024-05-01T12:00:00.400Z', 'api.log', 'error', 'payment_failed'],
    ]);
    expect(records[1]!.record.exception).toContain('ValueError: card declined');
  });

  it('reads python-json-logger lines: message, levelname, asctime in local time, otelTraceID', async () => {
    const log = await file('django.log', [
      { message: 'db query', levelname: 'WARNING', asctime: '2024-05-01 12:00:00,250', otelTraceID: TRACE, duration_ms: 12.5 },
    ]);
    const { records } = await trace([TRACE, log, '--json']);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ level: 'warn', event: 'db query', time: new Date(2024, 4, 1, 12, 0, 0, 250).toISOString() });
  });

  it('reads pino lines: numeric levels, epoch ms `time`, `msg`, upper-case traceId', async () => {
    const log = await file('server.log', [
      { level: 30, time: 1714564800100, pid: 7, hostname: 'h', msg: 'request received', traceId: TRACE.toUpperCase() },
      {
        level: 50,
        time: 1714564800300,
        msg: 'payment failed',
        traceId: TRACE,
        err: { type: 'PaymentError', message: 'card declined', stack: 'PaymentError: card declined' },
      },
      { level: 60, time: 1714564800400, msg: 'gone', traceId: TRACE },
      { level: 20, time: 1714564800000, msg: 'debugging', traceId: TRACE },
      { level: 10, time: 1714564799000, msg: 'tracing', traceId: TRACE },
      { level: 40, time: 1714564800200, msg: 'slow', traceId: TRACE },
    ]);
    const { records, out } = await trace([TRACE, log, '--json']);
    expect(records.map((r) => [r.level, r.event])).toEqual([
      ['trace', 'tracing'],
      ['debug', 'debugging'],
      ['info', 'request received'],
      ['warn', 'slow'],
      ['error', 'payment failed'],
      ['fatal', 'gone'],
    ]);
    expect(records[2]!.time).toBe('2024-05-01T12:00:00.100Z');
    expect(out).not.toContain('"time":1714564800100,"source"');
  });

  it('reads OpenTelemetry-style records: traceId, timeUnixNano as a string, severityText, body', async () => {
    const log = await file('otel.jsonl', [
      {
        timeUnixNano: '1714564800123456789',
        severityText: 'WARN',
        severityNumber: 13,
        body: { stringValue: 'cache miss' },
        traceId: TRACE,
        spanId: '00f067aa0ba902b7',
      },
      { timeUnixNano: '1714564800000000000', severityNumber: 17, body: 'boom', traceId: TRACE },
    ]);
    const { records } = await trace([TRACE, log, '--json']);
    expect(records.map((r) => [r.time, r.level, r.event])).toEqual([
      ['2024-05-01T12:00:00.000Z', 'error', 'boom'],
      ['2024-05-01T12:00:00.123Z', 'warn', 'cache miss'],
    ]);
  });

  it('finds trace ids nested (`trace.id`, `dd.trace_id` in decimal) and in Google Cloud form', async () => {
    const lowDecimal = BigInt(`0x${TRACE.slice(16)}`).toString();
    const log = await file('mixed.log', [
      { '@timestamp': '2024-05-01T14:00:00.100+02:00', 'log.level': 'info', message: 'ecs dotted', 'trace.id': TRACE },
      { '@timestamp': '2024-05-01T12:00:00.200Z', log: { level: 'error' }, message: 'ecs nested', trace: { id: TRACE }, service: { name: 'checkout' } },
      { ts: 1714564800.3, level: 'info', msg: 'datadog', dd: { trace_id: lowDecimal, span_id: '42' } },
      { created: 1714564800.4, levelname: 'INFO', message: 'gcp', 'logging.googleapis.com/trace': `projects/shop/traces/${TRACE}`, severity: 'NOTICE' },
      { ts: 1714564800.5, level: 'info', msg: 'not ours', dd: { trace_id: '12345' } },
    ]);
    const { records } = await trace([TRACE, log, '--json']);
    expect(records.map((r) => [r.time, r.source, r.level, r.event])).toEqual([
      ['2024-05-01T12:00:00.100Z', 'mixed.log', 'info', 'ecs dotted'],
      ['2024-05-01T12:00:00.200Z', 'checkout', 'error', 'ecs nested'],
      ['2024-05-01T12:00:00.300Z', 'mixed.log', 'info', 'datadog'],
      ['2024-05-01T12:00:00.400Z', 'mixed.log', 'info', 'gcp'],
    ]);
  });

  it('names a record after its `service`, else after its file', async () => {
    const events = await file('events.jsonl', [sinkEvent({ timestamp: '2024-05-01T12:00:00.000Z', event: 'page_view' })]);
    const log = await file('server.log', [{ event: 'x', timestamp: '2024-05-01T12:00:01.000Z', trace_id: TRACE }]);
    const { records } = await trace([TRACE, events, log, '--json']);
    expect(records.map((r) => r.source)).toEqual(['web', 'server.log']);
  });
});

describe('tracebeam trace: the timeline', () => {
  it('merges files oldest first, and equal times keep file order and argument order', async () => {
    const a = await file('a.log', [
      { event: 'a1', timestamp: '2024-05-01T12:00:00.100Z', trace_id: TRACE },
      { event: 'a2', timestamp: '2024-05-01T12:00:00.300Z', trace_id: TRACE },
      { event: 'a3', timestamp: '2024-05-01T12:00:00.300Z', trace_id: TRACE },
    ]);
    const b = await file('b.log', [
      { event: 'b1', timestamp: '2024-05-01T12:00:00.300Z', trace_id: TRACE },
      { event: 'b2', timestamp: '2024-05-01T12:00:00.200Z', trace_id: TRACE },
      { event: 'b3', timestamp: '2024-05-01T12:00:00.300Z', trace_id: TRACE },
    ]);
    const { records } = await trace([TRACE, a, b, '--json']);
    expect(records.map((r) => r.event)).toEqual(['a1', 'b2', 'a2', 'a3', 'b1', 'b3']);
    const again = await trace([TRACE, b, a, '--json']);
    expect(again.records.map((r) => r.event)).toEqual(['a1', 'b2', 'b1', 'b3', 'a2', 'a3']);
  });

  it('places a line without a time after the line before it in its file', async () => {
    const a = await file('a.log', [
      { event: 'first', timestamp: '2024-05-01T12:00:00.100Z', trace_id: OTHER },
      { event: 'untimed', trace_id: TRACE },
      { event: 'later', timestamp: '2024-05-01T12:00:00.500Z', trace_id: TRACE },
    ]);
    const b = await file('b.log', [{ event: 'middle', timestamp: '2024-05-01T12:00:00.300Z', trace_id: TRACE }]);
    const { records } = await trace([TRACE, a, b, '--json']);
    expect(records.map((r) => r.event)).toEqual(['untimed', 'middle', 'later']);
  });

  it('prints one line per record with the key fields, in UTC', async () => {
    const events = await file('events.jsonl', [
      sinkEvent({ timestamp: '2024-05-01T12:00:00.100Z', event: 'checkout_started', cart_items: 3, url: 'https://shop.test/cart' }),
      sinkEvent({
        timestamp: '2024-05-01T12:00:00.400Z',
        level: 'error',
        event: 'http_request',
        http: { method: 'POST', url: 'https://api.test/cart', status_code: 500, duration_ms: 250 },
      }),
      sinkEvent({
        timestamp: '2024-05-01T12:00:00.450Z',
        level: 'error',
        event: 'client_error',
        error: { type: 'TypeError', message: 'x is undefined', frames: [{ function: 'computeTotal', file: 'src/cart.ts', line: 5, column: 13 }] },
      }),
      sinkEvent({ timestamp: '2024-05-01T12:00:00.500Z', event: 'web_vital', vital: { name: 'LCP', value: 1234.5, rating: 'good' } }),
      sinkEvent({
        timestamp: '2024-05-01T12:00:00.150Z',
        event: 'span',
        span_id: '00f067aa0ba902b7',
        span: { name: 'GET /api/cart', kind: 'client', start_ms: 1714564800150, duration_ms: 80, status: 'ok' },
      }),
    ]);
    const log = await file('server.log', [
      { event: 'cart loaded', level: 'info', timestamp: '2024-05-01T12:00:00.300Z', trace_id: TRACE, status_code: 500, user_id: '42' },
    ]);
    const { code, out } = await trace([TRACE, events, log]);
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe(`trace ${TRACE}: 6 records from web, server.log, 2024-05-01 (UTC)`);
    expect(lines.slice(1)).toEqual([
      '12:00:00.100    +0.000s  web         info   checkout_started  cart_items=3',
      '12:00:00.150    +0.050s  web         info   span              GET /api/cart (client) 80 ms ok',
      '12:00:00.300    +0.200s  server.log  info   cart loaded       status_code=500  user_id=42',
      '12:00:00.400    +0.300s  web         error  http_request      POST https://api.test/cart -> 500 in 250 ms',
      '12:00:00.450    +0.350s  web         error  client_error      TypeError: x is undefined',
      '              at computeTotal (src/cart.ts:5:13)',
      '12:00:00.500    +0.400s  web         info   web_vital         LCP 1235 ms (good)',
    ]);
  });

  it('prints --json records with where they came from', async () => {
    const log = await file('server.log', [{ event: 'x', level: 'info', timestamp: '2024-05-01T12:00:00.300Z', trace_id: TRACE, span_id: 'a1b2c3d4e5f60718' }]);
    const { out } = await trace([TRACE, log, '--json']);
    expect(JSON.parse(out)).toEqual({
      time: '2024-05-01T12:00:00.300Z',
      source: 'server.log',
      level: 'info',
      event: 'x',
      trace_id: TRACE,
      span_id: 'a1b2c3d4e5f60718',
      input: log,
      line: 1,
      record: { event: 'x', level: 'info', timestamp: '2024-05-01T12:00:00.300Z', trace_id: TRACE, span_id: 'a1b2c3d4e5f60718' },
    });
  });

  it('colours only a terminal, and not when NO_COLOR is set', async () => {
    const log = await file('server.log', [{ event: 'x', level: 'error', timestamp: '2024-05-01T12:00:00.300Z', trace_id: TRACE }]);
    const tty = (env: Record<string, string>) => {
      const io = captureIo();
      (io.stdout as { isTTY?: boolean }).isTTY = true;
      return runTrace([TRACE, log], io, { env }).then(() => io.out());
    };
    expect(await tty({})).toContain('\u001b[31merror\u001b[0m');
    expect(await tty({ NO_COLOR: '1' })).not.toContain('\u001b[');
    expect((await trace([TRACE, log])).out).not.toContain('\u001b[');
  });

  it('never passes terminal escape sequences from events through', async () => {
    const log = await file('server.log', [
      { event: 'evil\u001b]0;pwned\u0007', level: 'error', timestamp: '2024-05-01T12:00:00.300Z', trace_id: TRACE, note: 'a\u001b[2Jb' },
    ]);
    const { out } = await trace([TRACE, log]);
    expect(out).not.toContain('\u001b');
    expect(out).toContain('evil\\x1b]0;pwned\\x07');
    expect(out).toContain('note=a\\x1b[2Jb');
  });
});

describe('tracebeam trace: inputs', () => {
  it('skips lines that are not JSON objects, counting them per file on stderr', async () => {
    const log = await file('server.log', [
      'Traceback (most recent call last):',
      { event: 'kept', timestamp: '2024-05-01T12:00:00.300Z', trace_id: TRACE },
      '  File "x.py", line 1',
      '',
      '[1, 2]',
      'INFO plain text',
      '{"event": "truncated',
    ]);
    const clean = await file('clean.log', [{ event: 'also kept', timestamp: '2024-05-01T12:00:00.400Z', trace_id: TRACE }]);
    const { code, err, records } = await trace([TRACE, log, clean, '--json']);
    expect(code).toBe(0);
    expect(records.map((r) => r.event)).toEqual(['kept', 'also kept']);
    expect(err).toBe(`tracebeam trace: skipped 4 lines that are not JSON and 1 line of JSON that is not an object in ${log}\n`);
  });

  it('says "skipped 3 lines that are not JSON in <file>" for a plain-text log', async () => {
    const log = await file('plain.log', ['one', 'two', 'three']);
    const events = await file('events.jsonl', [sinkEvent({ timestamp: '2024-05-01T12:00:00.000Z', event: 'x' })]);
    const { code, err } = await trace([TRACE, events, log]);
    expect(code).toBe(0);
    expect(err).toBe(`tracebeam trace: skipped 3 lines that are not JSON in ${log}\n`);
  });

  it('fails with exit 1 naming every missing file, before printing anything', async () => {
    const log = await file('server.log', [{ event: 'x', timestamp: '2024-05-01T12:00:00.300Z', trace_id: TRACE }]);
    const io = captureIo();
    const code = await main(['trace', TRACE, log, join(dir, 'nope.log'), join(dir, 'gone.jsonl')], io);
    expect(code).toBe(1);
    expect(io.out()).toBe('');
    expect(io.err()).toBe(`tracebeam trace: no such file: ${join(dir, 'nope.log')}; no such file: ${join(dir, 'gone.jsonl')}\n`);
  });

  it('exits 1 with a note when no record has the trace id', async () => {
    const log = await file('server.log', [{ event: 'x', timestamp: '2024-05-01T12:00:00.300Z', trace_id: OTHER }]);
    const { code, out, err } = await trace([TRACE, log]);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe(`tracebeam trace: no records of trace ${TRACE} in ${log}\n`);
  });

  it('reads the log files of a directory given as an argument', async () => {
    await mkdir(join(dir, 'logs'));
    await writeFile(join(dir, 'logs', 'b.jsonl'), JSON.stringify({ event: 'b', timestamp: '2024-05-01T12:00:00.200Z', trace_id: TRACE }) + '\n');
    await writeFile(join(dir, 'logs', 'a.log'), JSON.stringify({ event: 'a', timestamp: '2024-05-01T12:00:00.100Z', trace_id: TRACE }) + '\n');
    await writeFile(join(dir, 'logs', 'core.gz'), 'binary');
    const { records, err } = await trace([TRACE, join(dir, 'logs'), '--json']);
    expect(records.map((r) => [r.event, r.source])).toEqual([
      ['a', 'a.log'],
      ['b', 'b.jsonl'],
    ]);
    expect(err).toBe('');
  });

  it('reads a file once, however many times it is named', async () => {
    await mkdir(join(dir, 'logs'));
    const events = join(dir, 'logs', 'events.jsonl');
    await writeFile(events, JSON.stringify({ event: 'once', timestamp: '2024-05-01T12:00:00.100Z', trace_id: TRACE }) + '\n');
    const { records } = await trace([TRACE, join(dir, 'logs'), events, join(dir, 'logs', '..', 'logs', 'events.jsonl'), '--json']);
    expect(records.map((r) => r.event)).toEqual(['once']);
  });

  it('reads standard input for `-`, and when no file is given and input is piped', async () => {
    const piped = (): TraceInput =>
      Readable.from([`${JSON.stringify({ event: 'from stdin', timestamp: '2024-05-01T12:00:00.100Z', trace_id: TRACE })}\nnot json\n`]);
    const log = await file('server.log', [{ event: 'from file', timestamp: '2024-05-01T12:00:00.200Z', trace_id: TRACE }]);
    const withDash = await trace([TRACE, '-', log, '--json'], { stdin: piped });
    expect(withDash.records.map((r) => [r.event, r.source])).toEqual([
      ['from stdin', 'stdin'],
      ['from file', 'server.log'],
    ]);
    expect(withDash.err).toBe('tracebeam trace: skipped 1 line that is not JSON in stdin\n');
    const alone = await trace([TRACE, '--json'], { stdin: piped });
    expect(alone.records.map((r) => r.event)).toEqual(['from stdin']);
  });

  it('refuses to wait on a terminal when no file is given', async () => {
    const terminal = (): TraceInput => Object.assign(Readable.from([]), { isTTY: true });
    expect(await usageErrorOf(runTrace([TRACE], captureIo(), { stdin: terminal }))).toBe(
      "give the files to read (the sink's --out file, the backend's logs), or - for standard input",
    );
  });
});

describe('tracebeam trace: the trace id', () => {
  it.each([[TRACE.toUpperCase()], ['4bf92f35-77b3-4da6-a3ce-929d0e0e4736'], [`00-${TRACE}-00f067aa0ba902b7-01`], [` ${TRACE} `]])('accepts %s', async (id) => {
    const log = await file('server.log', [{ event: 'x', timestamp: '2024-05-01T12:00:00.300Z', trace_id: TRACE }]);
    const { code, records } = await trace([id, log, '--json']);
    expect(code).toBe(0);
    expect(records).toHaveLength(1);
  });

  it.each([['abc'], ['0'.repeat(32)], [`${TRACE}00`], ['g'.repeat(32)]])('refuses %s with a usage error', async (id) => {
    expect(await usageErrorOf(runTrace([id, 'x.log'], captureIo()))).toBe(`"${id}" is not a trace id: expected 32 hex digits, not all zero`);
  });

  it('exits 2 with the usage for a bad id or none, through main', async () => {
    for (const argv of [['trace', 'nope', 'x.log'], ['trace'], ['trace', TRACE, '--colour']]) {
      const io = captureIo();
      expect(await main(argv, io)).toBe(2);
      expect(io.err()).toMatch(/^tracebeam: .+\n\nUsage: tracebeam trace/);
      expect(io.err().endsWith(TRACE_USAGE)).toBe(true);
    }
  });

  it('prints its usage for --help', async () => {
    const io = captureIo();
    expect(await main(['trace', '--help'], io)).toBe(0);
    expect(io.out()).toBe(TRACE_USAGE);
  });
});
