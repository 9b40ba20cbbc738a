/**
 * The pre-load snippet (dist/snippet.min.js, inlined first in <head>) with the SDK held back: what
 * the page does before the SDK arrives is delivered once, with what it does after.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';

const SNIPPET = readFileSync(new URL('../../dist/snippet.min.js', import.meta.url), 'utf8');

/** Holds every request for the SDK until `release()`; the real server then answers it. */
async function holdSdk(page: Page): Promise<{ release(): void; requested: Promise<void> }> {
  let release!: () => void;
  let requested!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const seen = new Promise<void>((resolve) => (requested = resolve));
  await page.route('**/dist/tracebeam.min.js', async (route) => {
    requested();
    await gate;
    await route.continue();
  });
  return { release, requested: seen };
}

const early = `<script>
  tracebeam.setUser({ id: '42' });
  tracebeam.log('info', 'early_log', { step: 1 });
  Promise.reject(new TypeError('rejected before the SDK'));
  setTimeout(() => { throw new Error('thrown before the SDK'); });
  setTimeout(() => (document.body.dataset.early = '1'), 50);
</script>`;

const later = `
  window.addEventListener('tracebeam-test-late', () => {
    setTimeout(() => { throw new Error('thrown after the SDK'); });
    setTimeout(() => tracebeam.flush().then(() => (document.body.dataset.flushed = '1')), 50);
  });`;

// Each case has a service of its own: the page of the case before may still beacon while it closes.
for (const [title, service, head] of [
  [
    'configured by the data attributes of its tag',
    'web-tag',
    `<script data-src="/dist/tracebeam.min.js" data-sink="/api/log" data-service="web-tag">${SNIPPET}</script>${early}`,
  ],
  [
    'configured by a tracebeam.init() call queued before the SDK',
    'web-init',
    `<script data-src="/dist/tracebeam.min.js">${SNIPPET}</script><script>tracebeam.init({ sink: '/api/log', service: 'web-init' });</script>${early}`,
  ],
] as const) {
  test(`snippet ${title}: what happened before the SDK arrived is delivered once`, async ({ app, page }) => {
    const sdk = await holdSdk(page);
    // The held SDK is an async script: the load event waits for it, the DOM does not.
    await page.goto(app.page(`<!doctype html><html><head><meta charset="utf-8">${head}</head><body><h1>snippet</h1><script>${later}</script></body></html>`), {
      waitUntil: 'domcontentloaded',
    });
    await sdk.requested;
    await page.locator('body[data-early="1"]').waitFor();
    const recorded = await page.evaluate(() => (window as unknown as { tracebeam: { _q: Array<[string]> } }).tracebeam._q.map(([method]) => method));
    expect(recorded.filter((method) => method !== 'init').sort()).toEqual(['error', 'log', 'setUser', 'unhandledrejection']);
    // Nothing of this page has left yet: the SDK that would send it is still held back.
    await page.waitForTimeout(300);
    expect(app.events().filter((e) => e.service === service)).toEqual([]);

    sdk.release();
    await page.waitForFunction(() => typeof (window as unknown as { tracebeam: { traceId?: unknown } }).tracebeam.traceId === 'function');
    await page.evaluate(() => window.dispatchEvent(new Event('tracebeam-test-late')));
    await page.locator('body[data-flushed="1"]').waitFor();
    // Anything reported twice would have been sent by now; one more flush after a pause to be sure.
    await page.waitForTimeout(500);
    await page.evaluate(() => (window as unknown as { tracebeam: { flush(): Promise<void> } }).tracebeam.flush());

    // (The web vitals reported on load are not the point here.)
    const events = app.events().filter((e) => e.service === service && e.event !== 'web_vital');
    expect(events.map((e) => [e.event, e.error?.message ?? null]).sort()).toEqual(
      [
        ['client_error', 'thrown after the SDK'],
        ['client_error', 'thrown before the SDK'],
        ['early_log', null],
        ['unhandled_rejection', 'rejected before the SDK'],
      ].sort(),
    );
    for (const event of events) expect(event).toMatchObject({ user_id: '42' });
    const before = events.find((e) => e.error?.message === 'thrown before the SDK')!;
    const after = events.find((e) => e.error?.message === 'thrown after the SDK')!;
    // Kept with the time it happened, not the time the SDK arrived.
    expect(Date.parse(before.timestamp)).toBeLessThan(Date.parse(after.timestamp));
    expect(before.error).toMatchObject({ type: 'Error', handled: false });
    expect(events.find((e) => e.event === 'early_log')).toMatchObject({ level: 'info', step: 1 });
  });
}

test('the snippet is under 1 KB and the page never sees it throw', async ({ app, page }) => {
  expect(Buffer.byteLength(SNIPPET)).toBeLessThan(1024);
  const exceptions: Error[] = [];
  page.on('pageerror', (error) => exceptions.push(error));
  // Twice on one page, and before a plain script tag of the SDK: the first stub stays, one client runs.
  await page.goto(
    app.page(
      `<!doctype html><html><head><script>${SNIPPET}</script><script>${SNIPPET}</script>` +
        `<script src="/dist/tracebeam.min.js" data-sink="/api/log" data-service="web"></script></head>` +
        `<body><script>tracebeam.log('info', 'one'); tracebeam.flush().then(() => (document.body.dataset.done = '1'));</script></body></html>`,
    ),
  );
  await page.locator('body[data-done="1"]').waitFor({ state: 'attached' });
  expect(
    app
      .events()
      .filter((e) => e.event !== 'web_vital')
      .map((e) => e.event),
  ).toEqual(['one']);
  expect(exceptions).toEqual([]);
});
