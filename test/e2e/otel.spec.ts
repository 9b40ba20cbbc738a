/**
 * tracebeam/otel in real Chromium against the real sink: OpenTelemetry's spans, context (zone.js)
 * and propagation, delivered by the client's own pipeline. The page loads the built `dist/index.mjs`
 * and `dist/otel.mjs` with the OpenTelemetry packages, bundled the way an app's bundler would.
 */
import { Validator } from '@cfworker/json-schema';
import { build } from 'esbuild';
import type { TelemetryEvent } from 'tracebeam';
import { logsRequestSchema, traceRequestSchema } from '../unit/otel/otlp-schema';
import { expect, test } from './support/fixtures';
import type { TestApp } from './support/server';

const ROOT = new URL('../../', import.meta.url).pathname;
let bundle = '';

test.beforeAll(async () => {
  const result = await build({
    stdin: {
      contents: `
        import * as tracebeam from './dist/index.mjs';
        import * as otel from './dist/otel.mjs';
        import { context, trace } from '@opentelemetry/api';
        window.tb = { ...tracebeam, ...otel, api: { context, trace } };
      `,
      resolveDir: ROOT,
      sourcefile: 'otel-e2e-page.js',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  // Inlined in a classic <script>: zone.js has to load before the page's own code runs.
  bundle = result.outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
});

/** A page with the bundle loaded first, then `script` as a module with `tb` (tracebeam + tracebeam/otel) in scope. */
const otelPage = (script: string): string => `<!doctype html><html><head><meta charset="utf-8">
<script>${bundle}</script></head><body><h1>tracebeam otel page</h1><button id="go">go</button>
<script type="module">const { tb } = window;${script}</script></body></html>`;

type Span = { name: string; kind: string; scope: string; status: string; attributes: Record<string, unknown> };
const spanOf = (event: TelemetryEvent) => event.span as Span;
const spans = (events: TelemetryEvent[]) => events.filter((e) => e.event === 'span');
const named = (events: TelemetryEvent[], name: string) => spans(events).find((e) => spanOf(e).name === name)!;

/**
 * Waits for the events of one service. Each test names its own: a page the previous test left may
 * still send its last spans by beacon as it closes, after the sink was reset.
 */
const eventsOf = (app: TestApp, service: string, predicate: (events: TelemetryEvent[]) => boolean, timeoutMs?: number) =>
  app
    .waitForEvents((events) => predicate(events.filter((e) => e.service === service)), timeoutMs)
    .then((events) => events.filter((e) => e.service === service));

test('a custom span with two nested children arrives with the right parent ids', async ({ app, page }) => {
  await page.goto(
    app.page(
      otelPage(`
        const otel = tb.otelTracing();
        const client = tb.createClient({ sink: '/api/log', service: 'shop-web', integrations: [otel] });
        window.interaction = client.traceId();
        otel.tracer.startActiveSpan('checkout', (root) => {
          otel.tracer.startActiveSpan('validate_cart', (child) => {
            otel.tracer.startActiveSpan('price_items', (grandchild) => {
              grandchild.setAttribute('items', 3);
              client.log('info', 'priced', { total: 42 });
              grandchild.end();
            });
            child.end();
          });
          root.end();
        });
        client.flush();
      `),
    ),
  );
  const events = await eventsOf(app, 'shop-web', (e) => spans(e).length >= 3 && e.some((v) => v.event === 'priced'));
  const interaction = await page.evaluate(() => (window as unknown as { interaction: string }).interaction);
  const [root, child, grandchild] = ['checkout', 'validate_cart', 'price_items'].map((name) => named(events, name));
  for (const event of [root, child, grandchild]) {
    expect(event).toMatchObject({ level: 'info', service: 'shop-web', trace_id: interaction });
    expect(spanOf(event)).toMatchObject({ kind: 'internal', scope: 'app', status: 'unset' });
  }
  expect(root.parent_span_id).toBeUndefined();
  expect(child.parent_span_id).toBe(root.span_id);
  expect(grandchild.parent_span_id).toBe(child.span_id);
  expect(spanOf(grandchild).attributes).toEqual({ items: 3 });
  expect(events.find((e) => e.event === 'priced')).toMatchObject({ trace_id: interaction, span_id: grandchild.span_id, total: 42 });
});

test('the traceparent a backend received is the exported fetch span’s trace and span, under the interaction trace', async ({ app, page }) => {
  // The other origin by another name: cross-origin, and not in propagateTo.
  const unlisted = app.otherOrigin.replace('127.0.0.1', 'localhost');
  await page.goto(
    app.page(
      otelPage(`
        const client = tb.createClient({
          sink: '/api/log', service: 'propagation', propagateTo: [${JSON.stringify(app.otherOrigin)}], integrations: [tb.otelTracing()],
        });
        window.interaction = client.traceId();
        Promise.all([
          fetch('/api/same', { headers: { 'x-app': 'yes' } }),
          fetch(${JSON.stringify(app.otherOrigin)} + '/api/listed'),
          fetch(${JSON.stringify(unlisted)} + '/api/unlisted').catch(() => null),
        ]).then(() => (document.body.dataset.done = '1'));
      `),
    ),
  );
  await page.locator('body[data-done="1"]').waitFor();
  const interaction = await page.evaluate(() => (window as unknown as { interaction: string }).interaction);
  // The fetch instrumentation ends a span once the body is read and resource timing had 300 ms.
  const events = await eventsOf(app, 'propagation', (e) => spans(e).filter((s) => spanOf(s).kind === 'client').length >= 3, 15_000);
  const fetchSpans = spans(events).filter((s) => spanOf(s).kind === 'client');
  for (const path of ['/api/same', '/api/listed']) {
    const seen = app.apiRequests.find((r) => r.path === path)!;
    expect(seen.headers.traceparent, path).toBeDefined();
    const [, traceId, parentId, flags] = String(seen.headers.traceparent).split('-');
    const span = fetchSpans.find((s) => s.span_id === parentId)!;
    expect(span, `the span the backend was told of (${path})`).toBeDefined();
    expect(span.trace_id).toBe(traceId);
    expect(flags).toBe('01');
    expect(seen.headers['x-trace-id']).toBe(traceId);
    // Made outside any span: a root span in the current interaction trace, as in the light model.
    expect(traceId).toBe(interaction);
    expect(span.parent_span_id).toBeUndefined();
    expect(spanOf(span)).toMatchObject({ name: 'GET', scope: '@opentelemetry/instrumentation-fetch', attributes: { 'http.response.status_code': 200 } });
    expect(String(spanOf(span).attributes['url.full'])).toContain(path);
  }
  expect(app.apiRequests.find((r) => r.path === '/api/same')!.headers['x-app']).toBe('yes');
  // Not in propagateTo: no trace headers (and no CORS preflight for them), but a span all the same.
  expect(app.apiRequests.find((r) => r.path === '/api/unlisted')!.headers.traceparent).toBeUndefined();
  expect(fetchSpans.some((s) => String(spanOf(s).attributes['url.full']).includes('/api/unlisted'))).toBe(true);
  // The SDK's own batches are never traced.
  expect(fetchSpans.some((s) => String(spanOf(s).attributes['url.full']).includes('/api/log'))).toBe(false);
});

test('an error thrown in a fetch’s .then callback carries that fetch’s trace id, and a log there its span', async ({ app, page }) => {
  await page.goto(
    app.page(
      otelPage(`
        const otel = tb.otelTracing();
        const client = tb.createClient({ sink: '/api/log', service: 'then-callback', integrations: [tb.errors(), otel] });
        document.querySelector('#go').addEventListener('click', () => {
          window.interaction = client.traceId();
          otel.tracer.startActiveSpan('load_cart', (span) => {
            fetch('/api/cart').then(() => {
              // zone.js runs this callback in the zone of the span it was registered in.
              client.log('info', 'cart_loaded');
              span.end();
              throw new Error('cart render failed');
            });
          });
          // And outside any span: the fetch is a root span of the interaction trace.
          fetch('/api/prices').then(() => {
            throw new Error('prices render failed');
          });
        });
        document.body.dataset.ready = '1';
      `),
    ),
  );
  await page.locator('body[data-ready="1"]').waitFor();
  await page.click('#go');
  const events = await eventsOf(
    app,
    'then-callback',
    (e) => e.filter((v) => v.error).length >= 2 && spans(e).filter((s) => spanOf(s).kind === 'client').length >= 2 && !!named(e, 'load_cart'),
    15_000,
  );
  const interaction = await page.evaluate(() => (window as unknown as { interaction: string }).interaction);
  const fetchSpan = (path: string) => spans(events).find((s) => String(spanOf(s).attributes['url.full']).endsWith(path))!;
  const error = (message: string) => events.find((e) => e.error?.message === message)!;
  const loadCart = named(events, 'load_cart');

  // The click started a new interaction trace; the span, its fetch and the failure all belong to it.
  expect(loadCart.trace_id).toBe(interaction);
  expect(fetchSpan('/api/cart')).toMatchObject({ trace_id: interaction, parent_span_id: loadCart.span_id });
  expect(error('cart render failed')).toMatchObject({ event: 'unhandled_rejection', trace_id: fetchSpan('/api/cart').trace_id });
  expect(events.find((e) => e.event === 'cart_loaded')).toMatchObject({ trace_id: interaction, span_id: loadCart.span_id });

  expect(fetchSpan('/api/prices')).toMatchObject({ trace_id: interaction });
  expect(fetchSpan('/api/prices').parent_span_id).toBeUndefined();
  expect(error('prices render failed')).toMatchObject({ event: 'unhandled_rejection', trace_id: fetchSpan('/api/prices').trace_id });
});

test('spans ended right before the page navigates away arrive, by beacon', async ({ app, page }) => {
  await page.goto(
    app.page(
      otelPage(`
        const otel = tb.otelTracing();
        tb.createClient({ sink: '/api/log', service: 'page-exit', integrations: [otel] });
        document.querySelector('#go').addEventListener('click', () => {
          otel.tracer.startActiveSpan('leave_page', (span) => {
            for (let i = 0; i < 20; i++) otel.tracer.startSpan('save_draft', { attributes: { i } }).end();
            span.end();
          });
          location.href = '/api/echo';
        });
        document.body.dataset.ready = '1';
      `),
    ),
  );
  await page.locator('body[data-ready="1"]').waitFor();
  await page.click('#go');
  await page.waitForURL('**/api/echo');
  const events = await eventsOf(app, 'page-exit', (e) => spans(e).length >= 21);
  const root = named(events, 'leave_page');
  const children = spans(events).filter((s) => spanOf(s).name === 'save_draft');
  expect(children).toHaveLength(20);
  for (const child of children) expect(child).toMatchObject({ trace_id: root.trace_id, parent_span_id: root.span_id });
  expect(new Set(children.map((c) => spanOf(c).attributes.i)).size).toBe(20);
  // The regular batch waited for its 5 s timer, and the page was gone before: they left at page exit.
  expect(app.sinkRequests.map((r) => r.contentType)).toContain('text/plain;charset=UTF-8');
});

type KeyValue = { key: string; value: Record<string, unknown> };
const attributes = (list: KeyValue[]) => Object.fromEntries(list.map(({ key, value }) => [key, Object.values(value)[0]]));

for (const where of ['same-origin', 'cross-origin'] as const) {
  test(`otlpTransport posts valid OTLP JSON to a ${where} endpoint, by fetch and at page exit`, async ({ app, page }) => {
    const collector = (where === 'same-origin' ? app.url : app.otherOrigin) + '/api/otlp';
    await page.goto(
      app.page(
        otelPage(`
          const otel = tb.otelTracing();
          const client = tb.createClient({
            sink: '/api/log', service: 'shop-web', release: '2.0.0', environment: 'e2e',
            integrations: [otel], transport: tb.otlpTransport({ url: ${JSON.stringify(collector)} }),
          });
          otel.tracer.startActiveSpan('checkout', (span) => {
            client.log('warn', 'slow_cart', { wait_ms: 900 });
            span.end();
          });
          client.captureError(new Error('card declined'));
          client.flush().then(() => (document.body.dataset.flushed = '1'));
          document.querySelector('#go').addEventListener('click', () => {
            otel.tracer.startSpan('leaving').end();
            client.log('info', 'bye');
            location.href = '/api/echo';
          });
        `),
      ),
    );
    await page.locator('body[data-flushed="1"]').waitFor();
    await page.click('#go');
    await page.waitForURL('**/api/echo');
    const received = async (path: string, count: number) => {
      await expect.poll(() => app.apiRequests.filter((r) => r.path === '/api/otlp' + path).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(count);
      return app.apiRequests.filter((r) => r.path === '/api/otlp' + path);
    };
    const traces = await received('/v1/traces', 2);
    const logs = await received('/v1/logs', 2);
    for (const [requests, schema] of [
      [traces, traceRequestSchema],
      [logs, logsRequestSchema],
    ] as const) {
      for (const request of requests) {
        expect(String(request.headers['content-type'])).toMatch(/^application\/json/);
        expect(new Validator(schema as never, '2020-12', false).validate(JSON.parse(request.body)).errors).toEqual([]);
      }
    }
    const spans = traces
      .flatMap((r) => JSON.parse(r.body).resourceSpans)
      .flatMap((rs: { resource: { attributes: KeyValue[] }; scopeSpans: Array<{ spans: unknown[] }> }) => {
        expect(attributes(rs.resource.attributes)).toMatchObject({ 'service.name': 'shop-web', 'service.version': '2.0.0', 'deployment.environment': 'e2e' });
        return rs.scopeSpans.flatMap((ss) => ss.spans);
      }) as Array<{ name: string; traceId: string; spanId: string }>;
    const records = logs
      .flatMap((r) => JSON.parse(r.body).resourceLogs)
      .flatMap((rl: { scopeLogs: Array<{ logRecords: unknown[] }> }) => rl.scopeLogs.flatMap((sl) => sl.logRecords)) as Array<{
      eventName: string;
      severityNumber: number;
      traceId: string;
      spanId?: string;
      attributes: KeyValue[];
    }>;
    const checkout = spans.find((s) => s.name === 'checkout')!;
    expect(spans.map((s) => s.name)).toEqual(expect.arrayContaining(['checkout', 'leaving']));
    expect(records.find((r) => r.eventName === 'slow_cart')).toMatchObject({ severityNumber: 13, traceId: checkout.traceId, spanId: checkout.spanId });
    const error = records.find((r) => r.eventName === 'client_error')!;
    expect(error.severityNumber).toBe(17);
    expect(attributes(error.attributes)).toMatchObject({ 'exception.type': 'Error', 'exception.message': 'card declined' });
    expect(records.map((r) => r.eventName)).toContain('bye');
    // Everything went to the collector; the sink got nothing of this page (an earlier page may still beacon as it closes).
    expect(app.events().filter((e) => e.service === 'shop-web' && e.release === '2.0.0')).toEqual([]);
  });
}
