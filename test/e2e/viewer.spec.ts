// `tracebeam sink --ui` and `--sourcemaps` end to end: a page using tracebeam posts to the built CLI
// in its own process, a backend writes JSON log lines with the same trace id, and Chromium shows
// the viewer. Everything runs on 127.0.0.1.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { expect, test } from '@playwright/test';
import { fingerprint } from '../../src/sink/fingerprint';
import { startCliSink, type CliSink } from './viewer/cli-sink';
import { shopPage, startShop, type Shop } from './viewer/shop';

interface SinkEvent {
  event: string;
  trace_id: string;
  error?: {
    type: string;
    message: string;
    stack?: string;
    minified_stack?: string;
    fingerprint?: string;
    frames?: Array<{
      function?: string;
      file?: string;
      line?: number;
      column?: number;
      minified?: { function?: string; file?: string; line?: number; column?: number };
    }>;
  };
}

const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

let dir: string;
let shop: Shop | undefined;
let sink: CliSink | undefined;

test.beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tracebeam-viewer-'));
});

test.afterEach(async () => {
  await sink?.stop();
  await shop?.close();
  sink = undefined;
  shop = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** The events the sink wrote to its --out file so far. */
function written(out: string): SinkEvent[] {
  try {
    return readFileSync(out, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as SinkEvent);
  } catch {
    return [];
  }
}

/** A string literal for an inline script: "</script>" inside it would end the script element. */
function inScript(text: string): string {
  return JSON.stringify(text).replace(/</g, '\\u003c');
}

/** One more event, as a client would post it. */
async function postEvent(url: string, fields: Record<string, unknown>): Promise<void> {
  const id = Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  const event = { id, timestamp: new Date().toISOString(), level: 'info', service: 'shop-web', sdk: { name: 'tracebeam', version: '0.1.0' }, ...fields };
  const response = await fetch(`${url}/api/log`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ events: [event] }),
  });
  expect(response.status).toBe(202);
}

test('the trace page lays out client events, backend log lines and spans in time order, errors open', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const log = join(dir, 'server.log');
  const out = join(dir, 'events.jsonl');
  shop = await startShop({ log });
  sink = await startCliSink(['--ui', '--out', out, '--logs', log, '--cors', shop.url]);

  await page.goto(
    shop.page(
      shopPage(`
        import { createClient, errors, fetchTracing } from 'tracebeam';
        const client = createClient({ sink: ${JSON.stringify(`${sink.url}/api/log`)}, service: 'shop-web', integrations: [errors(), fetchTracing()] });
        const traceId = client.traceId();
        const spanId = () => Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
        // What the OpenTelemetry integration sends for finished spans: events named "span".
        const span = (name, id, parent, start, end) => client.capture({
          level: 'info', event: 'span', trace_id: traceId, span_id: id, parent_span_id: parent, time: start,
          attributes: { span: { name, kind: 'internal', start_ms: start, duration_ms: end - start, status: 'ok', scope: 'shop', attributes: {} } },
        });

        client.log('info', 'checkout_started', { cart_items: 2 });
        const checkoutSpan = spanId();
        const started = Date.now();
        const response = await fetch('/api/checkout', { method: 'POST', body: '{"items": 2}' });
        const ended = Date.now();
        span('checkout', checkoutSpan, undefined, started, ended);
        span('render_receipt', spanId(), checkoutSpan, ended - 5, ended);
        client.log('warn', 'coupon_rejected', { reason: ${inScript(HOSTILE)} });
        setTimeout(function explodeCart() {
          throw new TypeError('cart total is ' + response.status);
        });
        setTimeout(async () => {
          await client.flush();
          document.body.dataset.traceId = traceId;
        }, 100);
      `),
    ),
  );
  const traceId = (await page.locator('body[data-trace-id]').getAttribute('data-trace-id', { timeout: 30_000 }))!;
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  await expect.poll(() => written(out).map((event) => event.event), { timeout: 30_000 }).toContain('client_error');

  await page.goto(`${sink.url}/trace/${traceId}`);
  const rows = page.locator('.wf-row.record');
  await expect(rows).toHaveCount(8, { timeout: 30_000 });

  // The DOM is in the order of the records' times, which the API gives oldest first.
  const api = (await (await fetch(`${sink.url}/api/trace/${traceId}`)).json()) as {
    records: Array<{ time: number; event: string; origin: string }>;
    notes: string[];
  };
  const times = api.records.map((record) => record.time);
  expect(times).toEqual([...times].sort((a, b) => a - b));
  const shown = await rows.evaluateAll((nodes) =>
    nodes.map((node) => [node.querySelector('.name')!.textContent, (node as HTMLElement).dataset.origin, (node as HTMLElement).dataset.kind]),
  );
  expect(shown.map(([name]) => name)).toEqual(api.records.map((record) => record.event));
  expect(shown).toEqual(
    expect.arrayContaining([
      ['checkout_started', 'client', 'point'],
      ['span', 'client', 'span'],
      ['checkout_received', 'log', 'point'],
      ['payment declined', 'log', 'error'],
      ['http_request', 'client', 'http'],
      ['coupon_rejected', 'client', 'point'],
      ['client_error', 'client', 'error'],
    ]),
  );
  // Cause before effect: the click, the request (stamped when it started), the server's lines, the error it led to.
  const order = shown.map(([name]) => name);
  const at = (name: string): number => order.indexOf(name);
  expect(at('checkout_started')).toBeLessThan(at('http_request'));
  expect(at('http_request')).toBeLessThan(at('checkout_received'));
  expect(at('checkout_received')).toBeLessThan(at('payment declined'));
  expect(at('payment declined')).toBeLessThan(at('client_error'));

  // Requests and spans are bars; the child span is indented under its parent.
  await expect(page.locator('.wf-row.kind-http .bar')).toHaveCount(1);
  await expect(page.locator('.wf-row.kind-span .bar')).toHaveCount(2);
  await expect(page.locator('.wf-row.kind-span', { hasText: 'render_receipt' }).locator('.label')).toHaveCSS('padding-left', '14px');
  await expect(page.locator('.wf-row.kind-http')).toContainText('POST');
  await expect(page.locator('.wf-row.kind-http')).toContainText('-> 500');

  // Errors come with their frames, without a click.
  const clientError = page.locator('.detail', { hasText: 'TypeError: cart total is 500' });
  await expect(clientError).toBeVisible();
  await expect(clientError.locator('.frame .fn').first()).toHaveText('explodeCart');
  await expect(page.locator('.detail', { hasText: 'PaymentError: card declined' })).toBeVisible();
  await expect(page.locator('.notes')).toContainText(`skipped 1 line that is not JSON in ${log}`);

  // What a page sent is text, never markup.
  await expect(page.locator('.wf-row.record', { hasText: 'coupon_rejected' })).toContainText(HOSTILE);
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(page.locator('#app img, #app script')).toHaveCount(0);

  const screenshot = testInfo.outputPath('trace-page.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  await testInfo.attach('trace-page', { path: screenshot, contentType: 'image/png' });

  // A late event of the trace appears without a reload.
  await postEvent(sink.url, { event: 'support_ticket_opened', trace_id: traceId });
  await expect(rows).toHaveCount(9, { timeout: 30_000 });
  await expect(rows.last()).toContainText('support_ticket_opened');
});

test('the event list updates live when a new event arrives, and filters', async ({ page }) => {
  test.setTimeout(90_000);
  const out = join(dir, 'events.jsonl');
  sink = await startCliSink(['--ui', '--out', out]);
  const traceId = 'a'.repeat(31) + 'b';
  await postEvent(sink.url, { event: 'page_view', trace_id: traceId });

  await page.goto(`${sink.url}/`);
  const rows = page.locator('tr.event');
  await expect(rows).toHaveCount(1, { timeout: 30_000 });
  await expect(page.locator('.status')).toHaveText('live', { timeout: 30_000 });
  await page.evaluate(() => ((window as { stillHere?: boolean }).stillHere = true));

  await postEvent(sink.url, { event: 'late_arrival', level: 'error', trace_id: traceId, note: HOSTILE });
  await expect(rows).toHaveCount(2, { timeout: 30_000 });
  // Newest first, and the page was not reloaded to show it.
  await expect(rows.first()).toContainText('late_arrival');
  await expect(rows.first()).toContainText(HOSTILE);
  expect(await page.evaluate(() => (window as { stillHere?: boolean }).stillHere)).toBe(true);
  expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

  await page.selectOption('select[name=level]', 'error');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('late_arrival');
  await page.selectOption('select[name=level]', '');
  await page.fill('input[name=q]', 'page_view');
  await expect(rows).toHaveCount(1);

  await rows.first().locator('a').click();
  await expect(page).toHaveURL(`${sink.url}/trace/${traceId}`);
  await expect(page.locator('.wf-row.record')).toHaveCount(2, { timeout: 30_000 });
});

test('a minified stack from a real bundle comes out of `tracebeam sink --sourcemaps` with original names and lines', async ({ page }) => {
  test.setTimeout(120_000);
  const cart = `export interface Item { name: string; price: number }

export function computeTotal(items: Item[]): number {
  let total = 0;
  for (const item of items) {
    if (item.price < 0) throw new RangeError('negative price for ' + item.name);
    total += item.price;
  }
  return total;
}

export function checkout(items: Item[]): number {
  return computeTotal(items) * 100;
}
`;
  const main = `import { checkout } from './cart';

function onBuyClick(): void {
  document.title = String(checkout([{ name: 'socks', price: 4 }, { name: 'refund', price: -1 }]));
}

document.getElementById('buy')!.addEventListener('click', onBuyClick);
`;
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'cart.ts'), cart);
  writeFileSync(join(dir, 'src', 'main.ts'), main);
  const dist = join(dir, 'dist');
  const result = await build({
    entryPoints: [join(dir, 'src', 'main.ts')],
    bundle: true,
    minify: true,
    sourcemap: true,
    write: false,
    outfile: join(dist, 'shop.min.js'),
    format: 'iife',
    logLevel: 'silent',
  });
  mkdirSync(dist);
  for (const output of result.outputFiles) writeFileSync(output.path, output.contents);
  expect(result.outputFiles.find((output) => output.path.endsWith('.js'))!.text).not.toContain('computeTotal');

  const out = join(dir, 'events.jsonl');
  shop = await startShop({ log: join(dir, 'server.log'), assets: dist });
  sink = await startCliSink(['--out', out, '--sourcemaps', dist, '--cors', shop.url]);

  await page.goto(
    shop.page(
      shopPage(
        `
        import { createClient, errors } from 'tracebeam';
        window.client = createClient({ sink: ${JSON.stringify(`${sink.url}/api/log`)}, service: 'shop-web', integrations: [errors()] });
        document.body.dataset.ready = '1';
      `,
        '<script src="/assets/shop.min.js" defer></script>',
      ),
    ),
  );
  await page.locator('body[data-ready="1"]').waitFor({ timeout: 30_000 });
  await page.click('#buy');
  await page.evaluate(() => (window as unknown as { client: { flush(): Promise<void> } }).client.flush());
  await expect.poll(() => written(out).some((event) => event.event === 'client_error'), { timeout: 30_000 }).toBe(true);

  const error = written(out).find((event) => event.event === 'client_error')!.error!;
  const lineOf = (source: string, text: string): number => source.slice(0, source.indexOf(text)).split('\n').length;
  const bundle = `${shop.url}/assets/shop.min.js`;
  expect(error.frames!.slice(0, 3)).toEqual([
    expect.objectContaining({
      function: 'computeTotal',
      file: expect.stringMatching(/src\/cart\.ts$/),
      line: lineOf(cart, 'throw new RangeError'),
      minified: expect.objectContaining({ file: bundle, line: 1 }),
    }),
    expect.objectContaining({
      function: 'checkout',
      file: expect.stringMatching(/src\/cart\.ts$/),
      line: lineOf(cart, 'return computeTotal(items)'),
      minified: expect.objectContaining({ file: bundle }),
    }),
    expect.objectContaining({
      function: 'onBuyClick',
      file: expect.stringMatching(/src\/main\.ts$/),
      line: lineOf(main, 'document.title = '),
      minified: expect.objectContaining({ file: bundle }),
    }),
  ]);
  expect(error.stack).toMatch(/at computeTotal \(.*src\/cart\.ts:\d+:\d+\)/);
  expect(error.minified_stack).toContain(`${bundle}:1:`);
  // The page sent no frames and no fingerprint: the sink read them from the stack and, once mapped,
  // fingerprinted the original names, which the next build's minifier will not change.
  expect(error.fingerprint).toBe(fingerprint(error));
  expect(error.fingerprint).not.toBe(fingerprint({ ...error, frames: error.frames!.map((frame) => frame.minified ?? frame) }));
  // What the terminal shows is the mapped event too.
  expect(sink.stdout()).toContain('"function":"computeTotal"');
});

test('in a narrow window, attribute names stay whole, and the page asks for no /favicon.ico', async ({ page }) => {
  test.setTimeout(90_000);
  sink = await startCliSink(['--ui', '--out', join(dir, 'events.jsonl')]);
  const attributes = {
    duration_ms: 1234,
    response_bytes: 5678,
    cache_status: 'miss',
    upstream_region: 'eu-west-1',
    retry_count: 2,
    request_path: '/api/inventory/items',
  };
  await postEvent(sink.url, { event: 'inventory_sync_finished', trace_id: 'c'.repeat(32), ...attributes });
  const asked: string[] = [];
  page.on('request', (request) => asked.push(new URL(request.url()).pathname));
  await page.setViewportSize({ width: 560, height: 800 });
  await page.goto(`${sink.url}/`);
  await expect(page.locator('tr.event')).toHaveCount(1, { timeout: 30_000 });

  // An inline element gives one rectangle per line it spans: a name broken mid-word gives two.
  const names = await page.locator('tr.event .attr').evaluateAll((nodes) =>
    nodes.map((node) => {
      const range = document.createRange();
      range.selectNodeContents(node.firstChild!);
      return [node.firstChild!.textContent, range.getClientRects().length];
    }),
  );
  expect(names).toEqual(Object.keys(attributes).map((name) => [name + '=', 1]));
  expect(await page.locator('link[rel=icon]').getAttribute('href')).toMatch(/^data:image\/svg\+xml,/);
  expect(asked).not.toContain('/favicon.ico');
});
