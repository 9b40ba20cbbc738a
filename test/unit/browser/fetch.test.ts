// @vitest-environment happy-dom
import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fetchTracing } from '../../../src/browser/fetch';
import type { CaptureInput, Client } from '../../../src/core/types';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

/** Answers with what it received, like the e2e echo API. */
const server = setupServer(
  http.all('*/status/:code', ({ params }) => new HttpResponse(null, { status: Number(params.code) })),
  http.all('*/fail', () => HttpResponse.error()),
  http.all('*/slow', async () => {
    await delay(1_000);
    return HttpResponse.json({});
  }),
  http.all('*', async ({ request }) =>
    HttpResponse.json({
      method: request.method,
      url: request.url,
      // happy-dom keeps the case a header was set in; servers do not care, and neither do these tests.
      headers: Object.fromEntries([...request.headers].map(([name, value]) => [name.toLowerCase(), value])),
      body: await request.text(),
    }),
  ),
);
beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
  // msw defines its fetch read-only; a page's fetch is writable, and the integration assigns it.
  Object.defineProperty(globalThis, 'fetch', { value: globalThis.fetch, writable: true, configurable: true });
});
afterAll(() => server.close());

let teardown: (() => void) | void;
afterEach(() => {
  teardown?.();
  teardown = undefined;
});

function install(propagateTo: Array<string | RegExp> = []) {
  const events: CaptureInput[] = [];
  const client = {
    options: { sink: 'http://localhost:3000/api/log', propagateTo, correlationHeader: 'x-trace-id' },
    currentTrace: () => ({ traceId: TRACE, flags: 1 }),
    capture: (event: CaptureInput) => void events.push(event),
  } as unknown as Client;
  teardown = fetchTracing().setup(client);
  return { client, events };
}

interface Echo {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}
const echo = async (response: Promise<Response>): Promise<Echo> => (await response).json();

describe('fetchTracing', () => {
  it('sends the trace headers to the page’s origin and records the request under the span it sent', async () => {
    const { events } = install();
    const { headers } = await echo(fetch('/api/echo?q=1', { method: 'POST', body: 'hi' }));
    expect(headers).toMatchObject({ traceparent: expect.stringMatching(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`)), 'x-trace-id': TRACE });
    expect(events).toEqual([
      {
        level: 'info',
        event: 'http_request',
        http: { method: 'POST', url: 'http://localhost:3000/api/echo?q=1', status_code: 200, duration_ms: expect.any(Number), error: undefined },
        trace_id: TRACE,
        span_id: headers.traceparent.split('-')[2],
        time: expect.any(Number),
      },
    ]);
  });

  it('sends no trace headers to other origins unless propagateTo names them', async () => {
    const { events } = install(['https://api.test']);
    expect((await echo(fetch('https://other.test/x'))).headers.traceparent).toBeUndefined();
    expect((await echo(fetch(new URL('https://api.test/x')))).headers['x-trace-id']).toBe(TRACE);
    expect(events.map((e) => e.http?.url)).toEqual(['https://other.test/x', 'https://api.test/x']);
  });

  it('leaves the sink’s requests alone: no headers, no events', async () => {
    const { events } = install([/./]);
    const { headers } = await echo(fetch('/api/log?batch=1', { method: 'POST', body: '{}' }));
    expect(headers.traceparent).toBeUndefined();
    expect(events).toEqual([]);
  });

  it('never changes the caller’s headers, in any form, nor its init or Request', async () => {
    install();
    const asHeaders = new Headers({ 'x-app': 'a' });
    const asObject = { 'x-app': 'b' };
    const asPairs: Array<[string, string]> = [['x-app', 'c']];
    for (const headers of [asHeaders, asObject, asPairs]) {
      const init = { method: 'PUT', headers, body: 'x' };
      const sent = await echo(fetch('/api/echo', init));
      expect(sent).toMatchObject({ method: 'PUT', body: 'x', headers: { 'x-app': expect.any(String), traceparent: expect.any(String) } });
      expect(init).toEqual({ method: 'PUT', headers, body: 'x' });
    }
    expect([...asHeaders]).toEqual([['x-app', 'a']]);
    expect(asObject).toEqual({ 'x-app': 'b' });
    expect(asPairs).toEqual([['x-app', 'c']]);
    const request = new Request('http://localhost:3000/api/echo', { method: 'POST', headers: { 'x-app': 'd' }, body: 'from request' });
    const before = [...request.headers];
    const sent = await echo(fetch(request));
    expect(sent).toMatchObject({ method: 'POST', body: 'from request', headers: { 'x-app': 'd', traceparent: expect.any(String) } });
    expect([...request.headers]).toEqual(before);
    expect(request.headers.has('traceparent')).toBe(false);
  });

  it('lets an init’s headers replace a Request’s, as fetch does', async () => {
    install();
    const request = new Request('http://localhost:3000/api/echo', { headers: { 'x-from': 'request' } });
    const { headers } = await echo(fetch(request, { headers: { 'x-from': 'init' } }));
    expect(headers).toMatchObject({ 'x-from': 'init', traceparent: expect.any(String) });
    const kept = await echo(fetch(new Request('http://localhost:3000/api/echo', { headers: { 'x-from': 'request' } }), { method: 'GET' }));
    expect(kept.headers['x-from']).toBe('request');
  });

  it('keeps a traceparent the caller set, and records the request under its ids', async () => {
    const { events } = install();
    const { headers } = await echo(fetch('/api/echo', { headers: { traceparent: CALLER } }));
    expect([headers.traceparent, headers['x-trace-id']]).toEqual([CALLER, '0af7651916cd43dd8448eb211c80319c']);
    expect(events[0]).toMatchObject({ trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331' });
  });

  it('records 4xx as info and 5xx and network errors as errors, and rejects as fetch does', async () => {
    const { events } = install();
    expect((await fetch('/status/404')).status).toBe(404);
    expect((await fetch('/status/502')).status).toBe(502);
    const failure = await fetch('/fail').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect(events.map((e) => [e.level, e.http?.status_code, e.http?.error])).toEqual([
      ['info', 404, undefined],
      ['error', 502, undefined],
      ['error', 0, 'network_error'],
    ]);
  });

  it('records an abort as info, with the rejection the page expects', async () => {
    const { events } = install();
    const controller = new AbortController();
    const pending = fetch('/slow', { signal: controller.signal }).catch((error: unknown) => error);
    controller.abort();
    expect(await pending).toMatchObject({ name: 'AbortError' });
    const reason = new Error('superseded');
    const custom = fetch('/api/echo', { signal: AbortSignal.abort(reason) }).catch((error: unknown) => error);
    expect(await custom).toBe(reason);
    expect(events.map((e) => [e.level, e.http?.error])).toEqual([
      ['info', 'aborted'],
      ['info', 'aborted'],
    ]);
  });

  it('records a timeout signal as an error', async () => {
    const { events } = install();
    await fetch('/slow', { signal: AbortSignal.timeout(10) }).catch(() => undefined);
    expect(events.map((e) => [e.level, e.http?.error])).toEqual([['error', 'timeout']]);
  });

  it('looks like fetch: name, length, no constructor', () => {
    install();
    expect([fetch.name, fetch.length]).toEqual(['fetch', 1]);
    expect(() => new (fetch as unknown as new () => unknown)()).toThrow(TypeError);
  });

  it('restores the exact original at teardown', () => {
    const original = globalThis.fetch;
    install();
    expect(globalThis.fetch).not.toBe(original);
    teardown!();
    teardown = undefined;
    expect(globalThis.fetch).toBe(original);
  });

  it('leaves a wrapper added later in place at teardown, and then passes its calls through untouched', async () => {
    const original = globalThis.fetch;
    const { events } = install();
    const ours = globalThis.fetch;
    const later = ((input: RequestInfo | URL, init?: RequestInit) => ours(input, init)) as typeof fetch;
    globalThis.fetch = later;
    teardown!();
    teardown = undefined;
    try {
      expect(globalThis.fetch).toBe(later);
      const { headers } = await echo(fetch('/api/echo'));
      expect(headers.traceparent).toBeUndefined();
      expect(events).toEqual([]);
    } finally {
      globalThis.fetch = original;
    }
  });

  it('finds the caller’s traceparent in a plain object whatever its case', async () => {
    const { events } = install();
    const { headers } = await echo(fetch('/api/echo', { headers: { TraceParent: CALLER } }));
    expect([headers.traceparent, headers['x-trace-id']]).toEqual([CALLER, '0af7651916cd43dd8448eb211c80319c']);
    expect(events[0].span_id).toBe('b7ad6b7169203331');
  });

  describe('over a recording fetch', () => {
    const original = globalThis.fetch;
    let calls: Array<{ self: unknown; args: unknown[] }>;
    let answer: unknown;
    afterEach(() => void (globalThis.fetch = original));
    function installOver(currentTrace: () => unknown = () => ({ traceId: TRACE, flags: 1 })) {
      calls = [];
      answer = Promise.resolve(new Response('ok'));
      globalThis.fetch = function (this: unknown, ...args: unknown[]) {
        calls.push({ self: this, args });
        return answer;
      } as typeof fetch;
      const client = {
        options: { sink: 'http://localhost:3000/api/log', propagateTo: [], correlationHeader: 'x-trace-id' },
        capture: () => {},
        currentTrace,
      } as unknown as Client;
      teardown = fetchTracing().setup(client);
    }

    it('falls back to the original call, with the init as it was read, when the SDK fails', async () => {
      installOver(() => {
        throw new Error('broken');
      });
      const headers = { a: 'b' };
      const self = {};
      await fetch.call(self, '/api/echo', { headers });
      expect(calls).toEqual([{ self, args: ['/api/echo', expect.objectContaining({ headers })] }]);
      // The caller's own headers, untraced: the init's members were read once, and are passed on as read.
      expect((calls[0].args[1] as RequestInit).headers).toBe(headers);
    });

    it('passes unreadable input on for fetch itself to refuse, without reading the caller’s init again', async () => {
      installOver();
      const headers = [['only-a-name']];
      let reads = 0;
      const badHeaders = {
        get headers() {
          reads++;
          return headers;
        },
      } as unknown as RequestInit;
      await fetch('/api/echo', badHeaders);
      await fetch('http://[::1', {});
      expect(calls.map((call) => call.args[0])).toEqual(['/api/echo', 'http://[::1']);
      expect((calls[0].args[1] as RequestInit).headers).toBe(headers);
      expect(reads).toBe(1);
    });

    it('rejects with the error a getter of the caller’s init threw, as fetch does, and calls no fetch', async () => {
      installOver();
      const thrown = new Error('getter');
      const init = {
        get method(): string {
          throw thrown;
        },
      };
      await expect(fetch('/api/echo', init)).rejects.toBe(thrown);
      expect(calls).toEqual([]);
    });

    it('returns what an underlying fetch returns even when it is no promise', () => {
      installOver();
      answer = 'not a promise';
      expect(fetch('/api/echo')).toBe('not a promise');
    });

    it('keeps a Request’s referrer policy when it adds headers', () => {
      installOver();
      const request = new Request('http://localhost:3000/api/echo', { referrerPolicy: 'no-referrer' });
      void fetch(request);
      const init = calls[0].args[1] as RequestInit;
      expect(calls[0].args[0]).toBe(request);
      expect(init).toMatchObject({ referrer: request.referrer, referrerPolicy: 'no-referrer' });
      expect(new Headers(init.headers).get('traceparent')).toMatch(/^00-/);
    });
  });
});
