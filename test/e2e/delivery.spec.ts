/**
 * Delivery as a page lives it: navigations, a network that goes away, a tab hidden and back, the
 * app's own keepalive requests, several tabs, a storage that refuses, and bursts. Every case counts
 * event ids at the real sink: what it received (repeats included) and what it wrote (each once).
 */
import type { Page } from '@playwright/test';
import type { TestApp } from './support/server';
import { expect, modulePage, test } from './support/fixtures';

/** A page with a client of `service` as `window.client`, then `script`. */
function clientPage(app: TestApp, service: string, script = '', options = ''): string {
  return app.page(
    modulePage(`
      import { createClient, fetchTracing } from 'tracebeam';
      window.client = createClient({ sink: '/api/log', service: '${service}', integrations: [fetchTracing()], ${options} });
      window.setVisibility = (state) => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
        document.dispatchEvent(new Event('visibilitychange'));
      };
      window.logMany = (count, prefix, size = 150) => {
        for (let i = 0; i < count; i++) client.log('info', 'step', { n: prefix + i, note: 'x'.repeat(size) });
      };
      ${script}
      document.body.dataset.ready = '1';
    `),
  );
}

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('body[data-ready="1"]').waitFor();
}

const written = (app: TestApp, service: string) => app.events().filter((e) => e.service === service);
const ns = (app: TestApp, service: string) => new Set(written(app, service).map((e) => e.n));
const expected = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => prefix + i);

test('300 events logged right before each of three navigations all arrive, each written once', async ({ app, page }) => {
  const service = 'navigate-300';
  const next = clientPage(app, service);
  for (const round of ['a', 'b', 'c']) {
    await open(page, clientPage(app, service));
    await page.evaluate(
      ([prefix, url]) => {
        (window as unknown as { logMany(n: number, p: string): void }).logMany(300, prefix);
        location.href = url;
      },
      [round, next],
    );
    await page.waitForURL(next);
  }
  // What the last page's beacons could not carry waits in its outbox: one more page load takes it.
  await page.evaluate(() => (location.href = '/api/echo'));
  await page.waitForURL('**/api/echo');
  await open(page, next);
  const all = ['a', 'b', 'c'].flatMap((p) => expected(p, 300));
  await app.waitForEvents(() => all.every((n) => ns(app, service).has(n)), 20_000);
  const ids = written(app, service).map((e) => e.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const request of app.sinkRequests) expect(request.bytes).toBeLessThanOrEqual(60_000);
});

test('events of a page that navigates while the network is down arrive from the next page once it is back', async ({ app, page, context }) => {
  const service = 'offline-navigation';
  await open(page, clientPage(app, service));
  await context.setOffline(true);
  const next = clientPage(app, service);
  await page.evaluate((url) => {
    (window as unknown as { logMany(n: number, p: string): void }).logMany(80, 'o');
    location.href = url;
  }, next);
  // The navigation fails offline; the page that logged is gone all the same.
  await page.waitForTimeout(500);
  await context.setOffline(false);
  await open(page, next);
  await app.waitForEvents(() => expected('o', 80).every((n) => ns(app, service).has(n)), 15_000);
  expect(written(app, service).filter((e) => e.event === 'step')).toHaveLength(80);
});

test('a tab hidden for a second while offline sends what its failed beacons carried once it is visible again', async ({ app, page, context }) => {
  const service = 'hidden-offline';
  await open(page, clientPage(app, service));
  await context.setOffline(true);
  await page.evaluate(() => {
    const w = window as unknown as { logMany(n: number, p: string): void; setVisibility(s: string): void };
    w.logMany(100, 'h');
    w.setVisibility('hidden');
  });
  await page.waitForTimeout(1_000);
  await context.setOffline(false);
  await page.evaluate(() => (window as unknown as { setVisibility(s: string): void }).setVisibility('visible'));
  await app.waitForEvents(() => expected('h', 100).every((n) => ns(app, service).has(n)), 12_000);
});

test('a retry that fell due while the tab was hidden runs when it is visible again', async ({ app, page }) => {
  const service = 'retry-while-hidden';
  // The regular batch and the beacons at hide all meet a failing sink.
  app.sinkFailures.push(503, 503, 503);
  await open(page, clientPage(app, service));
  await page.evaluate(() => (window as unknown as { logMany(n: number, p: string): void }).logMany(61, 'r'));
  await page.waitForTimeout(200);
  await page.evaluate(() => (window as unknown as { setVisibility(s: string): void }).setVisibility('hidden'));
  await page.waitForTimeout(2_500);
  await page.evaluate(() => (window as unknown as { setVisibility(s: string): void }).setVisibility('visible'));
  await app.waitForEvents(() => expected('r', 61).every((n) => ns(app, service).has(n)), 12_000);
});

test('the app’s own 20 KB keepalive request in pagehide arrives beside the SDK’s exit beacons', async ({ app, page }) => {
  const service = 'keepalive-share';
  const next = clientPage(app, service);
  await open(
    page,
    clientPage(
      app,
      service,
      `addEventListener('pagehide', () => fetch('/api/echo?app=keepalive', { method: 'POST', keepalive: true, body: 'k'.repeat(20_000) }));`,
    ),
  );
  await page.evaluate((url) => {
    (window as unknown as { logMany(n: number, p: string): void }).logMany(300, 'k');
    location.href = url;
  }, next);
  await page.waitForURL(next);
  await expect.poll(() => app.apiRequests.filter((r) => r.path === '/api/echo' && r.body.length === 20_000).length, { timeout: 5_000 }).toBe(1);
  await app.waitForEvents(() => expected('k', 300).every((n) => ns(app, service).has(n)), 15_000);
});

test('two tabs opening at once restore one stored outbox: each event is sent once', async ({ app, page, context }) => {
  const service = 'two-tabs';
  await open(page, clientPage(app, service));
  await context.setOffline(true);
  await page.evaluate(() => {
    (window as unknown as { logMany(n: number, p: string): void }).logMany(50, 't');
    location.href = '/api/echo';
  });
  await page.waitForTimeout(500);
  await context.setOffline(false);
  const [one, two] = [await context.newPage(), await context.newPage()];
  const url = clientPage(app, service);
  await Promise.all([open(one, url), open(two, url)]);
  await app.waitForEvents(() => expected('t', 50).every((n) => ns(app, service).has(n)), 10_000);
  const ids = new Set(written(app, service).map((e) => e.id));
  // Chromium may still deliver the offline page's beacons once the network is back; the tabs'
  // resends are the regular requests: each restored event came by one of them, once.
  const resent = app.received.filter((r) => !r.beacon && ids.has(r.id)).map((r) => r.id);
  expect(resent).toHaveLength(50);
  expect(new Set(resent).size).toBe(50);
});

test('a storage that throws on every call leaves the SDK working in memory', async ({ app, page }) => {
  const service = 'no-storage';
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
  });
  await open(page, clientPage(app, service));
  await page.evaluate(async () => {
    const w = window as unknown as { logMany(n: number, p: string): void; setVisibility(s: string): void; client: { flush(): Promise<void> } };
    w.logMany(20, 's');
    w.setVisibility('hidden');
    w.setVisibility('visible');
    w.logMany(5, 'after');
    await w.client.flush();
  });
  await app.waitForEvents(() => [...expected('s', 20), ...expected('after', 5)].every((n) => ns(app, service).has(n)));
  expect(errors).toEqual([]);
});

test('200 awaited fetches go to the sink in full batches, not one request per event', async ({ app, page }) => {
  const service = 'awaited-fetches';
  await open(page, clientPage(app, service));
  await page.evaluate(async () => {
    for (let i = 0; i < 200; i++) await fetch('/api/echo?i=' + i);
    await (window as unknown as { client: { flush(): Promise<void> } }).client.flush();
  });
  await app.waitForEvents(() => written(app, service).filter((e) => e.event === 'http_request').length === 200);
  const posts = app.sinkRequests.filter((r) => r.contentType === 'application/json');
  expect(posts.length).toBeLessThanOrEqual(Math.ceil(200 / 50) + 2);
});

test('a burst of 2,000 fetches against a sink that answers in 20 ms evicts nothing', async ({ app, page }) => {
  const service = 'burst';
  app.sinkDelayMs = 20;
  await open(page, clientPage(app, service, `window.api = ${JSON.stringify(app.otherOrigin)};`));
  await page.evaluate(async () => {
    const api = (window as unknown as { api: string }).api;
    // In waves of 200: Chromium refuses a page thousands of requests pending at once.
    for (let wave = 0; wave < 10; wave++) await Promise.all(Array.from({ length: 200 }, (_, i) => fetch(api + '/api/echo?i=' + (wave * 200 + i))));
    await (window as unknown as { client: { flush(): Promise<void> } }).client.flush();
  });
  await app.waitForEvents(() => written(app, service).filter((e) => e.event === 'http_request').length === 2_000, 20_000);
  expect(written(app, service).filter((e) => e.event === 'events_dropped')).toEqual([]);
});
