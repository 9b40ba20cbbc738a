// The package as users get it: `npm pack`, installed into an empty folder once, its `tracebeam
// sink` command run from there, and its entries resolved by Node with and without the
// `development` condition.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

let dir = '';

test.beforeAll(() => {
  test.setTimeout(120_000);
  dir = mkdtempSync(join(tmpdir(), 'tracebeam-pack-'));
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { encoding: 'utf8' }).trim().split('\n').pop()!;
  writeFileSync(join(dir, 'package.json'), '{"name":"empty","private":true}');
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, tarball)], { cwd: dir, stdio: 'ignore' });
});

test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('`tracebeam sink` works after `npm install tracebeam` in an empty folder', async () => {
  const { url, stop } = await startSink(['--out', 'events.jsonl', '--cors', 'http://localhost:5173']);
  try {
    const event = {
      id: 'a'.repeat(32),
      timestamp: '2026-11-21T12:00:00.000Z',
      level: 'info',
      event: 'hello',
      service: 'web',
      trace_id: 'b'.repeat(32),
      sdk: { name: 'tracebeam', version: '0.1.0' },
    };
    const response = await fetch(url + '/api/log', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost:5173' },
      body: JSON.stringify({ events: [event] }),
    });
    expect(response.status).toBe(202);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(await response.json()).toMatchObject({ accepted: 1, rejected: 0 });
    await expect.poll(() => readFileSync(join(dir, 'events.jsonl'), 'utf8')).toBe(JSON.stringify(event) + '\n');
    const refused = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.test' }, body: '{"events":[]}' });
    expect(refused.status).toBe(403);
  } finally {
    await stop();
  }
});

test("a browser install gets neither the sink's validator nor the source map reader as packages", () => {
  const installed = execFileSync('npm', ['ls', '--all', '--parseable'], { cwd: dir, encoding: 'utf8' });
  expect(installed).toContain('node_modules/tracebeam');
  expect(installed).toContain('node_modules/web-vitals');
  expect(installed).not.toContain('node_modules/@cfworker');
  expect(installed).not.toContain('node_modules/source-map');
});

test('the sink entry holds the endpoint alone: the timeline reader and the viewer live in the CLI', () => {
  const read = (file: string) => readFileSync(join(dir, 'node_modules/tracebeam/dist', file), 'utf8');
  for (const file of ['sink.mjs', 'sink.cjs']) {
    expect(read(file)).toContain('function createSinkHandler(');
    for (const name of ['mergeRecords', 'scanLines', 'createViewer', 'viewerScript']) expect(read(file)).not.toContain(`function ${name}(`);
  }
  for (const name of ['mergeRecords', 'scanLines', 'createViewer', 'viewerScript']) expect(read('cli.mjs')).toContain(`function ${name}(`);
});

test('`tracebeam sink --help`, `tracebeam trace` and the viewer work from the installed package', async () => {
  const help = execFileSync('npx', ['--no-install', 'tracebeam', 'sink', '--help'], { cwd: dir, encoding: 'utf8' });
  expect(help).toContain('--sourcemaps <dir>');

  const traceId = 'c'.repeat(32);
  const line = (event: string, timestamp: string) => JSON.stringify({ timestamp, level: 'info', event, trace_id: traceId });
  writeFileSync(
    join(dir, 'server.log'),
    [line('order_saved', '2026-11-21T12:00:01.000Z'), line('order_received', '2026-11-21T12:00:00.000Z')].join('\n') + '\n',
  );
  const timeline = execFileSync('npx', ['--no-install', 'tracebeam', 'trace', traceId, 'server.log'], { cwd: dir, encoding: 'utf8' });
  expect(timeline.indexOf('order_received')).toBeGreaterThanOrEqual(0);
  expect(timeline.indexOf('order_received')).toBeLessThan(timeline.indexOf('order_saved'));

  const { url, stop } = await startSink(['--out', 'viewer.jsonl', '--ui']);
  try {
    const page = await fetch(url + '/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
  } finally {
    await stop();
  }
});

test('the sink says how to install source-map when asked to read source maps without it', async () => {
  mkdirSync(join(dir, 'maps'), { recursive: true });
  writeFileSync(join(dir, 'maps', 'app.min.js.map'), JSON.stringify({ version: 3, sources: ['app.ts'], names: [], mappings: 'AAAA' }));
  const script = `
    import { sourceMapResolver } from 'tracebeam/sink';
    const said = [];
    const resolver = sourceMapResolver('maps', { warn: (message) => said.push(message) });
    const frame = { file: 'http://localhost/app.min.js', line: 1, column: 1 };
    const event = { error: { type: 'Error', message: 'x', stack: 'Error: x\\n    at http://localhost/app.min.js:1:1', frames: [frame] } };
    const [out] = await resolver.resolve([event]);
    console.log(JSON.stringify({ said, kept: out.error.stack === event.error.stack }));`;
  const result = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' }));
  expect(result).toEqual({
    said: ['tracebeam sink: reading source maps needs the source-map package, which is not installed: npm install source-map@^0.7.4'],
    kept: true,
  });
});

/** The URL `tracebeam sink` prints once it listens. */
/**
 * `npx tracebeam sink` from the installed package, as a user runs it, on a free port. It runs in a
 * process group of its own: npx does not pass a signal on to the command it started, so stopping
 * it means signalling the group.
 */
async function startSink(args: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const sink = spawn('npx', ['--no-install', 'tracebeam', 'sink', '--port', '0', ...args], { cwd: dir, detached: true });
  const exited = new Promise((resolve) => sink.once('exit', resolve));
  const stop = async (): Promise<void> => {
    try {
      process.kill(-sink.pid!, 'SIGTERM');
    } catch {
      // The group is gone already.
    }
    await exited;
  };
  try {
    return { url: await listeningUrl(sink), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function listeningUrl(sink: ReturnType<typeof spawn>): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let said = '';
    sink.stderr!.on('data', (chunk) => {
      said += chunk;
      const match = /listening on (http:\/\/\S+?),/.exec(said);
      if (match) resolve(match[1]!);
    });
    sink.on('exit', (code) => reject(new Error(`tracebeam sink exited with ${code}: ${said}`)));
  });
}

/** What Node resolves each browser entry to, and whether the entries load, given `conditions`. */
function resolved(conditions: string[]): Record<string, string> {
  const script = `
    const out = {};
    for (const entry of ['tracebeam', 'tracebeam/otel', 'tracebeam/react', 'tracebeam/vitals-attribution']) {
      const url = import.meta.resolve(entry);
      out[entry] = url.slice(url.lastIndexOf('/dist/') + 1);
    }
    // Loaded too; tracebeam/otel and tracebeam/react need their peer dependencies, not installed here.
    out.createClient = typeof (await import('tracebeam')).createClient;
    out.webVitals = typeof (await import('tracebeam/vitals-attribution')).webVitals;
    console.log(JSON.stringify(out));`;
  const args = [...conditions.map((c) => `--conditions=${c}`), '--input-type=module', '-e', script];
  return JSON.parse(execFileSync(process.execPath, args, { cwd: dir, encoding: 'utf8' }));
}

test('Node resolves the production build by default and the development build under --conditions=development', () => {
  expect(resolved([])).toEqual({
    tracebeam: 'dist/index.mjs',
    'tracebeam/otel': 'dist/otel.mjs',
    'tracebeam/react': 'dist/react.mjs',
    'tracebeam/vitals-attribution': 'dist/vitals-attribution.mjs',
    createClient: 'function',
    webVitals: 'function',
  });
  expect(resolved(['development'])).toEqual({
    tracebeam: 'dist/index.development.mjs',
    'tracebeam/otel': 'dist/otel.development.mjs',
    'tracebeam/react': 'dist/react.development.mjs',
    'tracebeam/vitals-attribution': 'dist/vitals-attribution.development.mjs',
    createClient: 'function',
    webVitals: 'function',
  });
});
