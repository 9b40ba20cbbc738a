import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { withTelemetry, type EdgeOptions, type RequestTelemetry } from '../../../src/edge/index';
import { HEX16, HEX32, SPAN, TRACE, TRACEPARENT, closeServers, context, header, startOrigin, startSink, waitFor, type Ctx, type Sink } from './helpers';

const settle = (ctx: Ctx): Promise<unknown> => Promise.all(ctx.promises);

let sink: Sink;
let origin: Awaited<ReturnType<typeof startOrigin>>;
const realFetch = globalThis.fetch;

beforeAll(async () => {
  [sink, origin] = await Promise.all([startSink(), startOrigin()]);
});

afterEach(async () => {
  globalThis.fetch = realFetch;
  delete (globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage;
  // Without a waitUntil the events of a request float; let them land before the next test.
  await sink.reset();
  origin.calls.length = 0;
});

afterAll(closeServers);

const options = (extra: Partial<EdgeOptions> = {}): EdgeOptions => ({ sink: sink.url, service: 'edge-test', release: '1.2.3', environment: 'test', ...extra });

const request = (path = '/checkout', headers: Record<string, string> = {}, init: RequestInit = {}): Request =>
  new Request(`https://shop.example.com${path}`, { headers, ...init });

describe('withTelemetry: the trace', () => {
  it('continues a valid traceparent: new span, same trace and flags, tracestate passed on', async () => {
    let seen: RequestTelemetry | undefined;
    const handler = withTelemetry(
      async (_request: Request, _env: unknown, _ctx: Ctx, telemetry: RequestTelemetry) => {
        seen = telemetry;
        const answer = await telemetry.fetch(`${origin.url}/api`);
        return new Response(await answer.text());
      },
      options({ propagateTo: [origin.url] }),
    );
    const ctx = context();
    const before = Date.now();
    const response = await handler(request('/checkout', { traceparent: `00-${TRACE}-${SPAN}-00`, tracestate: 'rojo=1, congo=2' }), {}, ctx);
    const answered = Date.now();
    await settle(ctx);

    expect(seen!.traceId).toBe(TRACE);
    const [, traceId, spanId, flags] = seen!.traceparent.split('-');
    expect([traceId, flags]).toEqual([TRACE, '00']);
    expect(spanId).toMatch(HEX16);
    expect(spanId).not.toBe(SPAN);

    const call = origin.calls[0];
    // The call's own span, a child of this hop's.
    const callSpan = header(call, 'traceparent')!.split('-')[2];
    expect(header(call, 'traceparent')).toBe(`00-${TRACE}-${callSpan}-00`);
    expect([spanId, SPAN]).not.toContain(callSpan);
    expect(header(call, 'tracestate')).toBe('rojo=1,congo=2');
    expect(header(call, 'x-trace-id')).toBe(TRACE);

    expect(response.headers.get('x-trace-id')).toBe(TRACE);
    expect(response.headers.get('server-timing')).toBe(`traceparent;desc="${seen!.traceparent}"`);

    const [callEvent, event] = await sink.waitForEvents(2);
    expect(callEvent).toMatchObject({
      event: 'http_request',
      trace_id: TRACE,
      span_id: callSpan,
      parent_span_id: spanId,
      http: { method: 'GET', url: `${origin.url}/api`, status_code: 200 },
    });
    expect(event).toMatchObject({
      event: 'http_request',
      level: 'info',
      service: 'edge-test',
      release: '1.2.3',
      environment: 'test',
      trace_id: TRACE,
      span_id: spanId,
      parent_span_id: SPAN,
      http: { method: 'GET', url: '/checkout', status_code: 200 },
      sdk: { name: 'tracebeam' },
    });
    expect(event.http!.duration_ms).toBeGreaterThanOrEqual(0);
    // Stamped when the request came in, so a timeline puts it before what it led to.
    expect(Date.parse(event.timestamp)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(event.timestamp) + event.http!.duration_ms!).toBeLessThanOrEqual(answered);
  });

  it('starts a new trace for an invalid traceparent and drops tracestate', async () => {
    let seen: RequestTelemetry | undefined;
    const handler = withTelemetry((_request: Request, telemetry: RequestTelemetry) => {
      seen = telemetry;
      return new Response(null, { headers: { 'x-trace-id': 'from the app' } });
    }, options());
    const response = await handler(request('/', { traceparent: `00-${TRACE.toUpperCase()}-${SPAN}-01`, tracestate: 'rojo=1' }));
    expect(seen!.traceId).toMatch(HEX32);
    expect(seen!.traceId).not.toBe(TRACE);
    expect(seen!.traceparent).toMatch(new RegExp(`^00-${seen!.traceId}-[\\da-f]{16}-03$`));
    expect(seen!.forward(new Headers({ tracestate: 'rojo=1' })).has('tracestate')).toBe(false);
    expect(response.headers.get('x-trace-id')).toBe(seen!.traceId);
    const [event] = await sink.waitForEvents(1);
    expect(event.trace_id).toBe(seen!.traceId);
    expect(event.parent_span_id).toBeUndefined();
  });

  it('takes the x-trace-id of a request without traceparent when it is 32 hex digits', async () => {
    const handler = withTelemetry(() => new Response('ok'), options());
    const response = await handler(request('/', { 'x-trace-id': TRACE }));
    expect(response.headers.get('x-trace-id')).toBe(TRACE);
    expect((await sink.waitForEvents(1))[0].trace_id).toBe(TRACE);
  });

  it('uses the configured correlation header, in and out', async () => {
    const handler = withTelemetry(
      async (_request: Request, telemetry: RequestTelemetry) => telemetry.fetch(`${origin.url}/x`),
      options({ correlationHeader: 'x-request-id', propagateTo: [origin.url] }),
    );
    const response = await handler(request('/', { 'x-request-id': TRACE }));
    expect(response.headers.get('x-request-id')).toBe(TRACE);
    expect(response.headers.has('x-trace-id')).toBe(false);
    expect(header(origin.calls[0], 'x-request-id')).toBe(TRACE);
  });
});

describe('withTelemetry: outgoing calls', () => {
  it('sends the headers to the same origin and to propagateTo targets, not to others, never to the sink', async () => {
    // The handler's own origin is the origin server here, so same-origin is testable for real.
    const calls: Array<[string, Headers]> = [];
    globalThis.fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push([String(input instanceof Request ? input.url : input), new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined))]);
      return new Response('ok');
    }) as typeof fetch;
    const handler = withTelemetry(
      async (_request: Request, telemetry: RequestTelemetry) => {
        await telemetry.fetch('https://shop.example.com/api/cart');
        await telemetry.fetch('https://api.example.com/v1');
        await telemetry.fetch(new URL('https://cdn.example.net/x.js'));
        await telemetry.fetch(new Request('https://img.partner.io/pic'));
        await telemetry.fetch('https://tracker.other.org/');
        await telemetry.fetch(`${sink.url}?q=1`);
        await telemetry.fetch('/relative/path');
        return new Response('ok');
      },
      options({ propagateTo: ['https://api.example.com', /^https:\/\/[^/]*\.example\.net\//, /partner\.io/] }),
    );
    await handler(request('/', { traceparent: TRACEPARENT }));
    // The wrapper's own POST to the sink goes through the same (stubbed) fetch: leave it out.
    const traced = Object.fromEntries(calls.filter(([url]) => url !== sink.url).map(([url, headers]) => [url, headers.get('traceparent') !== null]));
    expect(traced).toEqual({
      'https://shop.example.com/api/cart': true,
      'https://api.example.com/v1': true,
      'https://cdn.example.net/x.js': true,
      'https://img.partner.io/pic': true,
      'https://tracker.other.org/': false,
      [`${sink.url}?q=1`]: false,
      '/relative/path': true,
    });
  });

  it('never mutates the caller’s Headers, Request or init, and keeps the rest of the init', async () => {
    const headers = new Headers({ accept: 'application/json' });
    const init: RequestInit = { method: 'POST', headers, body: '{"a":1}' };
    const outgoing = new Request(`${origin.url}/post`, { headers: { 'x-own': '1' } });
    const handler = withTelemetry(
      async (_request: Request, telemetry: RequestTelemetry) => {
        const first = await telemetry.fetch(`${origin.url}/echo`, init);
        const second = await telemetry.fetch(outgoing);
        return new Response(JSON.stringify([await first.json(), await second.json()]));
      },
      options({ propagateTo: [origin.url] }),
    );
    await handler(request());
    expect([...headers]).toEqual([['accept', 'application/json']]);
    expect(init).toEqual({ method: 'POST', headers, body: '{"a":1}' });
    expect(outgoing.headers.has('traceparent')).toBe(false);
    const [echo, post] = origin.calls;
    expect(echo.headers).toMatchObject({ accept: 'application/json', 'content-length': '7' });
    expect(header(echo, 'traceparent')).toMatch(/^00-/);
    expect(header(post, 'x-own')).toBe('1');
    expect(header(post, 'traceparent')).toMatch(/^00-/);
  });

  it('keeps a traceparent the caller set, but replaces the incoming one a proxy passes on', async () => {
    const handler = withTelemetry(
      async (incoming: Request, telemetry: RequestTelemetry) => {
        await telemetry.fetch(`${origin.url}/own`, { headers: { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` } });
        await telemetry.fetch(new Request(`${origin.url}/proxied`, incoming));
        return new Response('ok');
      },
      options({ propagateTo: [origin.url] }),
    );
    await handler(request('/', { traceparent: TRACEPARENT, tracestate: 'rojo=1' }));
    const [own, proxied] = origin.calls;
    expect(header(own, 'traceparent')).toBe(`00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`);
    expect(header(proxied, 'traceparent')).toMatch(new RegExp(`^00-${TRACE}-(?!${SPAN})[\\da-f]{16}-01$`));
    expect(header(proxied, 'tracestate')).toBe('rojo=1');
  });

  it('fails the way fetch fails for an unusable URL', async () => {
    const handler = withTelemetry(async (_request: Request, telemetry: RequestTelemetry) => {
      try {
        await telemetry.fetch('http://[bad');
        return new Response('no error');
      } catch (error) {
        return new Response((error as Error).name);
      }
    }, options());
    expect(await (await handler(request())).text()).toBe('TypeError');
  });

  it('with AsyncLocalStorage, the global fetch carries each request’s own trace, concurrently', async () => {
    const handler = withTelemetry(
      async (incoming: Request) => {
        const delay = new URL(incoming.url).searchParams.get('delay');
        await new Promise((resolve) => setTimeout(resolve, Number(delay)));
        const answer = await fetch(`${origin.url}/global?delay=${delay}`);
        return new Response(await answer.text());
      },
      options({ propagateTo: [origin.url], asyncLocalStorage: AsyncLocalStorage }),
    );
    const ids = Array.from({ length: 5 }, (_, i) => String(i + 1).repeat(32));
    const responses = await Promise.all(ids.map((id, i) => handler(request(`/?delay=${(5 - i) * 20}`, { 'x-trace-id': id }))));
    for (const [i, response] of responses.entries()) {
      const echoed = (await response.json()) as Record<string, string>;
      expect(echoed['x-trace-id']).toBe(ids[i]);
      expect(echoed.traceparent).toMatch(new RegExp(`^00-${ids[i]}-`));
      expect(response.headers.get('x-trace-id')).toBe(ids[i]);
    }
    // Outside any request the patched fetch is the plain one.
    await fetch(`${origin.url}/outside`);
    expect(origin.calls.at(-1)!.headers.traceparent).toBeUndefined();
  });

  it('uses a global AsyncLocalStorage (Vercel Edge, Next.js) without being told', async () => {
    Object.assign(globalThis, { AsyncLocalStorage });
    const handler = withTelemetry(async () => fetch(`${origin.url}/auto`), options({ propagateTo: [origin.url] }));
    await handler(request('/', { traceparent: TRACEPARENT }));
    expect(header(origin.calls[0], 'traceparent')).toMatch(new RegExp(`^00-${TRACE}-`));
  });

  it('without AsyncLocalStorage, leaves the global fetch alone', async () => {
    const before = globalThis.fetch;
    const handler = withTelemetry(async () => fetch(`${origin.url}/plain`), options({ propagateTo: [origin.url] }));
    await handler(request('/', { traceparent: TRACEPARENT }));
    expect(globalThis.fetch).toBe(before);
    expect(header(origin.calls[0], 'traceparent')).toBeUndefined();
  });
});

describe('withTelemetry: the response and the events', () => {
  it('appends to an existing Server-Timing and keeps the rest of the response', async () => {
    const handler = withTelemetry(
      () => new Response('body', { status: 201, statusText: 'Made', headers: { 'server-timing': 'db;dur=53', 'x-app': '1' } }),
      options(),
    );
    const response = await handler(request());
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Made');
    expect(response.headers.get('x-app')).toBe('1');
    expect(response.headers.get('server-timing')).toMatch(/^db;dur=53, traceparent;desc="00-[\da-f]{32}-[\da-f]{16}-03"$/);
    expect(await response.text()).toBe('body');
  });

  it('copies a response whose headers are immutable (one straight from fetch)', async () => {
    const handler = withTelemetry(async () => realFetch(`${origin.url}/passthrough`), options());
    const response = await handler(request());
    expect(response.headers.get('x-trace-id')).toMatch(HEX32);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toMatchObject({ host: expect.stringContaining('127.0.0.1') });
  });

  it('turns a thrown error into a logged 500, with the trace id on the answer', async () => {
    const handler = withTelemetry((_request: Request, _ctx: Ctx) => {
      throw new TypeError('cart is undefined');
    }, options());
    const ctx = context();
    const response = await handler(request('/boom', { traceparent: TRACEPARENT }), ctx);
    expect(response.status).toBe(500);
    expect(response.headers.get('x-trace-id')).toBe(TRACE);
    await settle(ctx);
    const events = await sink.waitForEvents(2);
    expect(events.map((event) => event.event)).toEqual(['client_error', 'http_request']);
    expect(events[0]).toMatchObject({ level: 'error', trace_id: TRACE, error: { type: 'TypeError', message: 'cart is undefined', handled: false } });
    expect(events[0].error!.stack).toContain('cart is undefined');
    expect(events[1]).toMatchObject({ level: 'error', http: { url: '/boom', status_code: 500 } });
  });

  it('rethrows after logging when asked', async () => {
    const handler = withTelemetry(async () => Promise.reject('plain string'), options({ rethrow: true }));
    await expect(handler(request())).rejects.toBe('plain string');
    const events = await sink.waitForEvents(2);
    expect(events[0].error).toMatchObject({ type: 'string', message: 'plain string', handled: false });
  });

  it('logs 4xx as warn, and the app’s own events with their attributes', async () => {
    const handler = withTelemetry((_r: Request, telemetry: RequestTelemetry) => {
      telemetry.log('info', 'cartLoaded', { items: 3, level: 'clash', nested: { deep: [1n] } });
      telemetry.captureError(new RangeError('bad size'), { sku: 'x1' });
      return new Response(null, { status: 404 });
    }, options());
    await handler(request());
    const events = await sink.waitForEvents(3);
    expect(events.map((event) => [event.event, event.level])).toEqual([
      ['cart_loaded', 'info'],
      ['client_error', 'error'],
      ['http_request', 'warn'],
    ]);
    expect(events[0]).toMatchObject({ items: 3, attr_level: 'clash', nested: '[object Object]' });
    expect(events[1]).toMatchObject({ sku: 'x1', error: { type: 'RangeError', handled: true } });
  });

  it('scrubs secret query values from the logged path', async () => {
    const handler = withTelemetry(() => new Response(), options());
    await handler(request('/cb?code=abc&state=ok&access_token=t0k&apiKey=k&page=2'));
    const [event] = await sink.waitForEvents(1);
    expect(event.http!.url).toBe('/cb?code=[redacted]&state=ok&access_token=[redacted]&apiKey=[redacted]&page=2');
  });

  it('answers before the sink does: the events go in waitUntil', async () => {
    const slow = await startSink({ delayMs: 400 });
    const handler = withTelemetry((_request: Request, _ctx: Ctx) => new Response('fast'), options({ sink: slow.url }));
    const ctx = context();
    const response = await handler(request(), ctx);
    expect(await response.text()).toBe('fast');
    // Answered while the sink has not received the event yet: sending waits in waitUntil.
    expect(ctx.promises).toHaveLength(1);
    expect(slow.events).toHaveLength(0);
    await settle(ctx);
    expect(slow.events.map((event) => event.event)).toEqual(['http_request']);
  });

  it('sends events logged after the response in a later waitUntil', async () => {
    let later: RequestTelemetry | undefined;
    const handler = withTelemetry((_r: Request, _e: unknown, _c: Ctx, telemetry: RequestTelemetry) => {
      later = telemetry;
      return new Response();
    }, options());
    const ctx = context();
    await handler(request(), {}, ctx);
    later!.log('info', 'after_response');
    expect(ctx.promises).toHaveLength(2);
    await settle(ctx);
    expect(sink.events.map((event) => event.event).sort()).toEqual(['after_response', 'http_request']);
  });

  it('lets beforeSend change or drop events', async () => {
    const handler = withTelemetry(
      (_r: Request, telemetry: RequestTelemetry) => {
        telemetry.log('debug', 'noise');
        return new Response();
      },
      options({ beforeSend: (event) => (event.event === 'noise' ? null : { ...event, region: 'eu' }) }),
    );
    await handler(request());
    const events = await sink.waitForEvents(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ event: 'http_request', region: 'eu' });
  });

  it('does not trace the sink’s own requests', async () => {
    const handler = withTelemetry((_r: Request, telemetry: RequestTelemetry) => new Response(telemetry.traceId), options());
    const response = await handler(new Request(sink.url, { method: 'POST', body: '{}' }));
    expect(await response.text()).toBe('');
    expect(response.headers.has('x-trace-id')).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sink.requests).toHaveLength(0);
  });

  it('never breaks the response when the sink is down', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const handler = withTelemetry((_request: Request, _ctx: Ctx) => new Response('still here'), options({ sink: 'http://127.0.0.1:9/api/log' }));
    const ctx = context();
    const response = await handler(request(), ctx);
    expect(await response.text()).toBe('still here');
    await waitFor(() => errors.mock.calls.length > 0, 8_000, 'the delivery failure to be reported');
    expect(String(errors.mock.calls[0][0])).toContain('the sink did not take 1 event(s)');
  }, 10_000);
});

describe('withTelemetry: options', () => {
  it.each([
    ['sink', { sink: '/api/log' }, 'option `sink` must be an absolute http(s) URL'],
    ['sink', { sink: 'ftp://logs.example.com' }, 'option `sink` must be an absolute http(s) URL'],
    ['service', { service: '' }, 'option `service` must be a non-empty string'],
    ['correlationHeader', { correlationHeader: 'x trace' }, 'option `correlationHeader` must be a header name'],
    ['propagateTo', { propagateTo: 'https://api.example.com' as unknown as string[] }, 'option `propagateTo` must be an array of origins and RegExps'],
    ['propagateTo', { propagateTo: ['api.example.com'] }, 'option `propagateTo` must be an array of origins and RegExps'],
    ['beforeSend', { beforeSend: 'drop' as unknown as () => null }, 'option `beforeSend` must be a function'],
  ])('a wrong %s gives one console error and a pass-through wrapper', async (_name, wrong, message) => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const app = vi.fn((incoming: Request, _ctx: Ctx, telemetry: RequestTelemetry) => {
      telemetry.log('info', 'ignored');
      return new Response(incoming.headers.get('traceparent'), { status: 418 });
    });
    const handler = withTelemetry(app, { ...options(), ...wrong });
    const ctx = context();
    const response = await handler(request('/', { traceparent: TRACEPARENT }), ctx);
    await handler(request(), ctx);
    await sink.settled();
    expect(sink.requests).toHaveLength(0);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(errors.mock.calls[0][0]).toBe(`[tracebeam] ${message}; telemetry is off.`);
    expect(response.status).toBe(418);
    expect(await response.text()).toBe(TRACEPARENT);
    expect([...response.headers.keys()]).toEqual(['content-type']);
    expect(app.mock.calls[0][2].forward().get('traceparent')).toBe(TRACEPARENT);
    expect(ctx.promises).toHaveLength(0);
  });

  it('a missing options object is reported too', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const handler = withTelemetry(() => new Response('ok'), undefined as unknown as EdgeOptions);
    expect(await (await handler(request())).text()).toBe('ok');
    expect(errors.mock.calls[0][0]).toBe('[tracebeam] option `service` must be a non-empty string; telemetry is off.');
  });

  it('patches nothing before the first request', () => {
    const before = globalThis.fetch;
    withTelemetry(() => new Response(), options({ asyncLocalStorage: AsyncLocalStorage }));
    expect(globalThis.fetch).toBe(before);
  });
});
