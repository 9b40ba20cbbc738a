/**
 * Every public method and option given hostile values in real Chromium: nothing throws into the
 * page, later events still arrive, and no task of the page runs over 50 ms (a long-task
 * PerformanceObserver watches from before the SDK is loaded to the end).
 */
import { expect, modulePage, test } from './support/fixtures';

const PAGE = modulePage(`
  window.longTasks = [];
  new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => Math.round(e.duration)))).observe({ type: 'longtask', buffered: true });
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
  const errors = [];
  window.addEventListener('error', (e) => errors.push(String(e.message)));
  window.addEventListener('unhandledrejection', (e) => errors.push(String(e.reason)));
  // The hostile values are made in tasks of their own, before the SDK sees them, so that their cost is not counted as its.
  const revoked = () => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; };
  const trap = () => { throw new Error('trap'); };
  const throwing = () => new Proxy({}, { get: trap, ownKeys: trap, getPrototypeOf: trap, has: trap, getOwnPropertyDescriptor: trap });
  const values = [revoked(), throwing(), { ok: 1, get bad() { throw new Error('getter'); } }, { toString: trap }, Object.create(null), 10n, Symbol('s'), () => 1];
  await tick();
  const long = 'x'.repeat(10_000_000); long.indexOf('y'); values.push(long);
  await tick();
  values.push(new Array(1_000_000).fill(1));
  await tick();
  const key = {}; key['k'.repeat(10_000_000)] = 1; values.push(key);
  await tick();
  const cycle = {}; cycle.self = cycle; values.push(cycle);
  const { createClient, init, errors: errorsIntegration, fetchTracing, xhrTracing } = await import('tracebeam');
  await tick();
  window.longTasks.length = 0;
  let sent = 0;
  const guarded = [];
  const attempt = async (fn) => { try { await fn(); } catch (error) { guarded.push(String(error && error.message)); } await tick(); };
  // Hostile options: each gives a console error and an inert client.
  for (const options of [revoked(), throwing(), { get sink() { throw new Error('x'); }, service: 'web' }, { sink: '/api/log', service: 'web', batch: throwing() }, { sink: '/api/log', service: 'web', integrations: throwing() }, { sink: '/api/log', service: 'web', integrations: [revoked()] }, { sink: '/api/log', service: 'web', propagateTo: throwing() }, { sink: '/api/log', service: 'web', beforeSend: throwing() }]) {
    await attempt(() => createClient(options).log('info', 'never'));
    await attempt(() => init(options).shutdown());
  }
  const client = createClient({ sink: '/api/log', service: 'fuzz', integrations: [errorsIntegration(), fetchTracing(), xhrTracing()], beforeSend: (event) => (sent++, event) });
  for (const value of values) {
    await attempt(() => client.log('info', value, value));
    await attempt(() => client.log(value, 'level_fuzz', { value }));
    await attempt(() => client.captureError(value, value));
    await attempt(() => client.setContext(value));
    await attempt(() => client.setUser(value));
    await attempt(() => client.setUser({ id: value }));
    await attempt(() => client.traceId(value));
  }
  await attempt(() => client.setUser({ id: 'u'.repeat(300) }));
  await attempt(() => client.captureError(new Error('m'.repeat(60_000))));
  await attempt(() => client.setContext({}));
  client.log('info', 'fuzz_done');
  await attempt(() => client.flush());
  window.result = { guarded, errors, sent };
  document.body.dataset.ready = '1';
`);

test('hostile values through every public method: no throw, no lost event, no long task', async ({ app, page }) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(app.page(PAGE));
  await page.locator('body[data-ready="1"]').waitFor({ timeout: 60_000 });
  const result = await page.evaluate(() => (window as unknown as { result: { guarded: string[]; errors: string[]; sent: number } }).result);
  expect(result.guarded).toEqual([]);
  expect(result.errors).toEqual([]);
  expect(pageErrors).toEqual([]);
  // Every event the client built reached the sink and passed its schema.
  const events = await app.waitForEvents((e) => e.some((event) => event.event === 'fuzz_done'));
  expect(events.filter((e) => e.service === 'fuzz')).toHaveLength(result.sent);
  expect(app.sinkRequests.every((r) => r.status === 202)).toBe(true);
  const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  expect(longTasks.filter((ms) => ms > 50)).toEqual([]);
});
