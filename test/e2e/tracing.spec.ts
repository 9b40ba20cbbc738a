import type { Page } from '@playwright/test';
import type { TelemetryEvent } from 'tracebeam';
import { expect, modulePage, test } from './support/fixtures';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

/** A page with the SDK tracing fetch and XHR; `options` are added to createClient's. */
function tracedPage(script: string, options = ''): string {
  return modulePage(`
    import { createClient, fetchTracing, xhrTracing } from 'tracebeam';
    const client = createClient({ sink: '/api/log', service: 'web', integrations: [fetchTracing(), xhrTracing()], ${options} });
    const xhr = (method, url, headers = {}) => new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open(method, url);
      for (const name in headers) request.setRequestHeader(name, headers[name]);
      request.onload = () => resolve(JSON.parse(request.responseText));
      request.onerror = () => reject(new Error('xhr failed'));
      request.send();
    });
    const outcome = {};
    try {
      ${script}
      await client.flush();
      window.outcome = outcome;
    } catch (error) {
      window.outcome = { pageError: String(error?.stack ?? error) };
    }
  `);
}

async function outcomeOf<T>(page: Page): Promise<T> {
  const outcome = await (await page.waitForFunction(() => (window as unknown as { outcome?: unknown }).outcome, null, { timeout: 15_000 })).jsonValue();
  expect(outcome).not.toHaveProperty('pageError');
  return outcome as T;
}

const httpEvents = (events: TelemetryEvent[]): TelemetryEvent[] => events.filter((e) => e.event === 'http_request');

test('fetch and XHR to the page’s origin carry the current trace, and their events name the span they sent', async ({ app, page }) => {
  await page.goto(
    app.page(
      tracedPage(`
        outcome.traceId = client.traceId();
        outcome.fetched = (await (await fetch('/api/echo?via=fetch', { method: 'POST', body: 'x' })).json()).headers;
        outcome.xhr = (await xhr('PUT', '/api/echo?via=xhr')).headers;
      `),
    ),
  );
  const { traceId, fetched, xhr } = await outcomeOf<{ traceId: string; fetched: Record<string, string>; xhr: Record<string, string> }>(page);
  const events = httpEvents(await app.waitForEvents((e) => httpEvents(e).length === 2));
  const sent = [fetched, xhr].map((headers) => {
    const [, trace, span] = TRACEPARENT.exec(headers.traceparent) ?? [];
    return { trace, span, correlation: headers['x-trace-id'] };
  });
  expect(sent).toEqual([
    { trace: traceId, span: expect.any(String), correlation: traceId },
    { trace: traceId, span: expect.any(String), correlation: traceId },
  ]);
  expect(sent[0].span).not.toBe(sent[1].span);
  expect(events.map((e) => ({ level: e.level, trace_id: e.trace_id, span_id: e.span_id, http: e.http }))).toEqual([
    {
      level: 'info',
      trace_id: traceId,
      span_id: sent[0].span,
      http: { method: 'POST', url: `${app.url}/api/echo?via=fetch`, status_code: 200, duration_ms: expect.any(Number) },
    },
    {
      level: 'info',
      trace_id: traceId,
      span_id: sent[1].span,
      http: { method: 'PUT', url: `${app.url}/api/echo?via=xhr`, status_code: 200, duration_ms: expect.any(Number) },
    },
  ]);
});

test('requests after a click carry the click’s new trace', async ({ app, page }) => {
  await page.goto(
    app.page(
      tracedPage(`
        outcome.before = client.traceId();
        await new Promise((resolve) => document.querySelector('#go').addEventListener('click', async () => {
          outcome.during = client.traceId();
          outcome.sent = (await (await fetch('/api/echo')).json()).headers['x-trace-id'];
          resolve();
        }));
      `),
    ),
  );
  await page.click('#go');
  const { before, during, sent } = await outcomeOf<Record<string, string>>(page);
  expect(during).not.toBe(before);
  expect(sent).toBe(during);
  const [event] = httpEvents(await app.waitForEvents((e) => httpEvents(e).length === 1));
  expect(event.trace_id).toBe(during);
});

test('other origins get no trace headers unless propagateTo names them, and then pass CORS', async ({ app, page }) => {
  const script = `
    outcome.fetched = (await (await fetch('${app.otherOrigin}/api/echo?via=fetch')).json()).headers;
    outcome.xhr = (await xhr('GET', '${app.otherOrigin}/api/echo?via=xhr', { 'x-app': 'yes' })).headers;
    outcome.traceId = client.traceId();
  `;
  type Outcome = { fetched: Record<string, string>; xhr: Record<string, string>; traceId: string };
  await page.goto(app.page(tracedPage(script)));
  const plain = await outcomeOf<Outcome>(page);
  for (const headers of [plain.fetched, plain.xhr]) expect([headers.traceparent, headers['x-trace-id']]).toEqual([undefined, undefined]);
  // Still recorded: the request happened, under the page's trace.
  const events = httpEvents(await app.waitForEvents((e) => httpEvents(e).length === 2));
  expect(events.map((e) => [e.trace_id, e.http?.url])).toEqual([
    [plain.traceId, `${app.otherOrigin}/api/echo?via=fetch`],
    [plain.traceId, `${app.otherOrigin}/api/echo?via=xhr`],
  ]);

  app.reset();
  await page.goto(app.page(tracedPage(script, `propagateTo: ['${app.otherOrigin}']`)));
  const allowed = await outcomeOf<Outcome>(page);
  for (const headers of [allowed.fetched, allowed.xhr]) {
    expect(headers.traceparent).toMatch(TRACEPARENT);
    expect(headers['x-trace-id']).toBe(allowed.traceId);
  }
  expect(allowed.xhr['x-app']).toBe('yes');
  const traced = httpEvents(await app.waitForEvents((e) => httpEvents(e).length === 2));
  expect(traced.map((e) => e.span_id)).toEqual([allowed.fetched, allowed.xhr].map((h) => TRACEPARENT.exec(h.traceparent)![2]));
});

test('a RegExp in propagateTo is tested on the whole URL', async ({ app, page }) => {
  const pattern = `new RegExp('^${app.otherOrigin.replace(/\./g, '\\\\.')}/api/echo\\\\?traced')`;
  await page.goto(
    app.page(
      tracedPage(
        `
        outcome.traced = (await (await fetch('${app.otherOrigin}/api/echo?traced=1')).json()).headers.traceparent ?? null;
        outcome.untraced = (await (await fetch('${app.otherOrigin}/api/echo?other=1')).json()).headers.traceparent ?? null;
      `,
        `propagateTo: [${pattern}]`,
      ),
    ),
  );
  const { traced, untraced } = await outcomeOf<{ traced: string | null; untraced: string | null }>(page);
  expect(traced).toMatch(TRACEPARENT);
  expect(untraced).toBeNull();
});

test('the sink’s requests carry no trace headers and make no events, whoever sends them', async ({ app, page }) => {
  const sinkHeaders: Array<Record<string, string>> = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/log') void request.allHeaders().then((headers) => sinkHeaders.push(headers));
  });
  await page.goto(
    app.page(
      tracedPage(`
        client.log('info', 'hello');
        await client.flush();
        // The page posting to the sink itself, by fetch and by XHR, with a query.
        const body = JSON.stringify({ events: [] });
        outcome.fetch = (await fetch('/api/log?from=page', { method: 'POST', body, headers: { 'content-type': 'application/json' } })).status;
        outcome.xhr = await new Promise((resolve) => {
          const request = new XMLHttpRequest();
          request.open('POST', '/api/log');
          request.setRequestHeader('content-type', 'application/json');
          request.onloadend = () => resolve(request.status);
          request.send(body);
        });
        client.log('info', 'bye');
      `),
    ),
  );
  expect(await outcomeOf(page)).toEqual({ fetch: 202, xhr: 202 });
  const events = await app.waitForEvents((e) => e.some((event) => event.event === 'bye'));
  expect(events.map((e) => e.event)).toEqual(['hello', 'bye']);
  await expect.poll(() => sinkHeaders.length).toBeGreaterThanOrEqual(4);
  for (const headers of sinkHeaders) expect([headers.traceparent, headers['x-trace-id']]).toEqual([undefined, undefined]);
});

test('a traceparent the caller set is kept, and the event and correlation header follow it', async ({ app, page }) => {
  const own = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  await page.goto(
    app.page(
      tracedPage(`
        outcome.fetched = (await (await fetch('/api/echo', { headers: { traceparent: '${own}' } })).json()).headers;
        outcome.xhr = (await xhr('GET', '/api/echo', { traceparent: '${own}' })).headers;
      `),
    ),
  );
  const { fetched, xhr } = await outcomeOf<Record<string, Record<string, string>>>(page);
  for (const headers of [fetched, xhr]) expect([headers.traceparent, headers['x-trace-id']]).toEqual([own, '0af7651916cd43dd8448eb211c80319c']);
  const events = httpEvents(await app.waitForEvents((e) => httpEvents(e).length === 2));
  expect(events.map((e) => [e.trace_id, e.span_id])).toEqual(Array(2).fill(['0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331']));
});

test('failures are errors, aborts and 4xx are info, and each request makes one event', async ({ app, page }) => {
  await page.goto(
    app.page(
      tracedPage(`
        await fetch('/api/echo?status=404');
        await fetch('/api/echo?status=503');
        await fetch('http://127.0.0.1:1/unreachable').catch(() => {});
        const controller = new AbortController();
        const aborted = fetch('/api/echo?delay=2000', { signal: controller.signal }).catch(() => {});
        setTimeout(() => controller.abort(), 100);
        await aborted;
        await fetch('/api/echo?delay=2000', { signal: AbortSignal.timeout(100) }).catch(() => {});
        await new Promise((resolve) => {
          const request = new XMLHttpRequest();
          request.open('GET', '/api/echo?delay=2000');
          request.timeout = 100;
          request.ontimeout = resolve;
          request.send();
        });
        await new Promise((resolve) => {
          const request = new XMLHttpRequest();
          request.open('GET', '/api/echo?delay=2000');
          request.onabort = resolve;
          request.send();
          setTimeout(() => request.abort(), 100);
        });
        const sync = new XMLHttpRequest();
        sync.open('GET', '/api/echo?status=500', false);
        sync.send();
      `),
    ),
  );
  await outcomeOf(page);
  const events = httpEvents(await app.waitForEvents((e) => httpEvents(e).length === 8));
  expect(events.map((e) => [e.level, e.http?.status_code, e.http?.error ?? null])).toEqual([
    ['info', 404, null],
    ['error', 503, null],
    ['error', 0, 'network_error'],
    ['info', 0, 'aborted'],
    ['error', 0, 'timeout'],
    ['error', 0, 'timeout'],
    ['info', 0, 'aborted'],
    ['error', 500, null],
  ]);
  // Failures are kept even when the session's other events are sampled out.
  app.reset();
  await page.goto(app.page(tracedPage(`await fetch('/api/echo'); await fetch('/api/echo?status=500');`, 'sampleRate: 0')));
  await outcomeOf(page);
  const kept = httpEvents(await app.waitForEvents((e) => httpEvents(e).length >= 1));
  expect(kept.map((e) => e.http?.status_code)).toEqual([500]);
});

test('an XHR object used again records each request once: done, cancelled by a new open, failed synchronously', async ({ app, page }) => {
  await page.goto(
    app.page(
      tracedPage(`
        const request = new XMLHttpRequest();
        const ended = () => new Promise((resolve) => request.addEventListener('loadend', resolve, { once: true }));
        request.open('GET', '/api/echo?n=1');
        request.send();
        await ended();
        request.open('GET', '/api/echo?n=2&delay=1000');
        request.send();
        await new Promise((resolve) => setTimeout(resolve, 100));
        request.open('POST', '/api/echo?n=3');
        request.send('x');
        await ended();
        request.open('GET', 'http://127.0.0.1:1/unreachable', false);
        try {
          request.send();
        } catch (error) {
          outcome.threw = error.name;
        }
      `),
    ),
  );
  expect(await outcomeOf(page)).toEqual({ threw: 'NetworkError' });
  const events = httpEvents(await app.waitForEvents((e) => httpEvents(e).length === 4));
  expect(events.map((e) => [e.http?.method, e.http?.url.replace(app.url, ''), e.http?.status_code, e.http?.error ?? null])).toEqual([
    ['GET', '/api/echo?n=1', 200, null],
    ['GET', '/api/echo?n=2&delay=1000', 0, 'aborted'],
    ['POST', '/api/echo?n=3', 200, null],
    ['GET', 'http://127.0.0.1:1/unreachable', 0, 'network_error'],
  ]);
  expect(new Set(events.map((e) => e.span_id)).size).toBe(4);
});

test('an XHR opened again from its own handlers records every request once, with its own outcome', async ({ app, page }) => {
  await page.goto(
    app.page(
      tracedPage(`
        // Polling the way older code does: the next request starts from the handler of the last one.
        await new Promise((resolve) => {
          const request = new XMLHttpRequest();
          const next = [['GET', '/api/echo?poll=2&status=503'], ['GET', '/api/echo?poll=3'], ['GET', '/api/echo?poll=4']];
          request.onreadystatechange = () => {
            if (request.readyState !== 4 || next.length < 2) return;
            request.open(...next.shift());
            request.send();
          };
          request.onload = () => {
            if (next.length !== 1) return;
            request.open(...next.shift());
            request.onloadend = resolve;
            request.send();
          };
          request.open('GET', '/api/echo?poll=1');
          request.send();
        });
      `),
    ),
  );
  await outcomeOf(page);
  const events = httpEvents(await app.waitForEvents((e) => httpEvents(e).length === 4));
  expect(events.map((e) => [e.http?.url.replace(app.url, ''), e.http?.status_code, e.level])).toEqual([
    ['/api/echo?poll=1', 200, 'info'],
    ['/api/echo?poll=2&status=503', 503, 'error'],
    ['/api/echo?poll=3', 200, 'info'],
    ['/api/echo?poll=4', 200, 'info'],
  ]);
});

test('shutdown restores the native fetch and XMLHttpRequest methods', async ({ app, page }) => {
  await page.goto(
    app.page(
      modulePage(`
        import { createClient, fetchTracing, xhrTracing } from 'tracebeam';
        const native = [window.fetch, XMLHttpRequest.prototype.open, XMLHttpRequest.prototype.send, XMLHttpRequest.prototype.setRequestHeader];
        const client = createClient({ sink: '/api/log', service: 'web', integrations: [fetchTracing(), xhrTracing()] });
        const patched = [window.fetch, XMLHttpRequest.prototype.open, XMLHttpRequest.prototype.send, XMLHttpRequest.prototype.setRequestHeader];
        const shape = (f) => [f.name, f.length];
        await client.shutdown();
        const restored = [window.fetch, XMLHttpRequest.prototype.open, XMLHttpRequest.prototype.send, XMLHttpRequest.prototype.setRequestHeader];
        const after = (await (await fetch('/api/echo')).json()).headers.traceparent ?? null;
        window.outcome = {
          patched: patched.map((f, i) => f !== native[i]),
          shapes: [native.map(shape), patched.map(shape)],
          restored: restored.map((f, i) => f === native[i]),
          after,
        };
      `),
    ),
  );
  const outcome = await outcomeOf<{ patched: boolean[]; shapes: unknown[][]; restored: boolean[]; after: string | null }>(page);
  expect(outcome.patched).toEqual([true, true, true, true]);
  expect(outcome.shapes[1]).toEqual(outcome.shapes[0]);
  expect(outcome.restored).toEqual([true, true, true, true]);
  expect(outcome.after).toBeNull();
});
