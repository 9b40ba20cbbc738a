import { readFileSync } from 'node:fs';
import { Validator } from '@cfworker/json-schema';
import { expect, modulePage, test } from './support/fixtures';

const schema = JSON.parse(readFileSync(new URL('../../dist/event.schema.json', import.meta.url), 'utf8'));

test('events logged by a page reach the sink with the schema’s fields', async ({ app, page }) => {
  await page.goto(
    app.page(
      modulePage(`
        import { createClient } from 'tracebeam';
        const client = createClient({ sink: '/api/log', service: 'shop-web', release: '1.4.2', environment: 'test' });
        client.setUser({ id: '42' });
        client.setContext({ tenant_id: 't1' });
        client.log('info', 'checkout_started', { cart_items: 3 });
        client.captureError(new Error('card declined'), { component: 'Cart' });
        window.traceId = client.traceId();
        await client.flush();
        document.body.dataset.done = '1';
      `),
    ),
  );
  const events = await app.waitForEvents((e) => e.length === 2);
  const traceId = await page.evaluate(() => (window as unknown as { traceId: string }).traceId);
  const validator = new Validator(schema, '2020-12', false);
  for (const event of events) {
    expect(validator.validate(event).errors).toEqual([]);
    expect(event).toMatchObject({
      service: 'shop-web',
      release: '1.4.2',
      environment: 'test',
      trace_id: traceId,
      user_id: '42',
      tenant_id: 't1',
      url: page.url(),
      sdk: { name: 'tracebeam' },
    });
  }
  expect(events[0]).toMatchObject({ level: 'info', event: 'checkout_started', cart_items: 3 });
  expect(events[1]).toMatchObject({
    level: 'error',
    event: 'client_error',
    component: 'Cart',
    error: { type: 'Error', message: 'card declined', handled: true },
  });
  expect(app.sinkRequests.map((r) => [r.contentType, r.status])).toEqual([['application/json', 202]]);
});

test('300 events logged right before the page navigates away all arrive, by beacons of at most 60,000 bytes and the next page of the origin', async ({
  app,
  page,
}) => {
  await page.goto(
    app.page(
      modulePage(`
        import { createClient } from 'tracebeam';
        const client = createClient({ sink: '/api/log', service: 'web' });
        document.querySelector('#go').addEventListener('click', () => {
          for (let i = 0; i < 300; i++) client.log('info', 'leaving', { i, note: 'x'.repeat(100) });
          location.href = '/api/echo';
        });
        document.body.dataset.ready = '1';
      `),
    ),
  );
  await page.locator('body[data-ready="1"]').waitFor();
  await page.click('#go');
  await page.waitForURL('**/api/echo');
  // What did not fit the SDK's share of the keepalive allowance waits in the outbox for the next page.
  await page.goto(app.page(modulePage(`import { createClient } from 'tracebeam'; createClient({ sink: '/api/log', service: 'web' });`)));
  const events = await app.waitForEvents((e) => e.length >= 300);
  expect(events).toHaveLength(300);
  expect(new Set(events.map((e) => e.i)).size).toBe(300);
  // A regular batch may have started before the unload; what it carried went out again by beacon
  // (the sink drops the repeats). Chromium lets a page keep only 64 KiB of beacons in flight, so
  // the exit body sends common fields once, and the SDK keeps within 40 KiB of it.
  const beacons = app.sinkRequests.filter((r) => r.contentType === 'text/plain;charset=UTF-8');
  expect(beacons.length).toBeGreaterThanOrEqual(1);
  for (const request of app.sinkRequests) {
    expect(request.bytes).toBeLessThanOrEqual(60_000);
    expect(request.status).toBe(202);
  }
});

test('the page’s own fetches are unaffected by the SDK’s requests, even while the sink fails', async ({ app, page }) => {
  app.sinkFailures.push(503, 503, 503);
  await page.goto(
    app.page(
      modulePage(`
        import { createClient } from 'tracebeam';
        const client = createClient({ sink: '/api/log', service: 'web', batch: { maxEvents: 1 } });
        // The app wraps fetch after the SDK started: the SDK's own requests must not pass through it.
        const seen = [];
        const appFetch = window.fetch;
        window.fetch = (input, init) => (seen.push(String(input)), appFetch(input, init));
        const results = [];
        for (let i = 0; i < 5; i++) {
          client.log('info', 'tick', { i });
          const response = await fetch('/api/echo?i=' + i, { method: 'POST', body: 'payload-' + i, headers: { 'x-app': 'yes' } });
          const echo = await response.json();
          results.push([response.status, echo.body, echo.headers['x-app'], echo.headers.traceparent ?? null]);
        }
        window.outcome = { results, seen };
      `),
    ),
  );
  const outcome = await page.waitForFunction(() => (window as unknown as { outcome?: unknown }).outcome).then((h) => h.jsonValue());
  expect(outcome).toEqual({
    results: [0, 1, 2, 3, 4].map((i) => [200, `payload-${i}`, 'yes', null]),
    seen: [0, 1, 2, 3, 4].map((i) => `/api/echo?i=${i}`),
  });
  // The failed batches were retried until they went through; none of them touched the API.
  await app.waitForEvents((e) => e.length === 5, 15_000);
  expect(app.apiRequests.map((r) => r.path)).toEqual(Array(5).fill('/api/echo'));
  expect(app.sinkRequests.slice(0, 3).map((r) => r.status)).toEqual([503, 503, 503]);
});
