import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseStack } from '../../../src/sink/stack-lines';
import type { TelemetryEvent } from '../../../src/core/types';
import { completeError } from '../../../src/sink/error-details';
import { fingerprint } from '../../../src/sink/fingerprint';
import { sourceMapResolver, type MappedFrame, type SourceMapResolver } from '../../../src/sink/sourcemaps';
import { validEvent } from './fixtures';

/** The app as its author wrote it; the tests look up where its lines are. */
const CART_SOURCE = `export interface Item { name: string; price: number }

export function computeTotal(items: Item[]): number {
  let total = 0;
  for (const item of items) {
    if (item.price < 0) {
      throw new RangeError('negative price for ' + item.name);
    }
    total += item.price;
  }
  return total;
}

export function checkout(cart: { items: Item[] }): { total: number } {
  const total = computeTotal(cart.items);
  return { total };
}
`;

const MAIN_SOURCE = `import { checkout } from './cart';

function onBuyClick(): void {
  const receipt = checkout({ items: [{ name: 'socks', price: 4 }, { name: 'refund', price: -1 }] });
  (globalThis as any).receipt = receipt;
}

(globalThis as any).buy = onBuyClick;
`;

const ORIGIN = 'http://127.0.0.1:5173';

let dir: string;
const resolvers: SourceMapResolver[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tracebeam-maps-'));
});

afterEach(async () => {
  resolvers.splice(0).forEach((resolver) => resolver.close());
  await rm(dir, { recursive: true, force: true });
});

/** Builds the app with esbuild, minified with a source map, into `dist/<path>`; returns the script. */
async function buildApp(path = 'assets/app.min.js'): Promise<string> {
  await mkdir(join(dir, 'src'), { recursive: true });
  await writeFile(join(dir, 'src', 'cart.ts'), CART_SOURCE);
  await writeFile(join(dir, 'src', 'main.ts'), MAIN_SOURCE);
  const outfile = join(dir, 'dist', path);
  const result = await build({
    entryPoints: [join(dir, 'src', 'main.ts')],
    bundle: true,
    minify: true,
    sourcemap: true,
    write: false,
    outfile,
    format: 'iife',
    logLevel: 'silent',
  });
  await mkdir(dirname(outfile), { recursive: true });
  for (const output of result.outputFiles) await writeFile(output.path, output.contents);
  const code = result.outputFiles.find((output) => output.path === outfile)!.text;
  // Minified for real: the names are gone from the script.
  expect(code).not.toContain('computeTotal');
  expect(code).not.toContain('onBuyClick');
  return code;
}

/** Runs the bundle as a browser would have loaded it from `url`, clicks "buy" and returns the error event the SDK would send. */
function crash(code: string, url: string): TelemetryEvent {
  let caught: unknown;
  try {
    runInNewContext(`${code}\nbuy();`, {}, { filename: url });
  } catch (error) {
    caught = error;
  }
  const error = caught as Error;
  expect(error.message).toBe('negative price for refund');
  return validEvent({
    level: 'error',
    event: 'client_error',
    error: { type: 'RangeError', message: error.message, stack: error.stack, frames: parseStack(error.stack) },
  });
}

function resolver(options: Parameters<typeof sourceMapResolver>[1] = {}): SourceMapResolver {
  const created = sourceMapResolver(join(dir, 'dist'), { root: dir, warn: () => undefined, ...options });
  resolvers.push(created);
  return created;
}

/** 1-based line and column of `text` in `source`. */
function where(source: string, text: string): { line: number; column: number } {
  const index = source.indexOf(text);
  const before = source.slice(0, index).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

describe('sourceMapResolver', () => {
  it('maps frames of an esbuild-minified bundle to the original file, line, column and function name', async () => {
    const code = await buildApp();
    const url = `${ORIGIN}/assets/app.min.js?v=3`;
    const event = crash(code, url);
    const [mapped] = await resolver().resolve([event]);
    const frames = mapped!.error!.frames as MappedFrame[];

    expect(frames.slice(0, 3)).toEqual([
      { function: 'computeTotal', file: 'src/cart.ts', ...where(CART_SOURCE, 'new RangeError'), minified: expect.objectContaining({ file: url, line: 1 }) },
      {
        function: 'checkout',
        file: 'src/cart.ts',
        ...where(CART_SOURCE, 'computeTotal(cart.items)'),
        minified: expect.objectContaining({ file: url, line: 1 }),
      },
      { function: 'onBuyClick', file: 'src/main.ts', ...where(MAIN_SOURCE, 'checkout({'), minified: expect.objectContaining({ file: url, line: 1 }) },
    ]);
    // Each minified place is the one the browser reported.
    expect(frames.slice(0, 3).map((frame) => frame.minified)).toEqual(event.error!.frames!.slice(0, 3));
    // The line that called buy() is past the end of the map: it stays as it was.
    expect(frames[3]).toEqual(event.error!.frames![3]);
  });

  it('fingerprints by the original names once frames are mapped, where the sink computed the fingerprint', async () => {
    const code = await buildApp();
    const { frames: _, ...sent } = crash(code, `${ORIGIN}/assets/app.min.js`).error!;
    // As the browser sends it now: the stack alone; the handler reads the frames and fingerprints them.
    const received = completeError(validEvent({ level: 'error', event: 'client_error', error: sent }));
    const [mapped] = await resolver().resolve([received]);
    expect(mapped!.error!.frames![0]).toMatchObject({ function: 'computeTotal', file: 'src/cart.ts' });
    expect(mapped!.error!.fingerprint).toBe(fingerprint(mapped!.error!));
    expect(mapped!.error!.fingerprint).not.toBe(received.error!.fingerprint);
    // Another build of the same code, served under another name: the same group.
    const again = await buildApp('assets/app.other.min.js');
    const { frames: __, ...other } = crash(again, `${ORIGIN}/assets/app.other.min.js`).error!;
    const [remapped] = await resolver().resolve([completeError(validEvent({ level: 'error', event: 'client_error', error: other }))]);
    expect(remapped!.error!.fingerprint).toBe(mapped!.error!.fingerprint);
    // A fingerprint the event brought is its sender's to keep.
    const [kept] = await resolver().resolve([completeError(validEvent({ level: 'error', event: 'client_error', error: { ...sent, fingerprint: 'theirs' } }))]);
    expect(kept!.error!.frames![0]).toMatchObject({ function: 'computeTotal' });
    expect(kept!.error!.fingerprint).toBe('theirs');
  });

  it('rewrites the stack text and keeps the received one', async () => {
    const code = await buildApp();
    const event = crash(code, `${ORIGIN}/assets/app.min.js`);
    const [mapped] = await resolver().resolve([event]);
    const error = mapped!.error as typeof mapped.error & { minified_stack?: string };
    const { line, column } = where(CART_SOURCE, 'new RangeError');
    expect(error.stack).toContain(`RangeError: negative price for refund\n    at computeTotal (src/cart.ts:${line}:${column})\n    at checkout (src/cart.ts:`);
    expect(error.stack).toContain('    at onBuyClick (src/main.ts:');
    expect(error.stack).not.toContain('app.min.js:1:');
    expect(error.minified_stack).toBe(event.error!.stack);
  });

  it('rewrites Firefox and Safari stacks too', async () => {
    const code = await buildApp();
    const event = crash(code, `${ORIGIN}/assets/app.min.js`);
    const gecko = event.error!.frames!.map((frame) => `${frame.function ?? ''}@${frame.file}:${frame.line}:${frame.column}`).join('\n');
    const [mapped] = await resolver().resolve([{ ...event, error: { ...event.error!, stack: gecko } }]);
    expect(mapped!.error!.stack!.split('\n').slice(0, 2)).toEqual([
      `computeTotal@src/cart.ts:${where(CART_SOURCE, 'new RangeError').line}:${where(CART_SOURCE, 'new RangeError').column}`,
      `checkout@src/cart.ts:${where(CART_SOURCE, 'computeTotal(cart.items)').line}:${where(CART_SOURCE, 'computeTotal(cart.items)').column}`,
    ]);
  });

  it('finds a map by its `file` field when it is not named after the script', async () => {
    const code = await buildApp('assets/app.min.js');
    await mkdir(join(dir, 'dist', 'maps'));
    await rename(join(dir, 'dist', 'assets', 'app.min.js.map'), join(dir, 'dist', 'maps', 'build-1234.map'));
    const map = JSON.parse(await readFile(join(dir, 'dist', 'maps', 'build-1234.map'), 'utf8')) as Record<string, unknown>;
    // esbuild writes no `file` field; other bundlers do.
    await writeFile(
      join(dir, 'dist', 'maps', 'build-1234.map'),
      JSON.stringify({ ...map, file: 'app.min.js', sources: ['../../src/cart.ts', '../../src/main.ts'] }),
    );
    const [mapped] = await resolver().resolve([crash(code, `${ORIGIN}/static/app.min.js`)]);
    expect(mapped!.error!.frames![0]).toMatchObject({ function: 'computeTotal', file: 'src/cart.ts' });
  });

  it('tells apart maps of scripts with one name by the rest of their path', async () => {
    const code = await buildApp('shop/index.js');
    await mkdir(join(dir, 'dist', 'admin'));
    await writeFile(join(dir, 'dist', 'admin', 'index.js.map'), JSON.stringify({ version: 3, sources: ['admin.ts'], names: [], mappings: 'AAAA' }));
    const [mapped] = await resolver().resolve([crash(code, `${ORIGIN}/shop/index.js`)]);
    expect(mapped!.error!.frames![0]).toMatchObject({ function: 'computeTotal', file: 'src/cart.ts' });
  });

  it('reports a map that does not parse once, and leaves its events as they were', async () => {
    const code = await buildApp();
    await writeFile(join(dir, 'dist', 'assets', 'app.min.js.map'), '{"version": 3, "mappings": ');
    const warnings: string[] = [];
    const maps = resolver({ warn: (message) => warnings.push(message) });
    const event = crash(code, `${ORIGIN}/assets/app.min.js`);
    expect(await maps.resolve([event])).toEqual([event]);
    expect(await maps.resolve([event])).toEqual([event]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^tracebeam sink: ignoring source map .*app\.min\.js\.map: /);
  });

  it('passes events through untouched when nothing matches, and never throws on odd frames', async () => {
    await buildApp();
    const maps = resolver();
    const plain = validEvent();
    const foreign = validEvent({ error: { type: 'Error', message: 'x', frames: [{ function: 'f', file: 'https://cdn.test/lib.js', line: 1, column: 5 }] } });
    const odd = validEvent({
      error: {
        type: 'Error',
        message: 'x',
        stack: 'no frames here',
        frames: [
          null,
          'text',
          { file: `${ORIGIN}/assets/app.min.js`, line: -1, column: 'x' },
          { file: `${ORIGIN}/assets/app.min.js`, line: 99, column: 1 },
          {},
        ],
      },
    });
    const out = await maps.resolve([plain, foreign, odd]);
    expect(out[0]).toBe(plain);
    expect(out[1]).toBe(foreign);
    expect(out[2]).toBe(odd);
  });

  it('warns once when the directory is missing and keeps going', async () => {
    const warnings: string[] = [];
    const maps = sourceMapResolver(join(dir, 'nowhere'), { warn: (message) => warnings.push(message) });
    resolvers.push(maps);
    const event = validEvent({ error: { type: 'Error', message: 'x', frames: [{ file: `${ORIGIN}/a.js`, line: 1, column: 1 }] } });
    expect(await maps.resolve([event])).toEqual([event]);
    expect(await maps.resolve([event])).toEqual([event]);
    expect(warnings).toEqual([expect.stringMatching(/^tracebeam sink: cannot read the source map directory .*nowhere: /)]);
  });

  it('wraps a sink writer, which then gets the mapped events', async () => {
    const code = await buildApp();
    const written: TelemetryEvent[][] = [];
    const write = resolver().wrap((events) => void written.push(events));
    await write([crash(code, `${ORIGIN}/assets/app.min.js`)]);
    expect(written[0]![0]!.error!.frames![0]).toMatchObject({ function: 'computeTotal', file: 'src/cart.ts' });
  });

  it('does not change the events it was given', async () => {
    const code = await buildApp();
    const event = crash(code, `${ORIGIN}/assets/app.min.js`);
    const copy = structuredClone(event);
    await resolver().resolve([event]);
    expect(event).toEqual(copy);
  });
});
