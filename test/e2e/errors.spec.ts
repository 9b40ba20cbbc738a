import type { Page } from '@playwright/test';
import type { TelemetryEvent } from 'tracebeam';
import { expect, modulePage, test } from './support/fixtures';

/** A page whose client reports errors; `script` runs after it started. */
const errorPage = (script: string, head = '', before = '', options = ''): string =>
  modulePage(
    `
    import { createClient, errors } from 'tracebeam';
    ${before}
    window.client = createClient({ sink: '/api/log', service: 'web', integrations: [errors()], batch: { flushIntervalMs: 100 }, ${options} });
    ${script}
  `,
    head,
  );

/** Hides the page the way a tab switch does; events still waiting leave by beacon. */
const hide = (page: Page): Promise<void> =>
  page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  });

const named = (events: TelemetryEvent[], name: string): TelemetryEvent[] => events.filter((e) => e.event === name);

test('an uncaught error leaves the page as its stack, and the sink writes it with frames that point into the page', async ({ app, page }) => {
  const url = app.page(
    errorPage(`
      setTimeout(function checkout() {
        function applyDiscount(cart) { return cart.total * 0.9; }
        applyDiscount(undefined);
      });
    `),
  );
  await page.goto(url);
  const [event] = await app.waitForEvents((e) => e.length === 1);
  expect(event).toMatchObject({
    level: 'error',
    event: 'client_error',
    url,
    error: { type: 'TypeError', message: expect.stringContaining("reading 'total'"), handled: false, fingerprint: expect.stringMatching(/^[\da-f]{8}$/) },
  });
  expect(event.error!.stack).toContain('applyDiscount');
  expect(event.error!.frames!.slice(0, 2)).toEqual([
    { function: 'applyDiscount', file: url, line: expect.any(Number), column: expect.any(Number) },
    { function: 'checkout', file: url, line: expect.any(Number), column: expect.any(Number) },
  ]);
  expect(event.error!.frames![0].line).toBeGreaterThan(1);
  // The page sent the stack alone: the frames and the fingerprint above are the sink's.
  const sent = app.received.find((r) => r.id === event.id)!.error as Record<string, unknown>;
  expect(sent).toEqual({ type: 'TypeError', message: event.error!.message, stack: event.error!.stack, handled: false });
});

test('a rejected promise, a thrown string and reject(undefined) are described', async ({ app, page }) => {
  const url = app.page(
    errorPage(`
      Promise.reject(new Error('payment failed'));
      setTimeout(() => { throw 'out of stock'; });
      setTimeout(() => new Promise((resolve, reject) => reject(undefined)), 50);
    `),
  );
  await page.goto(url);
  const events = await app.waitForEvents((e) => e.length === 3);
  const byMessage = Object.fromEntries(events.map((e) => [e.error!.message, e]));
  expect(byMessage['payment failed']).toMatchObject({ level: 'error', event: 'unhandled_rejection', error: { type: 'Error', handled: false } });
  expect(byMessage['payment failed'].error!.frames![0]).toMatchObject({ file: url });
  // A thrown string has no stack: the error event's own location stands in.
  expect(byMessage['out of stock']).toMatchObject({
    event: 'client_error',
    error: { type: 'string', handled: false, frames: [{ file: url, line: expect.any(Number), column: expect.any(Number) }] },
  });
  expect(byMessage['undefined']).toMatchObject({ level: 'error', event: 'unhandled_rejection', error: { type: 'undefined', handled: false } });
});

test('a storm of 10,000 identical errors sends a handful, then one errors_suppressed; a new error still gets through', async ({ app, page }) => {
  await page.goto(
    app.page(
      errorPage(`
        // The page keeps its console quiet during the storm (as apps with their own error overlay
        // do): reporting 10,000 uncaught errors to the console and the test driver takes Chromium
        // seconds, and the summary is due 5 s after the storm begins. The SDK hears them all the same.
        addEventListener('error', (event) => event.preventDefault());
        for (let i = 0; i < 10000; i++) setTimeout(function render() { throw new Error('frame ' + i + ' failed to render'); });
        setTimeout(() => {
          setTimeout(function pay() { throw new RangeError('amount out of range'); });
          setTimeout(() => (document.body.dataset.done = '1'));
        });
      `),
    ),
  );
  await page.locator('body[data-done="1"]').waitFor();
  // Hidden before the summary's timer: it goes out at once, with the page's other events.
  await hide(page);
  // Well before the summary's own timer would fire.
  const events = await app.waitForEvents((e) => named(e, 'errors_suppressed').length > 0 && named(e, 'client_error').length === 6, 3_000);
  const storm = named(events, 'client_error').filter((e) => e.error!.type === 'Error');
  expect(storm).toHaveLength(5);
  expect(new Set(storm.map((e) => e.error!.fingerprint)).size).toBe(1);
  expect(named(events, 'client_error').filter((e) => e.error!.type === 'RangeError')).toMatchObject([{ error: { message: 'amount out of range' } }]);
  // The summary carries the error held back: the sink gives it the fingerprint of the ones sent.
  expect(named(events, 'errors_suppressed')).toEqual([
    expect.objectContaining({
      level: 'error',
      count: 9_995,
      error: expect.objectContaining({ type: 'Error', fingerprint: storm[0].error!.fingerprint, frames: storm[0].error!.frames }),
      error_type: 'Error',
      error_message: expect.stringMatching(/^frame \d+ failed to render$/),
    }),
  ]);
  // Nothing else trickles in later.
  await page.waitForTimeout(300);
  expect(app.events()).toHaveLength(7);
});

test('errors are kept in a session that sampling left out', async ({ app, page }) => {
  await page.goto(app.page(errorPage(`client.log('info', 'sampled_out'); setTimeout(() => { throw new Error('still reported'); });`, '', '', 'sampleRate: 0')));
  const events = await app.waitForEvents((e) => e.length === 1);
  expect(events).toMatchObject([{ event: 'client_error', error: { message: 'still reported' } }]);
});

test('the page’s own window.onerror and error listeners keep working', async ({ app, page }) => {
  await page.goto(
    app.page(
      errorPage(
        `
        window.onerror = (message, source, line, column, error) => { window.seen.push(['onerror', error.message]); };
        setTimeout(() => { throw new Error('boom'); });
        setTimeout(() => (document.body.dataset.done = '1'), 50);
      `,
        '',
        // Set before the client starts, then replaced after it: both ways must keep working.
        `window.seen = [];
         window.onerror = () => window.seen.push(['replaced onerror']);
         addEventListener('error', (event) => window.seen.push(['listener', event.error.message]));`,
      ),
    ),
  );
  await page.locator('body[data-done="1"]').waitFor();
  const seen = await page.evaluate(() => (window as unknown as { seen: string[][] }).seen);
  expect(seen.sort()).toEqual([
    ['listener', 'boom'],
    ['onerror', 'boom'],
  ]);
  const [event] = await app.waitForEvents((e) => e.length === 1);
  expect(event).toMatchObject({ event: 'client_error', error: { message: 'boom' } });
});

test('a cross-origin script error is flagged with a hint, and is whole once the script allows CORS', async ({ app, page }) => {
  const script = (name: string) => `${app.otherOrigin}/static/${name}.js`;
  // The other origin serves the widget's JavaScript, once without CORS headers and once with.
  await page.route(`${app.otherOrigin}/static/*.js`, (route) =>
    route.fulfill({
      contentType: 'text/javascript',
      headers: route.request().url().includes('cors') ? { 'access-control-allow-origin': '*' } : {},
      body: '(function widget() { throw new Error("widget broke"); })();',
    }),
  );
  // Added once the client runs, the way a tag manager adds a vendor's widget.
  const load = (src: string, attributes = '') =>
    errorPage(`const s = document.createElement('script'); ${attributes} s.src = '${src}'; document.head.append(s);`);
  await page.goto(app.page(load(script('plain'))));
  const [muted] = await app.waitForEvents((e) => e.length === 1);
  expect(muted).toMatchObject({
    level: 'error',
    event: 'client_error',
    error: { type: 'CrossOriginScriptError', message: 'Script error.', handled: false },
    hint: expect.stringContaining('crossorigin="anonymous"'),
  });
  expect(muted.error!.frames).toBeUndefined();

  app.reset();
  await page.goto(app.page(load(script('cors'), "s.crossOrigin = 'anonymous';")));
  const [whole] = await app.waitForEvents((e) => e.length === 1);
  expect(whole).toMatchObject({ event: 'client_error', error: { type: 'Error', message: 'widget broke' } });
  expect(whole.error!.frames![0]).toMatchObject({ function: 'widget', file: script('cors') });
  expect(whole.hint).toBeUndefined();
});
