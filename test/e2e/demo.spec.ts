// `npm run demo` end to end: the demo in its own process on free ports, its page in Chromium, and
// what reached its files, `tracebeam trace` and the viewer. Everything runs on 127.0.0.1.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { jsonLines, startDemo, type Demo } from './demo/demo-process';

const ROOT = new URL('../../', import.meta.url).pathname;
const run = promisify(execFile);

interface Line {
  event: string;
  level: string;
  service: string;
  trace_id: string;
  span_id?: string;
  timestamp: string;
  [field: string]: unknown;
}
interface ClientEvent extends Line {
  http?: { method: string; url: string; status_code: number; duration_ms: number };
  error?: {
    type: string;
    message: string;
    stack: string;
    minified_stack?: string;
    frames: Array<{ function?: string; file?: string; line?: number; column?: number; minified?: { file?: string; line?: number } }>;
  };
}

let dir: string;
let demo: Demo;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  dir = mkdtempSync(join(tmpdir(), 'tracebeam-demo-'));
  demo = await startDemo(dir);
});

test.afterAll(async () => {
  await demo?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const ofTrace = <T extends Line>(lines: T[], traceId: string): T[] => lines.filter((line) => line.trace_id === traceId);
const clientEvents = (traceId: string): ClientEvent[] => ofTrace(jsonLines<ClientEvent>(demo.files.client), traceId);
const serverLines = (traceId: string): Line[] => ofTrace(jsonLines<Line>(demo.files.server), traceId);
const names = (lines: Line[]): string[] => lines.map((line) => line.event);

/** Opens the demo page and waits until tracebeam is running in it. */
async function openShop(page: Page): Promise<void> {
  await page.goto(`${demo.app}/`);
  await expect(page.locator('#current-trace')).toHaveText(/^[0-9a-f]{32}$/, { timeout: 30_000 });
}

/** Clicks a story's button and returns the trace id of the line the page wrote for it. */
async function story(page: Page, button: string, name: string): Promise<string> {
  await page.click(button);
  const line = page.locator(`#story-log li[data-story="${name}"]`).first();
  await line.waitFor({ timeout: 30_000 });
  const traceId = (await line.getAttribute('data-trace-id'))!;
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  // The line shows the id and links to the viewer's page of the trace.
  await expect(line.locator('code')).toHaveText(traceId);
  await expect(line.locator('a')).toHaveAttribute('href', `${demo.viewer}/trace/${traceId}`);
  return traceId;
}

test('the demo prints where to go, and its page and bundle are served', async ({ request }) => {
  expect(demo.output()).toContain(`open ${demo.app}/ — traces at ${demo.viewer}/`);
  expect(demo.output()).toContain(demo.files.client);
  expect(demo.output()).toContain(demo.files.server);
  expect((await request.get(`${demo.app}/`)).status()).toBe(200);
  expect((await request.get(`${demo.app}/orders/42`)).status()).toBe(200);
  expect((await request.get(`${demo.app}/assets/app.js.map`)).status()).toBe(200);
  expect((await request.get(`${demo.viewer}/`)).status()).toBe(200);
});

test('the failing checkout: client events and backend lines share one trace id, in order in `tracebeam trace` and the viewer', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await openShop(page);
  const traceId = await story(page, '#story-checkout', 'checkout');

  // The user sees an error, with the trace id as the reference to quote.
  await expect(page.locator('#alert')).toBeVisible();
  await expect(page.locator('#alert')).toContainText('could not charge your card');
  await expect(page.locator('#alert')).toContainText(traceId);

  await expect
    .poll(() => names(clientEvents(traceId)), { timeout: 30_000 })
    .toEqual(expect.arrayContaining(['checkout_started', 'http_request', 'client_error']));
  await expect
    .poll(() => names(serverLines(traceId)), { timeout: 30_000 })
    .toEqual(['checkout_received', 'payment_failed', 'cart_reservation_released', 'request_finished']);

  const events = clientEvents(traceId);
  const request = events.find((event) => event.event === 'http_request')!;
  expect(request.http).toEqual(expect.objectContaining({ method: 'POST', url: `${demo.app}/api/checkout`, status_code: 500 }));
  expect(request.level).toBe('error');
  const error = events.find((event) => event.event === 'client_error')!;
  expect(error.error).toEqual(expect.objectContaining({ type: 'CheckoutError', message: 'payment failed: HTTP 500 payment_failed', handled: true }));
  expect(error.component).toBe('checkout');

  // The backend's lines are structlog's shape, with the trace and the span the browser sent.
  for (const line of serverLines(traceId)) {
    expect(line).toEqual(expect.objectContaining({ service: 'demo-api', trace_id: traceId, span_id: request.span_id }));
    expect(line.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(['info', 'warn', 'error']).toContain(line.level);
  }

  // `tracebeam trace` merges both files into one timeline.
  const cli = join(ROOT, 'dist/cli.mjs');
  const { stdout: json } = await run(process.execPath, [cli, 'trace', traceId, demo.files.client, demo.files.server, '--json']);
  const timeline = json
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { event: string; source: string; trace_id: string; time: number });
  expect(timeline.every((record) => record.trace_id === traceId)).toBe(true);
  const order = timeline.map((record) => record.event);
  const at = (name: string): number => order.indexOf(name);
  for (const name of ['checkout_started', 'checkout_received', 'payment_failed', 'http_request', 'client_error']) expect(order).toContain(name);
  // The click, the request (stamped when it started), the server's lines, the error it led to.
  expect(at('checkout_started')).toBeLessThan(at('http_request'));
  expect(at('http_request')).toBeLessThan(at('checkout_received'));
  expect(at('checkout_received')).toBeLessThan(at('payment_failed'));
  expect(at('payment_failed')).toBeLessThan(at('client_error'));
  const received = Date.parse(serverLines(traceId)[0]!.timestamp);
  expect(Date.parse(request.timestamp)).toBeLessThanOrEqual(received);
  const { stdout: text } = await run(process.execPath, [cli, 'trace', traceId, demo.files.client, demo.files.server], {
    env: { ...process.env, NO_COLOR: '1' },
  });
  expect(text).toContain(`trace ${traceId}`);
  expect(text).toMatch(/demo-api\s+error\s+payment_failed\s+PaymentProviderError: card processor unavailable/);
  expect(text).toMatch(/demo-web\s+error\s+http_request\s+POST \S+\/api\/checkout -> 500/);
  expect(text).toMatch(/demo-web\s+error\s+client_error\s+CheckoutError: payment failed: HTTP 500/);

  // The viewer's trace page shows the same records, in the same order, client and backend alike.
  await page.goto(`${demo.viewer}/trace/${traceId}`);
  const rows = page.locator('.wf-row.record');
  await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(timeline.length);
  const shown = await rows.evaluateAll((nodes) => nodes.map((node) => [node.querySelector('.name')!.textContent, (node as HTMLElement).dataset.origin]));
  // Leaving the page sent its web vitals, under the same trace since no click came after; the rest is as the command showed.
  const told = ['checkout_started', 'http_request', 'checkout_received', 'payment_failed', 'cart_reservation_released', 'request_finished', 'client_error'];
  const inStory = (list: Array<string | null | undefined>): Array<string | null | undefined> => list.filter((name) => told.includes(name!));
  expect(inStory(shown.map(([name]) => name))).toEqual(inStory(order));
  expect(shown).toEqual(
    expect.arrayContaining([
      ['checkout_started', 'client'],
      ['checkout_received', 'log'],
      ['payment_failed', 'log'],
      ['cart_reservation_released', 'log'],
      ['request_finished', 'log'],
      ['http_request', 'client'],
      ['client_error', 'client'],
    ]),
  );
  await expect(page.locator('.wf-row.kind-http')).toContainText('-> 500');
  await expect(page.locator('.detail', { hasText: 'CheckoutError: payment failed' })).toBeVisible();
  await expect(page.locator('.detail', { hasText: 'PaymentProviderError: card processor unavailable' })).toBeVisible();

  const screenshot = testInfo.outputPath('demo-checkout-trace.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  await testInfo.attach('demo-checkout-trace', { path: screenshot, contentType: 'image/png' });
});

test('the thrown error: its minified stack comes out of the sink with the original names and lines', async ({ page, request }) => {
  test.setTimeout(120_000);
  const bundle = await (await request.get(`${demo.app}/assets/app.js`)).text();
  // Minified for real: the names below are not in the bundle.
  for (const name of ['discountFor', 'applyCoupon', 'onApplyCoupon']) expect(bundle).not.toContain(name);

  await openShop(page);
  const traceId = await story(page, '#story-coupon', 'uncaught-error');
  await expect(page.locator('#story-log li[data-story="uncaught-error"]').first()).toContainText('RangeError: unknown coupon code "SPRING15"');
  await expect.poll(() => names(clientEvents(traceId)), { timeout: 30_000 }).toContain('client_error');

  const error = clientEvents(traceId).find((event) => event.event === 'client_error')!.error!;
  expect(error).toEqual(expect.objectContaining({ type: 'RangeError', message: 'unknown coupon code "SPRING15"', handled: false }));
  const cart = readFileSync(join(ROOT, 'demo/src/cart.js'), 'utf8');
  const stories = readFileSync(join(ROOT, 'demo/src/stories.js'), 'utf8');
  const lineOf = (source: string, text: string): number => source.slice(0, source.indexOf(text)).split('\n').length;
  const minified = expect.objectContaining({ file: `${demo.app}/assets/app.js` });
  expect(error.frames.slice(0, 3)).toEqual([
    expect.objectContaining({ function: 'discountFor', file: 'demo/src/cart.js', line: lineOf(cart, 'throw new RangeError'), minified }),
    expect.objectContaining({ function: 'applyCoupon', file: 'demo/src/cart.js', line: lineOf(cart, 'const percent = discountFor(code)'), minified }),
    expect.objectContaining({ function: 'onApplyCoupon', file: 'demo/src/stories.js', line: lineOf(stories, "applyCoupon(cart, 'SPRING15')"), minified }),
  ]);
  expect(error.stack).toMatch(/at discountFor \(demo\/src\/cart\.js:\d+:\d+\)/);
  expect(error.minified_stack).toContain(`${demo.app}/assets/app.js:`);
});

test('the other stories: a rejection nobody caught, a slow API, another origin, a route change', async ({ page }) => {
  test.setTimeout(180_000);
  await openShop(page);

  // An unhandled rejection, after a 503 the backend logged under the same trace.
  const rejection = await story(page, '#story-recommendations', 'unhandled-rejection');
  await expect.poll(() => names(clientEvents(rejection)), { timeout: 30_000 }).toEqual(expect.arrayContaining(['http_request', 'unhandled_rejection']));
  const rejected = clientEvents(rejection).find((event) => event.event === 'unhandled_rejection')!;
  expect(rejected.error).toEqual(expect.objectContaining({ message: 'recommendations failed: HTTP 503', handled: false }));
  await expect.poll(() => names(serverLines(rejection)), { timeout: 30_000 }).toEqual(['recommendations_unavailable', 'request_finished']);

  // A slow API: the request's event has its duration, the backend says it was slow.
  const slow = await story(page, '#story-search', 'slow-search');
  await expect.poll(() => names(clientEvents(slow)), { timeout: 30_000 }).toContain('http_request');
  const search = clientEvents(slow).find((event) => event.event === 'http_request')!;
  expect(search.http).toEqual(expect.objectContaining({ method: 'GET', status_code: 200 }));
  expect(search.http!.duration_ms).toBeGreaterThanOrEqual(1_500);
  await expect.poll(() => names(serverLines(slow)), { timeout: 30_000 }).toEqual(['search_started', 'search_slow', 'request_finished']);

  // Another origin: propagateTo sends the trace headers there, and its CORS lets them through.
  const crossOrigin = await story(page, '#story-stock', 'cross-origin');
  await expect(page.locator('#story-log li[data-story="cross-origin"]').first()).toContainText(`whose log has trace ${crossOrigin}`);
  await expect.poll(() => names(clientEvents(crossOrigin)), { timeout: 30_000 }).toContain('http_request');
  const stock = clientEvents(crossOrigin).find((event) => event.event === 'http_request')!;
  expect(stock.http).toEqual(expect.objectContaining({ url: `${demo.inventory}/api/stock?sku=socks-42`, status_code: 200 }));
  await expect.poll(() => names(serverLines(crossOrigin)), { timeout: 30_000 }).toEqual(['stock_checked', 'request_finished']);
  for (const line of serverLines(crossOrigin)) expect(line).toEqual(expect.objectContaining({ service: 'demo-inventory', span_id: stock.span_id }));

  // A route change starts a trace of its own, which the route's request and the backend share.
  const route = await story(page, '#story-order', 'route-change');
  await expect(page).toHaveURL(`${demo.app}/orders/42`);
  await expect(page.locator('#order-status')).toHaveText('2 items, shipped');
  expect(new Set([rejection, slow, crossOrigin, route]).size).toBe(4);
  await expect.poll(() => names(clientEvents(route)), { timeout: 30_000 }).toEqual(expect.arrayContaining(['route_changed', 'http_request']));
  expect(clientEvents(route).find((event) => event.event === 'route_changed')).toEqual(expect.objectContaining({ from: '/', to: '/orders/42' }));
  await expect.poll(() => names(serverLines(route)), { timeout: 30_000 }).toEqual(['order_loaded', 'request_finished']);

  // Back: popstate, one more new trace.
  await page.goBack();
  await expect(page.locator('#view-shop')).toBeVisible();
  const back = (await page.locator('#current-trace').textContent())!;
  expect(back).not.toBe(route);
  await expect
    .poll(() => clientEvents(back).map((event) => [event.event, event.from, event.to]), { timeout: 30_000 })
    .toContainEqual(['route_changed', '/orders/42', '/']);
});

test('Ctrl-C stops the page, the inventory API and the sink', async () => {
  test.setTimeout(120_000);
  const own = mkdtempSync(join(tmpdir(), 'tracebeam-demo-stop-'));
  try {
    const second = await startDemo(own);
    for (const url of [second.app, second.inventory, second.viewer]) expect((await fetch(`${url}/`)).status).toBeLessThan(500);
    expect(await second.stop()).toBe(0);
    for (const url of [second.app, second.inventory, second.viewer]) await expect(fetch(`${url}/`)).rejects.toThrow();
  } finally {
    rmSync(own, { recursive: true, force: true });
  }
});
