/**
 * A React production build in miniature: a renderer that calls every component by its own
 * parameter name (`Component(props)`, as React's renderWithHooks does), and a component stack of
 * `at <minified> (<bundle>:line:col)` lines, as React 19 reports in production.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseStack } from '../../../src/sink/stack-lines';
import { sourceMapResolver, type MappedFrame } from '../../../src/sink/sourcemaps';
import { validEvent } from './fixtures';

const RENDERER = `export function renderWithHooks(Component: (props: object) => unknown, props: object): unknown {
  return Component(props);
}
`;

const SHOP = `import { renderWithHooks } from './renderer';

const Header = (props: { title: string }) => props.title.toUpperCase();

function Cart(props: { total?: number }): string {
  if (typeof props.total !== 'number') throw new TypeError('cart total is not a number');
  return String(props.total);
}

// A class component: React's stack points into its constructor.
class Boundary {
  caught: boolean;
  constructor() {
    this.caught = false;
  }
}

(globalThis as any).show = () => [new Boundary(), renderWithHooks(Header, { title: 'shop' }), renderWithHooks(Cart, {})];
(globalThis as any).components = [Header, Cart, Boundary];
`;

const URL_ = 'http://127.0.0.1:5173/assets/index-4f2a.js';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tracebeam-react-maps-'));
});

afterEach(() => rm(dir, { recursive: true, force: true }));

function where(source: string, text: string): { line: number; column: number } {
  const before = source.slice(0, source.indexOf(text)).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

describe('sourceMapResolver on a React-like production build', () => {
  it('names the component as declared, not as the renderer calls it, and maps every component stack line', async () => {
    await mkdir(join(dir, 'src'), { recursive: true });
    await writeFile(join(dir, 'src', 'renderer.ts'), RENDERER);
    await writeFile(join(dir, 'src', 'shop.ts'), SHOP);
    const outfile = join(dir, 'dist', 'assets', 'index-4f2a.js');
    const result = await build({
      entryPoints: [join(dir, 'src', 'shop.ts')],
      bundle: true,
      minify: true,
      sourcemap: 'external',
      outfile,
      format: 'iife',
      logLevel: 'silent',
      write: false,
    });
    await mkdir(join(dir, 'dist', 'assets'), { recursive: true });
    for (const output of result.outputFiles) await writeFile(output.path, output.contents);
    const code = result.outputFiles.find((output) => output.path === outfile)!.text;
    expect(code).not.toMatch(/\bCart\b|\bHeader\b|\bBoundary\b/);

    const context: Record<string, unknown> = {};
    let caught: Error | undefined;
    try {
      runInNewContext(`${code}\nshow();`, context, { filename: URL_ });
    } catch (error) {
      caught = error as Error;
    }
    expect(caught?.message).toBe('cart total is not a number');
    const frames = parseStack(caught!.stack);
    // Where each component is declared in the bundle, under its minified name: what React's
    // production component stack points at.
    const [header, cart, boundary] = (context.components as Array<{ name: string }>).map((fn) => fn.name);
    const place = (index: number) => {
      const before = code.slice(0, index).split('\n');
      return `${URL_}:${before.length}:${before[before.length - 1]!.length + 1}`;
    };
    const at = (name: string) => {
      const index = code.indexOf(`function ${name}(`) >= 0 ? code.indexOf(`function ${name}(`) : code.indexOf(`${name}=`);
      // A class component's frame is in its constructor.
      const inClass = code.indexOf(`class ${name}{`);
      return inClass >= 0 ? place(code.indexOf('constructor(', inClass)) : place(index);
    };
    const componentStack = `at ${cart} (${at(cart!)})\n    at ${header} (${at(header!)})\n    at div (<anonymous>)\n    at ${boundary} (${at(boundary!)})`;
    const event = validEvent({
      level: 'error',
      event: 'client_error',
      error: { type: 'TypeError', message: caught!.message, stack: caught!.stack, frames },
      component_stack: componentStack,
    } as never);

    const maps = sourceMapResolver(join(dir, 'dist'), { root: dir, warn: () => undefined });
    const [mapped] = (await maps.resolve([event])) as Array<typeof event & { component_stack?: string; minified_component_stack?: string }>;
    maps.close();

    const top = (mapped!.error!.frames as MappedFrame[])[0]!;
    expect(top).toMatchObject({ function: 'Cart', file: 'src/shop.ts', ...where(SHOP, 'new TypeError') });
    expect(top.minified?.function).toBe(frames[0]!.function);
    expect(mapped!.error!.stack).toContain(`    at Cart (src/shop.ts:${where(SHOP, 'new TypeError').line}:`);

    const lines = mapped!.component_stack!.split('\n');
    expect(lines[0]).toBe(`at Cart (src/shop.ts:${where(SHOP, 'function Cart').line}:${where(SHOP, 'function Cart').column})`);
    expect(lines[1]).toMatch(new RegExp(`^    at Header \\(src/shop\\.ts:${where(SHOP, 'const Header').line}:\\d+\\)$`));
    expect(lines[2]).toBe('    at div (<anonymous>)');
    // Placed in the class (its name or its constructor, as the map has it), named as declared.
    const [, classLine] = /^ {4}at Boundary \(src\/shop\.ts:(\d+):\d+\)$/.exec(lines[3]!) ?? [];
    expect(Number(classLine)).toBeGreaterThanOrEqual(where(SHOP, 'class Boundary').line);
    expect(Number(classLine)).toBeLessThanOrEqual(where(SHOP, '  constructor').line);
    expect(mapped!.minified_component_stack).toBe(componentStack);
  });
});
