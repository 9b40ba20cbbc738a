import type { Page } from '@playwright/test';
import { expect, modulePage, test } from './support/fixtures';
import { IMPORT_MAP } from './support/http';
import type { TestApp } from './support/server';

const page = (from = 'tracebeam') =>
  modulePage(`
    import { createClient } from 'tracebeam';
    import { webVitals } from '${from}';
    createClient({ sink: '/api/log', service: 'web', integrations: [webVitals()] });
    // A slow handler makes the click a real interaction for INP (web-vitals ignores those under 40 ms).
    document.querySelector('#go').addEventListener('click', () => {
      const until = performance.now() + 120;
      while (performance.now() < until);
      document.querySelector('h1').textContent = 'clicked';
    });
    // Something that shifts, for CLS.
    setTimeout(() => document.body.insertAdjacentHTML('afterbegin', '<div style="height:200px">late banner</div>'), 100);
    document.body.dataset.ready = '1';
  `);

for (const [title, options] of [
  ['all five web vitals reach the sink when the page goes away', ''],
  ['with tracebeam/vitals-attribution, vitals carry the attribution’s plain fields', 'tracebeam/vitals-attribution'],
] as const) {
  test(title, async ({ app, page: tab }) => {
    await tab.goto(app.page(page(options || undefined)));
    await tab.locator('body[data-ready="1"]').waitFor();
    await tab.waitForTimeout(300);
    await tab.click('#go');
    // web-vitals processes INP in an idle callback: give it time before the page is hidden.
    await tab.waitForTimeout(1500);
    await tab.goto(app.url + '/api/echo');
    const events = await app.waitForEvents((e) => new Set(e.map((v) => v.vital?.name)).size >= 5);
    const vitals = Object.fromEntries(events.map((e) => [e.vital!.name, e]));
    expect(Object.keys(vitals).sort()).toEqual(['CLS', 'FCP', 'INP', 'LCP', 'TTFB']);
    for (const event of Object.values(vitals)) {
      expect(event).toMatchObject({ level: 'info', event: 'web_vital', service: 'web' });
      expect(event.vital).toMatchObject({ value: expect.any(Number), delta: expect.any(Number), id: expect.any(String), navigation_type: 'navigate' });
      expect(['good', 'needs-improvement', 'poor']).toContain(event.vital!.rating);
    }
    expect(vitals.INP.vital!.value).toBeGreaterThanOrEqual(100);
    expect(vitals.CLS.vital!.value).toBeGreaterThan(0);
    // Each vital is reported once, when final.
    expect(events.filter((e) => e.event === 'web_vital')).toHaveLength(5);
    if (options) {
      expect(vitals.INP.vital!.attribution).toMatchObject({ interactionTarget: '#go', interactionType: 'pointer' });
      expect(vitals.LCP.vital!.attribution).toHaveProperty('elementRenderDelay');
      expect(vitals.TTFB.vital!.attribution).toHaveProperty('requestDuration');
    } else {
      expect(vitals.INP.vital!.attribution).toBeUndefined();
    }
  });
}

test('load vitals carry the page load trace, and an INP the trace of the click it measured', async ({ app, page: tab }) => {
  const server = '4bf92f3577b34da6a3ce929d0e0e4736';
  await tab.goto(
    app.page(
      modulePage(
        `
        import { createClient, webVitals } from 'tracebeam';
        const client = createClient({ sink: '/api/log', service: 'web', integrations: [webVitals()] });
        window.traces = [];
        // A fast click first, then a slow one: INP is the slow one, which is not the last click.
        document.querySelector('#go').addEventListener('click', () => {
          window.traces.push(client.traceId());
          const until = performance.now() + (window.traces.length == 2 ? 400 : 0);
          while (performance.now() < until);
          document.querySelector('h1').textContent = 'clicked ' + window.traces.length;
        });
        setTimeout(() => document.body.insertAdjacentHTML('afterbegin', '<div style="height:200px">late banner</div>'), 100);
        document.body.dataset.ready = '1';
      `,
        `<meta name="traceparent" content="00-${server}-00f067aa0ba902b7-01">`,
      ),
    ),
  );
  await tab.locator('body[data-ready="1"]').waitFor();
  await tab.waitForTimeout(300);
  for (let i = 0; i < 3; i++) {
    await tab.click('#go');
    await tab.waitForTimeout(300);
  }
  await tab.waitForTimeout(1500);
  const traces = (await tab.evaluate(() => (window as unknown as { traces: string[] }).traces)) as string[];
  expect(new Set(traces).size).toBe(3);
  expect(traces).not.toContain(server);
  await tab.goto(app.url + '/api/echo');
  const events = await app.waitForEvents((e) => new Set(e.map((v) => v.vital?.name)).size >= 5);
  const vitals = Object.fromEntries(events.filter((e) => e.event === 'web_vital').map((e) => [e.vital!.name, e]));
  for (const name of ['LCP', 'FCP', 'TTFB', 'CLS']) expect(vitals[name].trace_id, name).toBe(server);
  expect(vitals.INP.vital!.value).toBeGreaterThanOrEqual(400);
  // The second click's trace: the slow one, neither the first nor the last click's.
  expect(vitals.INP.trace_id).toBe(traces[1]);
});

/** A page whose load event waits for an image the test holds back, with `script` as its module. */
async function heldLoad(tab: Page, app: TestApp, script: string, importMap = IMPORT_MAP) {
  let release = (): void => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await tab.route('**/held.png', async (route) => {
    await held;
    await route.fulfill({ status: 200, contentType: 'image/png', body: PNG }).catch(() => undefined);
  });
  const html = modulePage(script).replace(IMPORT_MAP, importMap).replace('</body>', '<img src="/held.png" alt=""></body>');
  await tab.goto(app.page(html), { waitUntil: 'commit' });
  await tab.locator('body[data-ready="1"]').waitFor();
  return release;
}

/** A 1×1 transparent PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/** When the page fetched web-vitals, and when its load event started (0: not yet), in the page's clock. */
const timing = (tab: Page) =>
  tab.evaluate(() => ({
    webVitals: performance.getEntriesByType('resource').find((entry) => entry.name.includes('/web-vitals/'))?.startTime,
    load: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventStart,
  }));

const clientScript = `
  import { createClient, webVitals } from 'tracebeam';
  const client = createClient({ sink: '/api/log', service: 'web', integrations: [webVitals()], debug: true });
  window.traces = [];
  document.querySelector('#go').addEventListener('click', () => {
    window.traces.push(client.traceId());
    const until = performance.now() + 150;
    while (performance.now() < until);
    document.querySelector('h1').textContent = 'clicked';
  });
  setTimeout(() => document.body.insertAdjacentHTML('afterbegin', '<div style="height:200px">late banner</div>'), 100);
  document.body.dataset.ready = '1';
`;

test('web-vitals is fetched after the load event, and counts what happened before it', async ({ app, page: tab }) => {
  const release = await heldLoad(tab, app, clientScript);
  await tab.waitForTimeout(300);
  // A slow click while the page is still loading: INP is this one, in its trace.
  await tab.click('#go');
  await tab.waitForTimeout(300);
  expect(await timing(tab)).toEqual({ webVitals: undefined, load: 0 });
  release();
  await expect.poll(async () => (await timing(tab)).webVitals).toBeDefined();
  const { webVitals, load } = await timing(tab);
  expect(load).toBeGreaterThan(0);
  expect(webVitals).toBeGreaterThanOrEqual(load);
  await tab.waitForTimeout(1500);
  const [click] = (await tab.evaluate(() => (window as unknown as { traces: string[] }).traces)) as string[];
  await tab.goto(app.url + '/api/echo');
  const events = await app.waitForEvents((e) => new Set(e.map((v) => v.vital?.name).filter(Boolean)).size >= 5);
  const vitals = Object.fromEntries(events.filter((e) => e.event === 'web_vital').map((e) => [e.vital!.name, e]));
  expect(Object.keys(vitals).sort()).toEqual(['CLS', 'FCP', 'INP', 'LCP', 'TTFB']);
  expect(vitals.INP.vital!.value).toBeGreaterThanOrEqual(150);
  expect(vitals.INP.trace_id).toBe(click);
  const [loadTrace] = new Set(['LCP', 'FCP', 'TTFB', 'CLS'].map((name) => vitals[name].trace_id));
  for (const name of ['LCP', 'FCP', 'TTFB', 'CLS']) expect(vitals[name].trace_id, name).toBe(loadTrace);
  expect(loadTrace).not.toBe(click);
  expect(vitals.CLS.vital!.value).toBeGreaterThan(0);
});

test('a page hidden before its load fetches web-vitals at once', async ({ app, page: tab }) => {
  const errors: Error[] = [];
  tab.on('pageerror', (error) => errors.push(error));
  const release = await heldLoad(tab, app, clientScript);
  await tab.waitForTimeout(300);
  expect(await timing(tab)).toEqual({ webVitals: undefined, load: 0 });
  // The tab switched away from: headless Chromium has no hidden tabs, so the page is told.
  await tab.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await expect.poll(async () => (await timing(tab)).webVitals).toBeDefined();
  expect((await timing(tab)).load).toBe(0);
  // Back, and the load completes: the vitals of the page still arrive when it is left.
  await tab.evaluate(() => {
    delete (document as { visibilityState?: unknown }).visibilityState;
    document.dispatchEvent(new Event('visibilitychange'));
  });
  release();
  await tab.waitForFunction(() => document.readyState === 'complete');
  await tab.goto(app.url + '/api/echo');
  // web-vitals started while the page said it was hidden, and so takes it as loaded in the
  // background: no paint counts (FCP, LCP, and CLS, which waits for FCP). A real hidden tab gives
  // the moment it was hidden (the `visibility-state` entry), and the paints before it count.
  const events = await app.waitForEvents((e) => e.some((v) => v.vital?.name === 'TTFB'));
  expect(events.filter((e) => e.event === 'web_vital').map((e) => e.vital!.name)).toEqual(['TTFB']);
  expect(errors).toEqual([]);
});

// Offline, a Content Security Policy that does not allow web-vitals' path, a 404.
for (const failure of ['offline', 'csp', '404'] as const) {
  test(`web-vitals that does not load (${failure}) costs the vitals only; the development build says why`, async ({ app, page: tab }) => {
    const errors: Error[] = [];
    const said: string[] = [];
    tab.on('pageerror', (error) => errors.push(error));
    tab.on('console', (message) => message.text().startsWith('[tracebeam]') && said.push(`${message.type()}: ${message.text()}`));
    if (failure !== 'csp')
      await tab.route('**/web-vitals/dist/web-vitals.js', (route) =>
        failure === 'offline' ? route.abort('internetdisconnected') : route.fulfill({ status: 404, body: 'not found' }),
      );
    const dev = IMPORT_MAP.replace('"/dist/index.mjs"', '"/dist/index.development.mjs"');
    const csp = `<meta http-equiv="Content-Security-Policy" content="script-src 'unsafe-inline' ${app.url}/dist/">`;
    const script = clientScript.replace('document.body.dataset.ready', "client.log('info', 'still_here'); document.body.dataset.ready");
    const release = await heldLoad(tab, app, script, failure === 'csp' ? csp + dev : dev);
    release();
    await tab.waitForFunction(() => document.readyState === 'complete');
    await expect
      .poll(() => said.filter((line) => line.includes('web vitals')))
      .toEqual([
        expect.stringMatching(
          /^warning: \[tracebeam\] web vitals are off for this page: web-vitals did not load or start TypeError: Failed to fetch dynamically imported module/,
        ),
      ]);
    await tab.click('#go');
    await tab.goto(app.url + '/api/echo');
    const events = await app.waitForEvents((e) => e.some((v) => v.event === 'still_here'));
    expect(events.filter((e) => e.event === 'web_vital')).toEqual([]);
    expect(errors).toEqual([]);
  });
}

test('a page left before its load sends its other events; web-vitals, fetched as it is hidden, comes too late for its vitals', async ({ app, page: tab }) => {
  const errors: Error[] = [];
  tab.on('pageerror', (error) => errors.push(error));
  const script = clientScript.replace('document.body.dataset.ready', "client.log('info', 'left_early'); document.body.dataset.ready");
  const release = await heldLoad(tab, app, script);
  await tab.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0);
  await tab.goto(app.url + '/api/echo');
  release();
  const events = await app.waitForEvents((e) => e.some((v) => v.event === 'left_early'));
  // (What the script tag, with web-vitals inline, reports here: test/e2e/script-tag.spec.ts.)
  await tab.waitForTimeout(1000);
  expect(app.events().filter((e) => e.event === 'web_vital')).toEqual([]);
  expect(events.length).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});
