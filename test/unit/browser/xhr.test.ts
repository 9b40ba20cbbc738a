// @vitest-environment happy-dom
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { xhrTracing } from '../../../src/browser/xhr';
import type { CaptureInput, Client } from '../../../src/core/types';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

/**
 * Real servers, not msw: msw's XMLHttpRequest interceptor answers in place of `send`, so a patched
 * `send` would never run. The page moves to the first one's origin; the second is another origin.
 */
function echoServer(): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-headers', '*');
    if (url.pathname.startsWith('/status/')) res.statusCode = Number(url.pathname.slice(8));
    const answer = () => res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers }));
    if (url.pathname === '/slow') setTimeout(answer, 1_000);
    else answer();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })),
  );
}

let page: Awaited<ReturnType<typeof echoServer>>;
let other: Awaited<ReturnType<typeof echoServer>>;
let closedOrigin: string;
beforeAll(async () => {
  [page, other] = await Promise.all([echoServer(), echoServer()]);
  const closed = await echoServer();
  closedOrigin = closed.origin;
  closed.server.close();
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(page.origin + '/app/');
});
afterAll(() => {
  page.server.closeAllConnections();
  other.server.closeAllConnections();
  page.server.close();
  other.server.close();
});

let teardown: (() => void) | void;
afterEach(() => {
  teardown?.();
  teardown = undefined;
});

function install(propagateTo: Array<string | RegExp> = [], trace: () => unknown = () => ({ traceId: TRACE, flags: 1 })) {
  const events: CaptureInput[] = [];
  const client = {
    options: { sink: page.origin + '/api/log', propagateTo, correlationHeader: 'x-trace-id' },
    currentTrace: trace,
    capture: (event: CaptureInput) => void events.push(event),
  } as unknown as Client;
  teardown = xhrTracing().setup(client);
  return { events };
}

/** Sends `xhr` (opened by the caller) and resolves with the type of the event that ended it. */
function run(xhr: XMLHttpRequest): Promise<string> {
  return new Promise((resolve) => {
    for (const type of ['load', 'error', 'abort', 'timeout']) xhr.addEventListener(type, () => resolve(type));
    xhr.send();
  });
}

function request(method: string, url: string, headers: Record<string, string> = {}): XMLHttpRequest {
  const xhr = new XMLHttpRequest();
  xhr.open(method, url);
  for (const name in headers) xhr.setRequestHeader(name, headers[name]);
  return xhr;
}

const sentHeaders = (xhr: XMLHttpRequest): Record<string, string> => JSON.parse(xhr.responseText).headers;

describe('xhrTracing', () => {
  it('sends the trace headers to the page’s origin and records the request under the span it sent', async () => {
    const { events } = install();
    const xhr = request('post', '/api/echo?q=1', { 'x-app': 'yes' });
    expect(await run(xhr)).toBe('load');
    const headers = sentHeaders(xhr);
    expect(headers).toMatchObject({ 'x-app': 'yes', traceparent: expect.stringMatching(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-01$`)), 'x-trace-id': TRACE });
    expect(events).toEqual([
      {
        level: 'info',
        event: 'http_request',
        http: { method: 'POST', url: page.origin + '/api/echo?q=1', status_code: 200, duration_ms: expect.any(Number), error: undefined },
        trace_id: TRACE,
        span_id: headers.traceparent.split('-')[2],
        time: expect.any(Number),
      },
    ]);
  });

  it('sends no trace headers to other origins unless propagateTo names them', async () => {
    const { events } = install([new RegExp('^' + other.origin + '/allowed/')]);
    const plain = request('GET', other.origin + '/x');
    const allowed = request('GET', new URL(other.origin + '/allowed/x') as unknown as string);
    await run(plain);
    await run(allowed);
    expect(sentHeaders(plain).traceparent).toBeUndefined();
    expect(sentHeaders(allowed)['x-trace-id']).toBe(TRACE);
    expect(events.map((e) => e.http?.url)).toEqual([other.origin + '/x', other.origin + '/allowed/x']);
  });

  it('leaves the sink’s requests alone: no headers, no events', async () => {
    const { events } = install([/./]);
    const xhr = request('POST', '/api/log');
    await run(xhr);
    expect(sentHeaders(xhr).traceparent).toBeUndefined();
    expect(events).toEqual([]);
  });

  it('keeps the caller’s traceparent and correlation header, never doubling them', async () => {
    const { events } = install();
    const xhr = request('GET', '/api/echo', { TraceParent: CALLER, 'X-Trace-Id': 'mine' });
    await run(xhr);
    expect(sentHeaders(xhr)).toMatchObject({ traceparent: CALLER, 'x-trace-id': 'mine' });
    expect(events[0]).toMatchObject({ trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331' });
  });

  it('records 4xx as info and 5xx and network errors as errors', async () => {
    const { events } = install();
    expect(await run(request('GET', '/status/404'))).toBe('load');
    expect(await run(request('GET', '/status/500'))).toBe('load');
    expect(await run(request('GET', closedOrigin + '/x'))).toBe('error');
    expect(events.map((e) => [e.level, e.http?.status_code, e.http?.error])).toEqual([
      ['info', 404, undefined],
      ['error', 500, undefined],
      ['error', 0, 'network_error'],
    ]);
  });

  it('records an abort as info', async () => {
    const { events } = install();
    const xhr = request('GET', '/slow');
    const ended = run(xhr);
    xhr.abort();
    expect(await ended).toBe('abort');
    expect(events.map((e) => [e.level, e.http?.error])).toEqual([['info', 'aborted']]);
  });

  it('records each request of a reused object once, with its own span', async () => {
    const { events } = install();
    const xhr = new XMLHttpRequest();
    const spans: string[] = [];
    for (const path of ['/api/a', '/api/b', '/status/503']) {
      xhr.open('GET', path);
      await run(xhr);
      if (xhr.status === 200) spans.push(sentHeaders(xhr).traceparent.split('-')[2]);
    }
    expect(events.map((e) => [e.http?.url, e.http?.status_code])).toEqual([
      [page.origin + '/api/a', 200],
      [page.origin + '/api/b', 200],
      [page.origin + '/status/503', 503],
    ]);
    expect(events.slice(0, 2).map((e) => e.span_id)).toEqual(spans);
  });

  it('records a request that a second open cancels as aborted, and the next one as itself', async () => {
    const { events } = install();
    const xhr = request('GET', '/slow');
    xhr.send();
    xhr.open('GET', '/api/next');
    await run(xhr);
    expect(events.map((e) => [e.http?.url, e.http?.error])).toEqual([
      [page.origin + '/slow', 'aborted'],
      [page.origin + '/api/next', undefined],
    ]);
  });

  it('still throws where XMLHttpRequest throws, and traces nothing for it', () => {
    const { events } = install();
    const xhr = new XMLHttpRequest();
    expect(() => xhr.send()).toThrow();
    expect(() => xhr.setRequestHeader('a', 'b')).toThrow();
    expect(() => xhr.open('GET', 'http://[::1')).toThrow();
    expect(events).toEqual([]);
  });

  it('sends the request unchanged when the SDK fails', async () => {
    const { events } = install([], () => {
      throw new Error('broken');
    });
    const xhr = request('GET', '/api/echo', { 'x-app': 'yes' });
    expect(await run(xhr)).toBe('load');
    expect(sentHeaders(xhr)).toMatchObject({ 'x-app': 'yes' });
    expect(sentHeaders(xhr).traceparent).toBeUndefined();
    expect(events).toEqual([]);
  });

  it('restores the exact originals at teardown', () => {
    const { open, send, setRequestHeader } = XMLHttpRequest.prototype;
    install();
    const patched = XMLHttpRequest.prototype;
    expect(patched.open).not.toBe(open);
    expect([patched.open, patched.send, patched.setRequestHeader].map((method) => [method.name, method.length])).toEqual([
      ['open', 2],
      // As Chromium's (the body is optional); happy-dom's own has 1.
      ['send', 0],
      ['setRequestHeader', 2],
    ]);
    teardown!();
    teardown = undefined;
    expect(XMLHttpRequest.prototype).toMatchObject({ open, send, setRequestHeader });
  });

  it('leaves a wrapper added later in place at teardown, and then passes calls through untouched', async () => {
    const proto = XMLHttpRequest.prototype;
    const { open, send } = proto;
    const { events } = install();
    const ours = proto.send;
    const later = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
      return ours.call(this, body);
    };
    proto.send = later;
    teardown!();
    teardown = undefined;
    try {
      expect([proto.send, proto.open]).toEqual([later, open]);
      const xhr = request('GET', '/api/echo');
      await run(xhr);
      expect(sentHeaders(xhr).traceparent).toBeUndefined();
      expect(events).toEqual([]);
    } finally {
      proto.send = send;
    }
  });
});
