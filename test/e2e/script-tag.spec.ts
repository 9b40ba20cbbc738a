/**
 * The script-tag build, dist/tracebeam.min.js, configured by its data attributes, in real Chromium
 * against the real sink.
 */
import type { ConsoleMessage } from '@playwright/test';
import type { TelemetryEvent } from 'tracebeam';
import { expect, test } from './support/fixtures';

const page = (tag: string, body = '') =>
  `<!doctype html><html><head><meta charset="utf-8">${tag}</head>` + `<body><h1>script tag</h1><button id="go">go</button>${body}</body></html>`;

test('the tag with data attributes delivers errors, traced API calls and the web vitals', async ({ app, page: tab }) => {
  const tag = `<script src="/dist/tracebeam.min.js" data-sink="/api/log" data-service="web" data-release="1.2.3" data-propagate-to="${app.otherOrigin}"></script>`;
  const body = `<script>
    // A slow handler makes the click a real interaction for INP; the API call is cross-origin.
    document.querySelector('#go').addEventListener('click', () => {
      const until = performance.now() + 120;
      while (performance.now() < until);
      document.querySelector('h1').textContent = 'clicked';
      fetch('${app.otherOrigin}/api/echo?from=tag');
      setTimeout(() => { throw new Error('thrown after the click'); });
    });
    setTimeout(() => document.body.insertAdjacentHTML('afterbegin', '<div style="height:200px">late banner</div>'), 100);
    document.body.dataset.ready = '1';
  </script>`;
  await tab.goto(app.page(page(tag, body)));
  await tab.locator('body[data-ready="1"]').waitFor();
  expect(await tab.evaluate(() => typeof (window as unknown as { tracebeam: { init: unknown } }).tracebeam.init)).toBe('function');
  await tab.waitForTimeout(300);
  await tab.click('#go');
  // web-vitals processes INP in an idle callback: give it time before the page is hidden.
  await tab.waitForTimeout(1500);
  await tab.goto(app.url + '/api/echo');

  const events = await app.waitForEvents(
    (e) => new Set(e.map((v) => v.vital?.name).filter(Boolean)).size >= 5 && e.some((v) => v.event === 'client_error'),
    20_000,
  );
  for (const event of events) expect(event).toMatchObject({ service: 'web', release: '1.2.3' });
  const error = events.filter((e) => e.event === 'client_error');
  expect(error).toHaveLength(1);
  expect(error[0].error).toMatchObject({ type: 'Error', message: 'thrown after the click', handled: false });
  expect(new Set(events.filter((e) => e.event === 'web_vital').map((e) => e.vital!.name))).toEqual(new Set(['CLS', 'FCP', 'INP', 'LCP', 'TTFB']));
  // data-propagate-to lets the trace headers go to the other origin, under the click's trace.
  const call = app.apiRequests.find((r) => r.path === '/api/echo' && r.headers.traceparent);
  expect(String(call?.headers.traceparent)).toMatch(new RegExp(`^00-${error[0].trace_id}-[0-9a-f]{16}-01$`));
  expect(events.find((e) => e.event === 'http_request')?.trace_id).toBe(error[0].trace_id);
});

test('without data-sink the tag only defines the global, for tracebeam.init()', async ({ app, page: tab }) => {
  const messages: ConsoleMessage[] = [];
  tab.on('console', (message) => messages.push(message));
  const body = `<script>
    window.before = { init: typeof tracebeam.init, createClient: typeof tracebeam.createClient, traceId: tracebeam.traceId() };
    tracebeam.log('info', 'logged_before_init');
    const client = tracebeam.init({ sink: '/api/log', service: 'late-init' });
    tracebeam.log('info', 'logged_after_init');
    client.flush().then(() => (document.body.dataset.done = '1'));
  </script>`;
  await tab.goto(app.page(page('<script src="/dist/tracebeam.min.js"></script>', body)));
  await tab.locator('body[data-done="1"]').waitFor();
  expect(await tab.evaluate(() => (window as unknown as { before: unknown }).before)).toEqual({
    init: 'function',
    createClient: 'function',
    traceId: undefined,
  });
  // (TTFB and FCP may come along: init starts the default integrations.)
  const logged = (events: TelemetryEvent[]) => events.filter((e) => e.event !== 'web_vital');
  const events = logged(await app.waitForEvents((e) => logged(e).length >= 2));
  expect(events.map((e) => [e.event, e.service])).toEqual([
    ['logged_before_init', 'late-init'],
    ['logged_after_init', 'late-init'],
  ]);
  expect(messages.filter((m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource')).map((m) => m.text())).toEqual([]);
});

for (const [attributes, message] of [
  ['data-service="web"', 'data-sink must be the URL of your log endpoint, e.g. "/api/log", and it is missing'],
  ['data-sink="/api/log"', 'data-service must be the name of the app, e.g. "web", and it is missing'],
  ['data-sink="/api/log" data-service="web" data-sample-rate="most"', 'data-sample-rate must be a number from 0 to 1, not "most"'],
  ['data-sink="/api/log" data-service="web" data-propagate-to="api.example.com"', 'data-propagate-to must be absolute URLs separated by spaces or commas'],
]) {
  test(`a wrong tag gives one clear console error and no exception: ${attributes}`, async ({ app, page: tab }) => {
    const errors: string[] = [];
    const exceptions: Error[] = [];
    // (The browser's own line about the missing favicon is not the page's.)
    tab.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && errors.push(m.text()));
    tab.on('pageerror', (error) => exceptions.push(error));
    const body = `<script>document.body.dataset.defined = String(typeof tracebeam.init === 'function');</script>`;
    await tab.goto(app.page(page(`<script src="/dist/tracebeam.min.js" ${attributes}></script>`, body)));
    await expect(tab.locator('body')).toHaveAttribute('data-defined', 'true');
    await tab.evaluate(() => new Promise((resolve) => setTimeout(resolve, 300)));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`[tracebeam] ${message}`);
    expect(exceptions).toEqual([]);
    // Nothing from this page (an earlier page may still beacon as it closes).
    expect(app.events().filter((e) => e.url === tab.url())).toEqual([]);
  });
}

test('web-vitals is inline and observes from the start: a page left before its load still reports its paints', async ({ app, page: tab }) => {
  const requested: string[] = [];
  tab.on('request', (request) => requested.push(new URL(request.url()).pathname));
  // An image the test holds back keeps the page from its load event.
  let release = (): void => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await tab.route('**/held.png', async (route) => {
    await held;
    await route.fulfill({ status: 404 }).catch(() => undefined);
  });
  const tag = `<script src="/dist/tracebeam.min.js" data-sink="/api/log" data-service="web"></script>`;
  await tab.goto(app.page(page(tag, '<img src="/held.png" alt="">')), { waitUntil: 'commit' });
  await tab.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
  expect(await tab.evaluate(() => document.readyState)).not.toBe('complete');
  await tab.goto(app.url + '/api/echo');
  release();
  // TTFB waits for the load, which never came; INP for an interaction, which there was none of.
  const events = await app.waitForEvents((e) => new Set(e.map((v) => v.vital?.name).filter(Boolean)).size >= 3);
  expect(
    events
      .filter((e) => e.event === 'web_vital')
      .map((e) => e.vital!.name)
      .sort(),
  ).toEqual(['CLS', 'FCP', 'LCP']);
  // One file: nothing fetched beside it.
  expect(requested.filter((path) => path.startsWith('/dist/') || path.startsWith('/node_modules/'))).toEqual(['/dist/tracebeam.min.js']);
});
