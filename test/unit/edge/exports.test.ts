// The public surface of `tracebeam/edge`: a change here is a reviewed change of the API.
import { expect, it } from 'vitest';
import * as edge from '../../../src/edge/index';

it('exports exactly these runtime values', () => {
  expect(Object.keys(edge).sort()).toEqual([
    'continueTrace',
    'createEdgeClient',
    'formatTraceparent',
    'formatTracestate',
    'nextMiddleware',
    'parseTraceparent',
    'parseTracestate',
    'withTelemetry',
  ]);
});

it('runs nothing at import time: every export is a function', () => {
  for (const value of Object.values(edge)) expect(typeof value).toBe('function');
});

it('bundles for a platform with neither node: modules nor a DOM', async () => {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [new URL('../../../src/edge/index.ts', import.meta.url).pathname],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    define: { __VERSION__: '"test"', __DEV__: 'false' },
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].text;
  expect(code).not.toMatch(/\b(require\(|node:|document\.|window\.|navigator\.)/);
});
