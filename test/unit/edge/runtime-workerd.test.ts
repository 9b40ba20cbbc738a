// `tracebeam/edge` inside Cloudflare's workerd (miniflare): an ES-module Worker bundled from the
// entry the way wrangler would, on 127.0.0.1, with real sink and origin servers. AsyncLocalStorage
// comes from `node:async_hooks` under the `nodejs_als` compatibility flag and is handed over as an
// option, which is what a Worker has to do.
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CONCURRENT_IDS,
  SPAN,
  TRACE,
  TRACEPARENT,
  appSource,
  concurrentPath,
  expectCallEvents,
  expectHopContinued,
  expectKeptApart,
  bundleEdge,
  closeServers,
  startOrigin,
  startSink,
  type AppAnswer,
  type Sink,
} from './helpers';

// The sink answers late, so that "after the response" is visible.
const SINK_DELAY_MS = 300;

let sink: Sink;
let origin: Awaited<ReturnType<typeof startOrigin>>;
let mf: Miniflare;

beforeAll(async () => {
  [sink, origin] = await Promise.all([startSink({ delayMs: SINK_DELAY_MS }), startOrigin()]);
  const script = await bundleEdge(
    `import { AsyncLocalStorage } from 'node:async_hooks';
    import { withTelemetry } from 'tracebeam/edge';
    ${appSource(origin.url)}
    export default {
      fetch: withTelemetry((request, env, ctx, telemetry) => app(request, telemetry), {
        sink: ${JSON.stringify(sink.url)},
        service: 'worker',
        environment: 'test',
        propagateTo: [${JSON.stringify(origin.url)}],
        asyncLocalStorage: AsyncLocalStorage,
      }),
    };`,
    'esm',
  );
  mf = new Miniflare({
    modules: true,
    script,
    compatibilityDate: '2024-09-23',
    compatibilityFlags: ['nodejs_als'],
    host: '127.0.0.1',
    port: 0,
  });
  await mf.ready;
}, 60_000);

beforeEach(async () => {
  await sink.reset();
  origin.calls.length = 0;
});

afterAll(async () => {
  await mf?.dispose();
  await closeServers();
}, 30_000);

const eventsOf = (traceId: string) => sink.events.filter((event) => event.trace_id === traceId);

describe('Cloudflare Worker (miniflare / workerd)', () => {
  it('continues the incoming trace into outgoing fetches, and reports after the response', async () => {
    const response = await mf.dispatchFetch('https://shop.example.com/api/cart?delay=0', {
      headers: { traceparent: `00-${TRACE}-${SPAN}-00`, tracestate: 'rojo=00f067aa0ba902b7, congo=t61rcWkgMzE' },
    });
    const answer = (await response.json()) as AppAnswer;
    // The response is complete while the sink has not stored anything yet.
    expect(sink.events).toHaveLength(0);

    const span = expectHopContinued(answer, response, '00', 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');

    await sink.waitForEvents(3);
    const events = eventsOf(TRACE);
    expectCallEvents(events, answer, origin.url, SPAN);
    expect(events[2]).toEqual(
      expect.objectContaining({
        event: 'http_request',
        service: 'worker',
        environment: 'test',
        span_id: span,
        parent_span_id: SPAN,
        http: expect.objectContaining({ method: 'GET', url: '/api/cart?delay=0', status_code: 200 }),
      }),
    );
  });

  it('keeps concurrent requests apart', async () => {
    const ids = CONCURRENT_IDS;
    const responses = await Promise.all(
      ids.map((id, i) => mf.dispatchFetch(`https://shop.example.com${concurrentPath(i)}`, { headers: { 'x-trace-id': id } })),
    );
    await expectKeptApart(responses);
    await sink.waitForEvents(ids.length * 3);
    for (const id of ids) expect(eventsOf(id).map((event) => event.event)).toEqual(['http_request', 'http_request', 'http_request']);
  });

  it('turns a thrown error into a logged 500', async () => {
    const response = await mf.dispatchFetch('https://shop.example.com/boom', { headers: { traceparent: TRACEPARENT } });
    expect(response.status).toBe(500);
    expect(response.headers.get('x-trace-id')).toBe(TRACE);
    expect(await response.text()).toBe('Internal Server Error');
    await sink.waitForEvents(2);
    const [error, request] = eventsOf(TRACE);
    expect(error).toMatchObject({ event: 'client_error', level: 'error', error: { type: 'TypeError', message: 'boom at the edge', handled: false } });
    expect(error.error!.stack).toContain('boom at the edge');
    expect(request).toMatchObject({ event: 'http_request', level: 'error', http: { url: '/boom', status_code: 500 } });
  });

  it('proxies the request with this hop as parent, and marks the origin’s (immutable) response', async () => {
    const response = await mf.dispatchFetch('https://shop.example.com/proxy', { headers: { traceparent: TRACEPARENT, 'x-app': 'kept' } });
    const echoed = (await response.json()) as Record<string, string>;
    expect(echoed['x-app']).toBe('kept');
    expect(echoed.traceparent).toMatch(new RegExp(`^00-${TRACE}-(?!${SPAN})[\\da-f]{16}-01$`));
    expect(response.headers.get('x-trace-id')).toBe(TRACE);
    // The proxied call is a span of its own, a child of this hop (the one Server-Timing names).
    const hop = /^traceparent;desc="(00-[\da-f]{32}-([\da-f]{16})-01)"$/.exec(response.headers.get('server-timing')!);
    expect(hop![1].split('-')[1]).toBe(TRACE);
    expect(hop![2]).not.toBe(echoed.traceparent.split('-')[2]);
    expect(origin.calls.map((call) => call.path)).toEqual(['/proxied']);
  });

  it('starts a new trace for an invalid traceparent and drops its tracestate', async () => {
    const response = await mf.dispatchFetch('https://shop.example.com/', {
      headers: { traceparent: `ff-${TRACE}-${SPAN}-01`, tracestate: 'rojo=1' },
    });
    const answer = (await response.json()) as AppAnswer;
    expect(answer.traceId).not.toBe(TRACE);
    expect(answer.scoped.traceparent.split('-')[1]).toBe(answer.traceId);
    expect(answer.scoped.traceparent).not.toBe(answer.traceparent);
    expect(answer.scoped.tracestate).toBeUndefined();
    expect(response.headers.get('x-trace-id')).toBe(answer.traceId);
  });
});
