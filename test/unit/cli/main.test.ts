import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main, USAGE } from '../../../src/cli/main';
import { SINK_USAGE } from '../../../src/cli/sink';
import { validEvent } from '../sink/fixtures';
import { captureIo } from './helpers';

const PACKAGE_JSON = new URL('../../../package.json', import.meta.url);

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tracebeam-main-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('main', () => {
  it.each([['--help'], ['-h'], ['help']])('prints the usage on stdout for %s', async (flag) => {
    const io = captureIo();
    expect(await main([flag], io)).toBe(0);
    expect(io.out()).toBe(USAGE);
    expect(io.out()).toMatch(/^ {2}sink {4}run the reference log endpoint/m);
    expect(io.err()).toBe('');
  });

  it.each([['--version'], ['-v']])('prints the package version for %s', async (flag) => {
    const io = captureIo();
    const { version } = JSON.parse(await readFile(PACKAGE_JSON, 'utf8')) as { version: string };
    expect(await main([flag], io, { packageJson: PACKAGE_JSON })).toBe(0);
    expect(io.out()).toBe(`${version}\n`);
  });

  it('exits 1 when the version cannot be read', async () => {
    const io = captureIo();
    expect(await main(['--version'], io, { packageJson: new URL(`file://${dir}/missing.json`) })).toBe(1);
    expect(io.err()).toBe('tracebeam: could not read the version from package.json\n');
  });

  it.each<[string[], string, string]>([
    [[], 'tracebeam: no command given', USAGE],
    [['serve'], 'tracebeam: unknown command "serve"', USAGE],
    [['__proto__'], 'tracebeam: unknown command "__proto__"', USAGE],
    [['--port', '80'], 'tracebeam: unknown flag --port', USAGE],
    [['sink', '--port', 'abc'], 'tracebeam: --port must be an integer from 0 to 65535, got "abc"', SINK_USAGE],
    [['sink', '--bogus'], 'tracebeam: unknown flag --bogus', SINK_USAGE],
    [['sink', '--out'], 'tracebeam: --out needs a value', SINK_USAGE],
  ])('exits 2 with one error line and the usage for %j', async (argv, line, usage) => {
    const io = captureIo();
    expect(await main(argv, io, { untilStopped: () => Promise.resolve() })).toBe(2);
    expect(io.err()).toBe(`${line}\n\n${usage}`);
    expect(io.out()).toBe('');
  });

  it('prints the sink usage for sink --help', async () => {
    const io = captureIo();
    expect(await main(['sink', '--help'], io)).toBe(0);
    expect(io.out()).toBe(SINK_USAGE);
  });

  it('runs the sink until told to stop, then exits 0', async () => {
    const io = captureIo();
    const out = join(dir, 'events.jsonl');
    const event = validEvent();
    let status = 0;
    const code = await main(['sink', '--port', '0', '--out', out], io, {
      async untilStopped() {
        const url = /listening on (\S+),/.exec(io.err())![1]!;
        const response = await fetch(url, { method: 'POST', body: JSON.stringify({ events: [event] }) });
        status = response.status;
      },
    });
    expect(code).toBe(0);
    expect(status).toBe(202);
    expect(await readFile(out, 'utf8')).toBe(`${JSON.stringify(event)}\n`);
    expect(io.err()).toMatch(/tracebeam sink: stopping\n$/);
  });

  it('exits 1 with the reason when the sink cannot start', async () => {
    const io = captureIo();
    expect(await main(['sink', '--host', '192.0.2.1', '--port', '0'], io)).toBe(1);
    expect(io.err()).toMatch(/^tracebeam sink: cannot listen on 192\.0\.2\.1:0: /);
  });
});
