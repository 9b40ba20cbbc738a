import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseStack } from '../../../src/sink/stack-lines';
import { parseSinkArgs, runSink, type RunningSink } from '../../../src/cli/sink';
import { isOwnHost } from '../../../src/cli/sink-extras';
import { validEvent } from '../sink/fixtures';
import { captureIo, expectUsageError } from './helpers';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

let dir: string;
const running: RunningSink[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tracebeam-sink-ui-'));
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((sink) => sink.close()));
  await rm(dir, { recursive: true, force: true });
});

async function start(argv: string[]) {
  const io = captureIo();
  const sink = await runSink(['--port', '0', '--host', '127.0.0.1', ...argv], io);
  running.push(sink);
  return { sink, io };
}

function post(url: string, events: unknown[]): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events }) });
}

/** A GET with a Host header of our choosing, which fetch does not allow. */
function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('tracebeam sink --ui', () => {
  it('serves the viewer on GET beside the endpoint, which still accepts POST on every path', async () => {
    const out = join(dir, 'events.jsonl');
    const { sink, io } = await start(['--ui', '--out', out]);
    expect(io.err()).toContain(`tracebeam sink: viewer on ${sink.url}/\n`);

    const page = await fetch(`${sink.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script src="/assets/viewer.js" defer></script>');
    for (const path of ['/', '/api/log', `/trace/${TRACE}`]) {
      expect((await post(sink.url + path, [validEvent({ event: 'posted' })])).status).toBe(202);
    }
    const { events } = (await (await fetch(`${sink.url}/api/events`)).json()) as { events: Array<{ event: string }> };
    expect(events.map((event) => event.event)).toEqual(['posted', 'posted', 'posted']);
  });

  it('streams posted events live and closes with a page still listening', async () => {
    const { sink } = await start(['--ui']);
    const stream = await fetch(`${sink.url}/events/stream`);
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    expect((await reader.read()).value).toBe('retry: 2000\n\n');
    await post(sink.url, [validEvent({ event: 'live_one' })]);
    let text = '';
    while (!text.includes('live_one')) text += (await reader.read()).value ?? '';
    expect(text).toMatch(/^event: events\ndata: \[/);

    await running.pop()!.close();
    expect(sink.server.listening).toBe(false);
  });

  it('shows a trace from its --out file, its memory and the --logs files', async () => {
    const out = join(dir, 'events.jsonl');
    const log = join(dir, 'server.log');
    await writeFile(log, `${JSON.stringify({ event: 'request_started', timestamp: '2024-05-01T12:00:00.200Z', trace_id: TRACE })}\nplain text\n`);
    const { sink } = await start(['--ui', '--out', out, '--logs', `${log},${join(dir, 'missing.log')}`]);
    await post(sink.url, [
      validEvent({ event: 'checkout_started', timestamp: '2024-05-01T12:00:00.100Z' }),
      validEvent({ event: 'client_error', level: 'error', timestamp: '2024-05-01T12:00:00.300Z' }),
    ]);
    const data = (await (await fetch(`${sink.url}/api/trace/${TRACE}`)).json()) as { records: Array<{ event: string; origin: string }>; notes: string[] };
    expect(data.records.map((record) => [record.event, record.origin])).toEqual([
      ['checkout_started', 'client'],
      ['request_started', 'log'],
      ['client_error', 'client'],
    ]);
    expect(data.notes).toEqual([`skipped 1 line that is not JSON in ${log}`, `${join(dir, 'missing.log')} does not exist (yet)`]);
  });

  it('answers only to its own address on loopback', async () => {
    const { sink } = await start(['--ui']);
    const port = new URL(sink.url).port;
    expect(await getWithHost(`${sink.url}/api/events`, `localhost:${port}`)).toBe(200);
    expect(await getWithHost(`${sink.url}/api/events`, `127.0.0.1:${port}`)).toBe(200);
    expect(await getWithHost(`${sink.url}/api/events`, `attacker.example:${port}`)).toBe(403);
  });

  it('without --ui, GET is still refused', async () => {
    const { sink } = await start([]);
    expect((await fetch(`${sink.url}/`)).status).toBe(405);
  });
});

describe('tracebeam sink --sourcemaps', () => {
  it('writes events with their minified frames mapped back to the sources', async () => {
    await mkdir(join(dir, 'src'));
    await writeFile(
      join(dir, 'src', 'app.ts'),
      'export function explode(): never {\n  throw new Error("kaboom");\n}\n(globalThis as any).go = () => explode();\n',
    );
    const result = await build({
      entryPoints: [join(dir, 'src', 'app.ts')],
      bundle: true,
      minify: true,
      sourcemap: true,
      write: false,
      outfile: join(dir, 'dist', 'app.js'),
      format: 'iife',
      logLevel: 'silent',
    });
    await mkdir(join(dir, 'dist'));
    for (const file of result.outputFiles) await writeFile(file.path, file.contents);
    let stack = '';
    try {
      runInNewContext(`${result.outputFiles.find((file) => file.path.endsWith('.js'))!.text}\ngo();`, {}, { filename: 'http://127.0.0.1:5173/app.js' });
    } catch (error) {
      stack = (error as Error).stack!;
    }

    const out = join(dir, 'events.jsonl');
    const { sink, io } = await start(['--out', out, '--sourcemaps', join(dir, 'dist')]);
    expect(io.err()).toContain(`tracebeam sink: mapping stack frames with the source maps under ${join(dir, 'dist')}\n`);
    const event = validEvent({ level: 'error', event: 'client_error', error: { type: 'Error', message: 'kaboom', stack, frames: parseStack(stack) } });
    expect((await post(sink.url, [event])).status).toBe(202);

    const written = JSON.parse(await readFile(out, 'utf8')) as typeof event;
    expect(written.error!.frames![0]).toMatchObject({ function: 'explode', line: 2, column: 9, minified: { file: 'http://127.0.0.1:5173/app.js', line: 1 } });
    expect(written.error!.frames![0]!.file).toMatch(/src\/app\.ts$/);
    expect(written.error!.stack).toContain('at explode (');
    expect(io.out()).toBe(`${JSON.stringify(written)}\n`);
  });
});

describe('parseSinkArgs: viewer and source map flags', () => {
  it('reads --ui, --logs and --sourcemaps', () => {
    expect(parseSinkArgs(['--ui', '--logs', 'server.log, worker.log', '--sourcemaps', 'dist'])).toEqual({
      port: 4318,
      host: '127.0.0.1',
      maxBodyBytes: 1_048_576,
      ui: true,
      logs: [join(process.cwd(), 'server.log'), join(process.cwd(), 'worker.log')],
      sourcemaps: join(process.cwd(), 'dist'),
    });
  });

  it.each<[string[], string]>([
    [['--logs', 'server.log'], '--logs is for the viewer: add --ui'],
    [['--ui', '--logs', ','], '--logs needs a file such as server.log'],
    [['--ui=yes'], '--ui does not take a value'],
    [['--sourcemaps'], '--sourcemaps needs a value'],
  ])('refuses %j with a usage error', (argv, message) => {
    expectUsageError(() => parseSinkArgs(argv), message);
  });
});

describe('isOwnHost', () => {
  it.each<[string, string, boolean]>([
    ['127.0.0.1:4318', '127.0.0.1', true],
    ['localhost:4318', '127.0.0.1', true],
    ['[::1]:4318', '::1', true],
    ['app.localhost:4318', '127.0.0.1', true],
    ['127.0.0.1:9999', '127.0.0.1', false],
    ['evil.example:4318', '127.0.0.1', false],
    ['127.0.0.1.evil.example:4318', '127.0.0.1', false],
    ['', '127.0.0.1', false],
    ['anything.example:4318', '0.0.0.0', true],
  ])('%s on %s is %s', (host, bound, expected) => {
    expect(isOwnHost(host, bound, 4318)).toBe(expected);
  });
});
