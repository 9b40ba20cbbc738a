/**
 * Every public method and option given hostile values in real Chromium, through the ESM build and
 * the script tag's global: nothing throws into the page, later events still arrive and pass the
 * sink's schema, and no task of the page takes over 50 ms of CPU time from the SDK's first call to
 * the end (thread time from Chromium's trace: wall time would count the machine's other work).
 */
import { expect, modulePage, test } from './support/fixtures';
import { taskTimesAfter } from './support/task-times';

/**
 * What both pages start with: the page's own error listeners and the hostile
 * values, each made in a task of its own before the SDK sees them, so that their cost is not counted
 * as its. `attempt` runs one call and records what it threw.
 */
const PRELUDE = `
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
  const errors = [];
  window.addEventListener('error', (e) => errors.push(String(e.message)));
  window.addEventListener('unhandledrejection', (e) => errors.push(String(e.reason)));
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
  const wide = {}; for (let i = 0; i < 100_000; i++) wide['key_' + i] = i; values.push(wide);
  await tick();
  const cycle = {}; cycle.self = cycle; values.push(cycle);
  const guarded = [];
  const attempt = async (fn) => { try { await fn(); } catch (error) { guarded.push(String(error && error.message)); } await tick(); };
`;

/** The calls every client (and the script tag's global) gets, with every hostile value. */
const EVERY_METHOD = (client: string) => `
  for (const value of values) {
    await attempt(() => ${client}.log('info', value, value));
    await attempt(() => ${client}.log(value, 'level_fuzz', { value }));
    await attempt(() => ${client}.captureError(value, value));
    await attempt(() => ${client}.setContext(value));
    await attempt(() => ${client}.setUser(value));
    await attempt(() => ${client}.setUser({ id: value }));
    await attempt(() => ${client}.traceId(value));
  }
  await attempt(() => ${client}.setUser({ id: 'u'.repeat(300) }));
  await attempt(() => ${client}.captureError(new Error('m'.repeat(60_000))));
  await attempt(() => ${client}.setContext({}));
`;

const PAGE = modulePage(`
  ${PRELUDE}
  const { createClient, init, errors: errorsIntegration, fetchTracing, xhrTracing } = await import('tracebeam');
  await tick();
  console.timeStamp('sdk');
  let sent = 0;
  // Hostile options: each gives a console error and an inert client.
  for (const options of [revoked(), throwing(), { get sink() { throw new Error('x'); }, service: 'web' }, { sink: '/api/log', service: 'web', batch: throwing() }, { sink: '/api/log', service: 'web', integrations: throwing() }, { sink: '/api/log', service: 'web', integrations: [revoked()] }, { sink: '/api/log', service: 'web', propagateTo: throwing() }, { sink: '/api/log', service: 'web', beforeSend: throwing() }]) {
    await attempt(() => createClient(options).log('info', 'never'));
    await attempt(() => init(options).shutdown());
  }
  // Hostile propagateTo entries: RegExps with getters and methods that throw, Proxies, no strings.
  const regexp = (key) => Object.defineProperty(/^http:\\/\\/127\\.0\\.0\\.1:1\\//, key, { get: trap });
  const entries = [regexp('exec'), regexp(Symbol.search), regexp(Symbol.match), regexp('source'), regexp('flags'), new Proxy(/x/, {}), new Proxy(/x/, { get: trap }), revoked(), throwing(), 42, null, Symbol('s'), { toString: trap }, 10n, ['http://127.0.0.1:1']];
  for (const entry of entries) {
    await attempt(async () => {
      const traced = createClient({ sink: '/api/log', service: 'propagate', integrations: [fetchTracing(), xhrTracing()], propagateTo: [entry] });
      await fetch('/api/echo?propagate=1');
      await new Promise((resolve) => { const xhr = new XMLHttpRequest(); xhr.open('GET', '/api/echo?propagate=2'); xhr.onloadend = resolve; xhr.send(); });
      await traced.shutdown();
    });
  }
  // Hostile results of beforeSend: each client logs one event, which arrives (or is dropped and said so), never breaks the batch.
  const results = [() => { throw new Error('beforeSend'); }, () => throwing(), () => revoked(), () => 'event', () => 42, () => true, () => [], () => 10n,
    (event) => Object.assign(event, { self: event }), (event) => ({ ...event, long }), (event) => ({ ...event, list: values[9] }), (event) => ({ ...event, wide }),
    (event) => new Proxy(event, {}), (event) => ({ ...event, get bad() { throw new Error('getter'); } }),
    (event) => ({ ...event, id: 5, level: 'fatal', event: 'Not A Name', trace_id: null, timestamp: 'now', sdk: undefined, service: '', url: 'u'.repeat(20_000), session_id: 7 })];
  for (const result of results) {
    await attempt(async () => {
      const client = createClient({ sink: '/api/log', service: 'before-send', beforeSend: result });
      client.log('info', 'before_send_fuzz');
      await client.flush();
      await client.shutdown();
    });
  }
  const client = createClient({ sink: '/api/log', service: 'fuzz', integrations: [errorsIntegration(), fetchTracing(), xhrTracing()], beforeSend: (event) => (sent++, event) });
  ${EVERY_METHOD('client')}
  client.log('info', 'fuzz_done');
  await attempt(() => client.flush());
  window.result = { guarded, errors, sent };
  document.body.dataset.ready = '1';
`);

/** The script tag's global, before and after `init`: calls before it wait in its queue and are replayed by it. */
const SCRIPT_TAG_PAGE = `<!doctype html><html><head><meta charset="utf-8"><script src="/dist/tracebeam.min.js"></script></head>
<body><h1>tracebeam fuzz</h1><script type="module">
  ${PRELUDE}
  console.timeStamp('sdk');
  let sent = 0;
  ${EVERY_METHOD('tracebeam')}
  await attempt(() => tracebeam.init({ sink: '/api/log', service: 'fuzz', beforeSend: (event) => (sent++, event) }));
  ${EVERY_METHOD('tracebeam')}
  for (const value of values) await attempt(() => tracebeam.init(value));
  tracebeam.log('info', 'fuzz_done');
  await attempt(() => tracebeam.flush());
  window.result = { guarded, errors, sent };
  document.body.dataset.ready = '1';
</script></body></html>`;

interface Result {
  guarded: string[];
  errors: string[];
  sent: number;
}

for (const [name, html] of [
  ['the ESM build', PAGE],
  ['the script tag’s global', SCRIPT_TAG_PAGE],
]) {
  test(`hostile values through every public method of ${name}: no throw, no lost event, no long task`, async ({ app, page }) => {
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const taskTimes = await taskTimesAfter(page, 'sdk', async () => {
      await page.goto(app.page(html));
      await page.locator('body[data-ready="1"]').waitFor({ timeout: 60_000 });
    });
    const result = await page.evaluate(() => (window as unknown as { result: Result }).result);
    expect(result.guarded).toEqual([]);
    expect(result.errors).toEqual([]);
    expect(pageErrors).toEqual([]);
    // Every event the client built reached the sink and passed its schema.
    const events = await app.waitForEvents((e) => e.some((event) => event.event === 'fuzz_done'));
    expect(events.filter((e) => e.service === 'fuzz')).toHaveLength(result.sent);
    expect(app.sinkRequests.every((r) => r.status === 202)).toBe(true);
    // The sink refused none of the events it was sent: whatever beforeSend made of them fits the schema.
    const accepted = new Set(events.map((e) => e.id));
    expect(app.received.filter((r) => !accepted.has(r.id))).toEqual([]);
    if (html === PAGE) {
      // beforeSend's objects arrive (Proxy, cycle, huge, a getter that throws, broken wire fields, whose name is read as log reads one).
      expect(events.filter((e) => e.service === 'before-send').map((e) => e.event)).toEqual([...Array(6).fill('before_send_fuzz'), 'not_a_name']);
    }
    expect(taskTimes.length).toBeGreaterThan(0);
    expect(taskTimes.filter((ms) => ms > 50)).toEqual([]);
  });
}
