// The production build keeps the option's name in its message and drops the words about what it
// must be (those are the development build's): built here as an app's bundler builds it.
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import type { resolveOptions as Resolve } from '../../../src/core/options';

async function productionResolver(): Promise<typeof Resolve> {
  const { outputFiles } = await build({
    entryPoints: [new URL('../../../src/core/options.ts', import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    write: false,
    define: { __DEV__: 'false' },
  });
  const code = outputFiles[0].text;
  expect(code).not.toContain('a positive number');
  return (await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)).resolveOptions;
}

describe('resolveOptions in the production build', () => {
  const valid = { sink: 'https://logs.test/api/log', service: 'web' };
  it.each([
    [{ service: 'web' }, 'sink'],
    [{ ...valid, sink: 'ftp://x.test/log' }, 'sink'],
    [{ ...valid, service: '' }, 'service'],
    [{ ...valid, sampleRate: 2 }, 'sampleRate'],
    [{ ...valid, sampleRate: 'all' }, 'sampleRate'],
    [{ ...valid, batch: { maxEvents: -1 } }, 'maxEvents'],
    [{ ...valid, correlationHeader: 'x trace' }, 'correlationHeader'],
    [{ ...valid, propagateTo: ['api.example.com'] }, 'propagateTo'],
    [{ ...valid, transport: {} }, 'transport'],
  ])('names the wrong option: %j', async (input, option) => {
    const resolve = await productionResolver();
    const [options, problem] = resolve(input as never);
    expect(problem).toBe(`option \`${option}\` is invalid`);
    // A client that does nothing still gets options of the right shape.
    expect(options).toMatchObject({ maxQueue: expect.any(Number), integrations: expect.any(Array) });
  });

  it('accepts what the development build accepts', async () => {
    const resolve = await productionResolver();
    expect(resolve({ ...valid, sampleRate: 0, release: '', batch: { maxBytes: 1e9 } })).toEqual([expect.objectContaining({ sampleRate: 0, maxBytes: 60_000 })]);
  });
});
