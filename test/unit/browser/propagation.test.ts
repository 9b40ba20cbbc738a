// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import type { CaptureInput, Client, TraceContext } from '../../../src/core/types';
import { propagates as rule, requestTracer } from '../../../src/browser/propagation';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

function fakeClient(trace: TraceContext = { traceId: TRACE, flags: 1 }, propagateTo: Array<string | RegExp> = []) {
  const events: CaptureInput[] = [];
  // The client's trace source, which the test moves on as a click would.
  const current = { trace };
  const client = {
    options: { sink: 'https://logs.test/api/log?key=1', propagateTo, correlationHeader: 'x-trace-id' },
    currentTrace: () => current.trace,
    capture: (event: CaptureInput) => void events.push(event),
  } as unknown as Client;
  return { client, events, current };
}

/** Starts one request with `own` as the caller's headers; returns what was added and the end function. */
function start(client: Client, url: string, own: Record<string, string> = {}, method = 'get') {
  const headers = new Headers(own);
  const end = requestTracer(client)(method, new URL(url, location.href), headers);
  const added = Object.fromEntries([...headers].filter(([name]) => !(name in own)));
  return { headers, added, end };
}

describe('propagates', () => {
  const page = 'https://shop.test';
  const propagates = (url: URL, propagateTo: Array<string | RegExp>, origin: string) => rule(url.href, propagateTo, origin);
  it('always goes to the page’s own origin', () => {
    expect(propagates(new URL('https://shop.test/api'), [], page)).toBe(true);
    expect(propagates(new URL('http://shop.test/api'), [], page)).toBe(false);
    expect(propagates(new URL('https://shop.test:8443/api'), [], page)).toBe(false);
  });

  it('goes to another origin only when a string entry is exactly its origin', () => {
    const allow = ['https://api.shop.test'];
    expect(propagates(new URL('https://api.shop.test/v1?x=1'), allow, page)).toBe(true);
    expect(propagates(new URL('https://api.shop.test:444/v1'), allow, page)).toBe(false);
    expect(propagates(new URL('https://evil.test/https://api.shop.test'), allow, page)).toBe(false);
  });

  it('tests a RegExp on the whole URL, the same way every time even with the g flag', () => {
    const allow = [/^https:\/\/[a-z]+\.example\.com\/api\//g];
    for (let i = 0; i < 3; i++) expect(propagates(new URL('https://eu.example.com/api/x'), allow, page)).toBe(true);
    expect(propagates(new URL('https://eu.example.com/static/x'), allow, page)).toBe(false);
  });
});

describe('requestTracer', () => {
  it('adds traceparent and the correlation header under the current trace, with a new span per request', () => {
    const { client } = fakeClient({ traceId: TRACE, flags: 0 });
    const first = start(client, '/api/a');
    const second = start(client, '/api/b');
    expect(first.added).toEqual({ traceparent: expect.stringMatching(new RegExp(`^00-${TRACE}-[0-9a-f]{16}-00$`)), 'x-trace-id': TRACE });
    expect(second.added.traceparent).not.toBe(first.added.traceparent);
  });

  it('passes the trace’s tracestate on with its traceparent', () => {
    const { client } = fakeClient({ traceId: TRACE, flags: 1, traceState: 'vendor=abc' });
    expect(start(client, '/api/a').added).toMatchObject({ tracestate: 'vendor=abc' });
  });

  it('records one http_request event whose span is the one sent, stamped when the request started', () => {
    const { client, events } = fakeClient();
    const before = Date.now();
    const { added, end } = start(client, '/api/a?q=1', {}, 'post');
    const started = Date.now();
    end!(201);
    end!(0, 'aborted');
    expect(events).toEqual([
      {
        level: 'info',
        event: 'http_request',
        http: { method: 'POST', url: 'http://localhost:3000/api/a?q=1', status_code: 201, duration_ms: expect.any(Number), error: undefined },
        trace_id: TRACE,
        span_id: added.traceparent.split('-')[2],
        time: expect.any(Number),
      },
    ]);
    expect(events[0].time).toBeGreaterThanOrEqual(before);
    expect(events[0].time).toBeLessThanOrEqual(started);
  });

  it.each([
    [200, undefined, 'info'],
    [404, undefined, 'info'],
    [500, undefined, 'error'],
    [503, undefined, 'error'],
    [0, 'network_error', 'error'],
    [0, 'timeout', 'error'],
    [0, 'aborted', 'info'],
  ] as const)('status %i with %s is level %s', (status, error, level) => {
    const { client, events } = fakeClient();
    start(client, '/api/a').end!(status, error);
    expect(events[0]).toMatchObject({ level, http: { status_code: status, error } });
  });

  it('sends nothing to another origin that propagateTo does not name, and still records the request', () => {
    const { client, events } = fakeClient(undefined, ['https://api.test', /^https:\/\/cdn\.test\/traced\//]);
    expect(start(client, 'https://other.test/x').added).toEqual({});
    expect(start(client, 'https://cdn.test/static/x').added).toEqual({});
    expect(Object.keys(start(client, 'https://api.test/x').added)).toEqual(['traceparent', 'x-trace-id']);
    expect(Object.keys(start(client, 'https://cdn.test/traced/x').added)).toEqual(['traceparent', 'x-trace-id']);
    const { end } = start(client, 'https://other.test/y');
    end!(200);
    expect(events[0]).toMatchObject({ trace_id: TRACE, span_id: expect.stringMatching(/^[0-9a-f]{16}$/), http: { url: 'https://other.test/y' } });
  });

  it('leaves the sink alone, whatever its query, and URLs that reach no server', () => {
    const { client } = fakeClient(undefined, [/./]);
    for (const url of ['https://logs.test/api/log', 'https://logs.test/api/log?other=2', 'data:text/plain,hi', 'blob:http://localhost:3000/0d2c']) {
      expect(start(client, url)).toMatchObject({ added: {}, end: undefined });
    }
    expect(start(client, 'https://logs.test/api/other').end).toBeTypeOf('function');
  });

  it('keeps the caller’s traceparent and uses its ids for the correlation header and the event', () => {
    const { client, events } = fakeClient({ traceId: TRACE, flags: 1, traceState: 'vendor=abc' });
    const { headers, added, end } = start(client, '/api/a', { traceparent: CALLER });
    expect(headers.get('traceparent')).toBe(CALLER);
    expect(added).toEqual({ 'x-trace-id': '0af7651916cd43dd8448eb211c80319c' });
    end!(200);
    expect(events[0]).toMatchObject({ trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331' });
  });

  it('keeps an unparsable traceparent and a correlation header the caller set', () => {
    const { client, events } = fakeClient();
    const { headers, added, end } = start(client, '/api/a', { traceparent: 'garbage', 'X-Trace-Id': 'mine' });
    expect([headers.get('traceparent'), headers.get('x-trace-id'), added]).toEqual(['garbage', 'mine', {}]);
    end!(200);
    expect(events[0]).toMatchObject({ trace_id: TRACE, span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
  });

  it('reads the current trace at the start of each request', () => {
    const { client, current } = fakeClient();
    const before = start(client, '/api/a').added['x-trace-id'];
    current.trace = { traceId: 'f'.repeat(32), flags: 1 };
    expect([before, start(client, '/api/a').added['x-trace-id']]).toEqual([TRACE, 'f'.repeat(32)]);
  });

  it('measures the duration from start to end', () => {
    const { client, events } = fakeClient();
    const now = vi.spyOn(performance, 'now').mockReturnValue(1000);
    const { end } = start(client, '/api/a');
    now.mockReturnValue(1250.4);
    end!(200);
    expect(events[0].http?.duration_ms).toBe(250);
  });
});
