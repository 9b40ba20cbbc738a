/**
 * The OpenTelemetry peer ranges of package.json, at both ends: the packed package installed from
 * the registry beside the lowest versions it accepts and beside the highest, a page built with
 * esbuild, and in Chromium one span with a fetch under it, which must reach a real sink as span
 * events of one trace carrying the log line logged inside it.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort } from '../free-port';
import { createApp, removeApp, ROOT, run } from './support';

const LOWEST = {
  '@opentelemetry/api': '1.3.0',
  '@opentelemetry/core': '2.0.0',
  '@opentelemetry/resources': '2.0.0',
  '@opentelemetry/sdk-trace-base': '2.0.0',
  '@opentelemetry/sdk-trace-web': '2.0.0',
  '@opentelemetry/context-zone': '2.0.0',
  '@opentelemetry/instrumentation': '0.200.0',
  '@opentelemetry/instrumentation-fetch': '0.200.0',
  '@opentelemetry/instrumentation-xml-http-request': '0.200.0',
};
// The highest the ranges accept today: the pins the repository develops with.
const dev = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).devDependencies as Record<string, string>;
const HIGHEST = Object.fromEntries(Object.keys(LOWEST).map((name) => [name, dev[name]!]));

for (const [label, versions] of [
  ['lowest', LOWEST],
  ['highest', HIGHEST],
] as const) {
  test.describe(`OpenTelemetry peers at their ${label} versions`, () => {
    let app: string | undefined;
    let server: Server | undefined;
    let origin = '';
    const received: Array<Record<string, any>> = [];

    test.beforeAll(async () => {
      test.setTimeout(300_000);
      app = createApp(`otel-${label}`, `${ROOT}test/consumers/otel-app`, {}, versions);
      const installed = JSON.parse(readFileSync(join(app, 'node_modules/@opentelemetry/sdk-trace-web/package.json'), 'utf8')).version;
      expect(installed).toBe(versions['@opentelemetry/sdk-trace-web']);
      run(app, `${ROOT}node_modules/.bin/esbuild`, ['page.ts', '--bundle', '--format=esm', '--outfile=out/page.js', '--log-level=warning']);
      const page = readFileSync(join(app, 'out/page.js'));
      // The installed package's own sink, as a user's server would run it.
      const { createSinkHandler, toNodeListener } = await import(join(app, 'node_modules/tracebeam/dist/sink.mjs'));
      const sink = toNodeListener(createSinkHandler({ write: (events: Array<Record<string, any>>) => void received.push(...events) }));
      server = createServer((request, response) => {
        if (request.url === '/api/log') return sink(request, response);
        if (request.url === '/api/cart') return response.writeHead(200, { 'content-type': 'application/json' }).end('{"items":3}');
        if (request.url === '/page.js') return response.writeHead(200, { 'content-type': 'text/javascript' }).end(page);
        response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script type="module" src="/page.js"></script>');
      });
      const port = await freePort();
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
      origin = `http://127.0.0.1:${port}`;
    });

    test.afterAll(async () => {
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
      removeApp(app);
    });

    test('a span with a fetch under it and a log line inside reach the sink as one trace', async ({ page }) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${origin}/`);
      await page.locator('body[data-flushed]').waitFor({ state: 'attached', timeout: 15_000 });
      await expect.poll(() => received.filter((event) => event.event === 'span').length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);

      const spans = received.filter((event) => event.event === 'span');
      const checkout = spans.find((event) => event.span.name === 'checkout')!;
      const request = spans.find((event) => event.span.kind === 'client')!;
      expect(checkout).toBeDefined();
      expect(request).toMatchObject({ trace_id: checkout.trace_id, parent_span_id: checkout.span_id, span: { scope: '@opentelemetry/instrumentation-fetch' } });
      // The fetch instrumentation of the 0.200 line names attributes by the older HTTP conventions.
      const { attributes } = request.span;
      expect(attributes['http.response.status_code'] ?? attributes['http.status_code']).toBe(200);
      const log = received.find((event) => event.event === 'cart_loaded')!;
      expect(log).toMatchObject({ trace_id: checkout.trace_id, span_id: checkout.span_id });
      expect(errors).toEqual([]);
    });
  });
}
