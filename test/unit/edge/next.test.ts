import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { nextMiddleware, type NextResponseLike } from '../../../src/edge/index';
import { SPAN, TRACE, TRACEPARENT, closeServers, context, startSink, type Ctx, type Sink } from './helpers';

/** What `NextResponse.next()` was given, and a response like the one it makes. */
function fakeNextResponse(): NextResponseLike & { forwarded: Array<Headers | undefined> } {
  const forwarded: Array<Headers | undefined> = [];
  return {
    forwarded,
    next(init) {
      forwarded.push(init?.request?.headers);
      return new Response(null, { headers: { 'x-middleware-next': '1' } });
    },
  };
}

let sink: Sink;

beforeAll(async () => {
  sink = await startSink();
});

afterEach(() => sink.reset());

afterAll(closeServers);

const request = (headers: Record<string, string> = {}) => new Request('https://app.example.com/dashboard?tab=2', { headers });

describe('nextMiddleware', () => {
  it('goes on to the route with this hop’s trace headers, and sets x-trace-id on the response', async () => {
    const NextResponse = fakeNextResponse();
    const middleware = nextMiddleware(NextResponse, { sink: sink.url, service: 'web' });
    const event = context();
    const response = await middleware(request({ traceparent: TRACEPARENT, tracestate: 'rojo=1', cookie: 'a=b' }), event);

    const headers = NextResponse.forwarded[0]!;
    const traceparent = headers.get('traceparent')!;
    expect(traceparent).toMatch(new RegExp(`^00-${TRACE}-[\\da-f]{16}-01$`));
    expect(traceparent).not.toContain(SPAN);
    expect(headers.get('tracestate')).toBe('rojo=1');
    expect(headers.get('x-trace-id')).toBe(TRACE);
    expect(headers.get('cookie')).toBe('a=b');

    expect(response.headers.get('x-middleware-next')).toBe('1');
    expect(response.headers.get('x-trace-id')).toBe(TRACE);
    expect(response.headers.get('server-timing')).toBe(`traceparent;desc="${traceparent}"`);

    expect(event.promises).toHaveLength(1);
    await Promise.all(event.promises);
    expect(sink.events).toMatchObject([{ event: 'http_request', trace_id: TRACE, http: { url: '/dashboard?tab=2', status_code: 200 } }]);
  });

  it('uses what the app’s middleware returns, and hands it the telemetry', async () => {
    const NextResponse = fakeNextResponse();
    const middleware = nextMiddleware<Request, Ctx>(NextResponse, { sink: sink.url, service: 'web' }, (incoming, _event, telemetry) => {
      telemetry.log('info', 'redirected', { from: new URL(incoming.url).pathname });
      return Response.redirect('https://app.example.com/login', 307);
    });
    const event = context();
    const response = await middleware(request({ 'x-trace-id': TRACE }), event);
    expect(response.status).toBe(307);
    expect(response.headers.get('x-trace-id')).toBe(TRACE);
    expect(NextResponse.forwarded).toHaveLength(0);
    await Promise.all(event.promises);
    expect(sink.events.map((item) => [item.event, item.trace_id])).toEqual([
      ['redirected', TRACE],
      ['http_request', TRACE],
    ]);
  });

  it('goes on to the route when the app’s middleware returns nothing', async () => {
    const NextResponse = fakeNextResponse();
    const middleware = nextMiddleware(NextResponse, { sink: sink.url, service: 'web' }, async () => undefined);
    await middleware(request(), context());
    expect(NextResponse.forwarded[0]!.get('traceparent')).toMatch(/^00-/);
  });

  it('with wrong options, continues to the route with the headers as they came', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const NextResponse = fakeNextResponse();
    const middleware = nextMiddleware(NextResponse, { sink: 'not a url', service: 'web' });
    const event = context();
    const response = await middleware(request({ traceparent: TRACEPARENT }), event);
    expect(NextResponse.forwarded[0]!.get('traceparent')).toBe(TRACEPARENT);
    expect(response.headers.has('x-trace-id')).toBe(false);
    expect(event.promises).toHaveLength(0);
  });

  it.each([
    ['the sink’s URL spelled with localhost', (sink: URL) => sink.href.replace('127.0.0.1', 'localhost')],
    ['the sink’s path under the Host a proxy set', (sink: URL) => `https://app.example.com${sink.pathname}`],
    ['the sink’s path with a trailing slash and a query', (sink: URL) => `http://localhost:${sink.port}${sink.pathname}/?from=beacon`],
  ])('never traces a request to %s, whatever the matcher lets through', async (_case, target) => {
    const NextResponse = fakeNextResponse();
    const middleware = nextMiddleware(NextResponse, { sink: sink.url, service: 'web' });
    const event = context();
    const response = await middleware(
      new Request(target(new URL(sink.url)), { method: 'POST', body: '{"events":[]}', headers: { traceparent: TRACEPARENT } }),
      event,
    );
    // Passed on as it came: no hop, no trace headers, no event to feed back into the sink.
    expect(NextResponse.forwarded[0]!.get('traceparent')).toBe(TRACEPARENT);
    expect(response.headers.has('x-trace-id')).toBe(false);
    expect(event.promises).toHaveLength(0);
    await sink.settled();
    expect(sink.requests).toHaveLength(0);
  });

  it('still traces the app’s other paths on the same server', async () => {
    const NextResponse = fakeNextResponse();
    const middleware = nextMiddleware(NextResponse, { sink: sink.url, service: 'web' });
    const event = context();
    const page = new URL(sink.url);
    page.hostname = 'localhost';
    page.pathname = '/cart';
    await middleware(new Request(page), event);
    await Promise.all(event.promises);
    expect(sink.events).toMatchObject([{ event: 'http_request', http: { url: '/cart' } }]);
  });
});
