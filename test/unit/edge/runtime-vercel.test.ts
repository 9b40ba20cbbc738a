// `tracebeam/edge` inside Vercel's edge runtime (@edge-runtime/vm): the bundle runs in the VM with
// the runtime's own fetch, Request, Response and crypto; sink and origin are real servers on
// 127.0.0.1. Next.js's edge sandbox exposes AsyncLocalStorage as a global, so the VM does too.
import { AsyncLocalStorage } from 'node:async_hooks';
import { EdgeVM } from '@edge-runtime/vm';
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
let edgeFunction: EdgeVM;
let middleware: EdgeVM;

/** A Vercel Edge function, `(request, context)`, in a VM like Next.js's edge sandbox. */
async function edgeFunctionVM(): Promise<EdgeVM> {
  const code = await bundleEdge(
    `import { withTelemetry } from 'tracebeam/edge';
    ${appSource(origin.url)}
    const handler = withTelemetry((request, context, telemetry) => app(request, telemetry), {
      sink: ${JSON.stringify(sink.url)}, service: 'vercel-edge', propagateTo: [${JSON.stringify(origin.url)}],
    });
    // How Vercel calls an edge function: the request and a context with waitUntil.
    addEventListener('fetch', (event) => event.respondWith(handler(event.request, { waitUntil: (promise) => event.waitUntil(promise) })));`,
    'iife',
  );
  return new EdgeVM({ extend: (context) => Object.assign(context, { AsyncLocalStorage }), initialCode: code });
}

/**
 * Next.js middleware through `nextMiddleware`, with a NextResponse that does what Next.js's does
 * for `next({ request: { headers } })`: it lists the headers to override on the response, for the
 * server to apply to the request it forwards to the route.
 */
async function middlewareVM(): Promise<EdgeVM> {
  const code = await bundleEdge(
    `import { nextMiddleware } from 'tracebeam/edge';
    const NextResponse = {
      next(init) {
        const headers = new Headers({ 'x-middleware-next': '1' });
        const forwarded = init?.request?.headers;
        if (forwarded) {
          headers.set('x-middleware-override-headers', [...forwarded.keys()].join(','));
          for (const [name, value] of forwarded) headers.set('x-middleware-request-' + name, value);
        }
        return new Response(null, { headers });
      },
    };
    const middleware = nextMiddleware(NextResponse, { sink: ${JSON.stringify(sink.url)}, service: 'next-middleware' }, (request) => {
      if (new URL(request.url).pathname === '/old') return Response.redirect(new URL('/new', request.url), 308);
    });
    addEventListener('fetch', (event) => event.respondWith(middleware(event.request, event)));`,
    'iife',
  );
  return new EdgeVM({ extend: (context) => Object.assign(context, { AsyncLocalStorage }), initialCode: code });
}

type Dispatched = Response & { waitUntil(): Promise<unknown> };

beforeAll(async () => {
  [sink, origin] = await Promise.all([startSink({ delayMs: SINK_DELAY_MS }), startOrigin()]);
  [edgeFunction, middleware] = await Promise.all([edgeFunctionVM(), middlewareVM()]);
}, 30_000);

beforeEach(async () => {
  await sink.reset();
  origin.calls.length = 0;
});

afterAll(closeServers);

const eventsOf = (traceId: string) => sink.events.filter((event) => event.trace_id === traceId);

describe('Vercel Edge function (@edge-runtime/vm)', () => {
  it('continues the incoming trace into outgoing fetches, and reports after the response', async () => {
    const response = (await edgeFunction.dispatchFetch('https://app.example.com/api/cart?delay=0', {
      headers: { traceparent: TRACEPARENT, tracestate: 'rojo=00f067aa0ba902b7' },
    })) as Dispatched;
    const answer = (await response.json()) as AppAnswer;
    // The response is complete while the sink has not stored anything yet.
    expect(sink.events).toHaveLength(0);

    const span = expectHopContinued(answer, response, '01', 'rojo=00f067aa0ba902b7');

    await response.waitUntil();
    const events = eventsOf(TRACE);
    expectCallEvents(events, answer, origin.url, SPAN);
    expect(events[2]).toEqual(
      expect.objectContaining({
        event: 'http_request',
        service: 'vercel-edge',
        span_id: span,
        parent_span_id: SPAN,
        http: expect.objectContaining({ method: 'GET', url: '/api/cart?delay=0', status_code: 200 }),
      }),
    );
  });

  it('keeps concurrent requests apart', async () => {
    const ids = CONCURRENT_IDS;
    const responses = (await Promise.all(
      ids.map((id, i) => edgeFunction.dispatchFetch(`https://app.example.com${concurrentPath(i)}`, { headers: { 'x-trace-id': id } })),
    )) as Dispatched[];
    await expectKeptApart(responses);
    await Promise.all(responses.map((response) => response.waitUntil()));
    for (const id of ids) expect(eventsOf(id).map((event) => event.event)).toEqual(['http_request', 'http_request', 'http_request']);
  });

  it('turns a thrown error into a logged 500', async () => {
    const response = (await edgeFunction.dispatchFetch('https://app.example.com/boom', { headers: { traceparent: TRACEPARENT } })) as Dispatched;
    expect(response.status).toBe(500);
    expect(response.headers.get('x-trace-id')).toBe(TRACE);
    await response.waitUntil();
    const [error, request] = eventsOf(TRACE);
    expect(error).toMatchObject({ event: 'client_error', level: 'error', error: { type: 'TypeError', message: 'boom at the edge', handled: false } });
    expect(request).toMatchObject({ event: 'http_request', level: 'error', http: { url: '/boom', status_code: 500 } });
  });
});

describe('Next.js middleware (nextMiddleware in @edge-runtime/vm)', () => {
  it('forwards the trace headers to the route and sets x-trace-id on the response', async () => {
    const response = (await middleware.dispatchFetch('https://app.example.com/dashboard', {
      headers: { traceparent: TRACEPARENT, tracestate: 'congo=t61rcWkgMzE', cookie: 'a=1' },
    })) as Dispatched;
    expect(response.headers.get('x-middleware-next')).toBe('1');
    const forwarded = response.headers.get('x-middleware-request-traceparent')!;
    expect(forwarded).toMatch(new RegExp(`^00-${TRACE}-(?!${SPAN})[\\da-f]{16}-01$`));
    expect(response.headers.get('x-middleware-request-tracestate')).toBe('congo=t61rcWkgMzE');
    expect(response.headers.get('x-middleware-request-x-trace-id')).toBe(TRACE);
    expect(response.headers.get('x-middleware-request-cookie')).toBe('a=1');
    expect(response.headers.get('x-trace-id')).toBe(TRACE);
    expect(response.headers.get('server-timing')).toBe(`traceparent;desc="${forwarded}"`);
    await response.waitUntil();
    expect(eventsOf(TRACE)).toEqual([
      expect.objectContaining({ service: 'next-middleware', http: expect.objectContaining({ url: '/dashboard', status_code: 200 }) }),
    ]);
  });

  it('uses the app’s own answer when it returns one', async () => {
    const response = (await middleware.dispatchFetch('https://app.example.com/old', { headers: { 'x-trace-id': TRACE }, redirect: 'manual' })) as Dispatched;
    expect(response.status).toBe(308);
    expect(response.headers.get('location')).toBe('https://app.example.com/new');
    expect(response.headers.get('x-trace-id')).toBe(TRACE);
    await response.waitUntil();
    expect(eventsOf(TRACE)[0].http).toMatchObject({ url: '/old', status_code: 308 });
  });
});
