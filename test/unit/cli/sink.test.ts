import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSinkArgs, runSink, type RunningSink } from '../../../src/cli/sink';
import { runTrace } from '../../../src/cli/trace';
import { validEvent } from '../sink/fixtures';
import { captureIo, expectUsageError } from './helpers';

let dir: string;
const running: RunningSink[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tracebeam-cli-'));
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((sink) => sink.close()));
  await rm(dir, { recursive: true, force: true });
});

async function start(argv: string[]): Promise<{ sink: RunningSink; io: ReturnType<typeof captureIo> }> {
  const io = captureIo();
  const sink = await runSink(['--port', '0', '--host', '127.0.0.1', ...argv], io);
  running.push(sink);
  return { sink, io };
}

function send(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

describe('runSink', () => {
  it('writes accepted events to --out and to stdout', async () => {
    const out = join(dir, 'logs', 'events.jsonl');
    const { sink, io } = await start(['--out', out]);
    const events = [validEvent(), validEvent({ level: 'error' })];

    const response = await send(`${sink.url}/api/log`, { events });

    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 2, rejected: 0, duplicates: 0 });
    const expected = events.map((event) => `${JSON.stringify(event)}\n`).join('');
    expect(await readFile(out, 'utf8')).toBe(expected);
    expect(io.out()).toBe(expected);
  });

  it('writes the frames it read from an error’s stack, which `tracebeam trace` then prints', async () => {
    const out = join(dir, 'events.jsonl');
    const { sink } = await start(['--out', out, '--quiet']);
    const stack = 'TypeError: total is undefined\n    at applyDiscount (https://shop.test/app.js:41:13)\n    at checkout (https://shop.test/app.js:15:2)';
    const event = validEvent({ level: 'error', event: 'client_error', error: { type: 'TypeError', message: 'total is undefined', stack, handled: false } });
    expect((await send(`${sink.url}/api/log`, { events: [event] })).status).toBe(202);
    await sink.close();
    const io = captureIo();
    expect(await runTrace([event.trace_id, out], io, { env: {} })).toBe(0);
    expect(io.out()).toContain('at applyDiscount (https://shop.test/app.js:41:13)');
    expect(io.out()).toContain('at checkout (https://shop.test/app.js:15:2)');
  });

  it('says on one stderr line where it listens and writes', async () => {
    const out = join(dir, 'events.jsonl');
    const { sink, io } = await start(['--out', out]);
    expect(sink.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(io.err()).toBe(
      `tracebeam sink: listening on ${sink.url}, writing events to ${out} and stdout; cross-origin pages are refused (allow one with --cors)\n`,
    );
  });

  it('writes to stdout only without --out', async () => {
    const { sink, io } = await start([]);
    const event = validEvent();
    expect((await send(sink.url, { events: [event] })).status).toBe(202);
    expect(io.out()).toBe(`${JSON.stringify(event)}\n`);
    expect(io.err()).toMatch(/writing events to stdout;/);
  });

  it('serves every path', async () => {
    const { sink } = await start([]);
    for (const path of ['/', '/api/log', '/v1/anything?x=1']) {
      expect((await send(`${sink.url}${path}`, { events: [validEvent()] })).status).toBe(202);
    }
  });

  it('allows the origins given with --cors', async () => {
    const { sink, io } = await start(['--cors', 'http://localhost:5173, https://app.example.com']);
    const allowed = await send(sink.url, { events: [validEvent()] }, { origin: 'https://app.example.com' });
    expect(allowed.status).toBe(202);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect((await send(sink.url, { events: [validEvent()] }, { origin: 'https://evil.example.com' })).status).toBe(403);
    expect(io.err()).toMatch(/pages on http:\/\/localhost:5173, https:\/\/app\.example\.com may send/);
  });

  it('allows any origin with --cors "*"', async () => {
    const { sink } = await start(['--cors', '*']);
    expect((await send(sink.url, { events: [validEvent()] }, { origin: 'https://anything.example' })).status).toBe(202);
  });

  it('applies --max-body-bytes', async () => {
    const { sink } = await start(['--max-body-bytes', '100']);
    const response = await send(sink.url, { events: [validEvent()] });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: 'body is larger than 100 bytes: send smaller batches' });
  });

  it('does not print events it refused or repeats', async () => {
    const out = join(dir, 'events.jsonl');
    const { sink, io } = await start(['--out', out]);
    const event = validEvent();
    await send(sink.url, { events: [event, { ...event }, validEvent({ level: 'fatal' })] });
    await send(sink.url, { events: [event] });
    expect(io.out()).toBe(`${JSON.stringify(event)}\n`);
    expect(await readFile(out, 'utf8')).toBe(`${JSON.stringify(event)}\n`);
  });

  it('closes: the port stops answering', async () => {
    const { sink } = await start([]);
    await sink.close();
    expect(sink.server.listening).toBe(false);
    await expect(send(sink.url, { events: [] })).rejects.toThrow();
  });

  it('rejects with a clear message when the port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      await expect(runSink(['--port', String(port)], captureIo())).rejects.toThrow(`cannot listen on 127.0.0.1:${port}: listen EADDRINUSE`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe('parseSinkArgs', () => {
  it('has the documented defaults', () => {
    expect(parseSinkArgs([])).toEqual({ port: 4318, host: '127.0.0.1', maxBodyBytes: 1_048_576 });
  });

  it('resolves --out to an absolute path and splits --cors', () => {
    const config = parseSinkArgs(['--out', 'events.jsonl', '--cors', 'http://a.test,http://b.test', '--host', '0.0.0.0', '--port', '8080']);
    expect(config).toEqual({
      port: 8080,
      host: '0.0.0.0',
      out: join(process.cwd(), 'events.jsonl'),
      allowedOrigins: ['http://a.test', 'http://b.test'],
      maxBodyBytes: 1_048_576,
    });
  });

  it.each<[string[], string]>([
    [['--port', 'abc'], '--port must be an integer from 0 to 65535, got "abc"'],
    [['--max-body-bytes', '0'], '--max-body-bytes must be an integer of at least 1, got "0"'],
    [['--cors', 'localhost:5173'], '--cors: "localhost:5173" is not an origin such as http://localhost:5173'],
    [['--cors', 'ftp://files.test'], '--cors: "ftp://files.test" is not an origin such as http://localhost:5173'],
    [['--cors', ' , '], '--cors needs an origin such as http://localhost:5173, or *'],
    [['--clickhouse', '127.0.0.1:8123'], '--clickhouse: "127.0.0.1:8123" is not the URL of ClickHouse\'s HTTP interface, such as http://127.0.0.1:8123'],
    [
      ['--clickhouse', 'tcp://127.0.0.1:9000'],
      '--clickhouse: "tcp://127.0.0.1:9000" is not the URL of ClickHouse\'s HTTP interface, such as http://127.0.0.1:8123',
    ],
    [
      ['--clickhouse', 'http://127.0.0.1:8123', '--table', 'logs; DROP'],
      '--table: "logs; DROP" is not a table name such as tracebeam_events or logs.tracebeam_events',
    ],
    [['--verbose'], 'unknown flag --verbose'],
    [['extra'], 'unexpected argument "extra"'],
  ])('refuses %j with a usage error', (argv, message) => {
    expectUsageError(() => parseSinkArgs(argv), message);
  });
});
