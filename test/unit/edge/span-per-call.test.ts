// Each outgoing call of one request is a span of its own, a child of the request's span, with its
// own http_request event: what the W3C processing model asks ("a new parent-id per outgoing
// request"), checked on what a real origin and a real sink received.
import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withTelemetry, type RequestTelemetry } from '../../../src/edge/index';
import { listen } from '../servers';
import { HEX16, SPAN, TRACE, TRACEPARENT, closeServers, context, header, startOrigin, startSink, type Ctx, type Sink } from './helpers';

let sink: Sink;
let origin: Awaited<ReturnType<typeof startOrigin>>;
const realFetch = globalThis.fetch;

beforeAll(async () => {
  [sink, origin] = await Promise.all([startSink(), startOrigin()]);
});

afterEach(async () => {
  globalThis.fetch = realFetch;
  await sink.reset();
  origin.calls.length = 0;
});

afterAll(closeServers);

const incoming = (path: string): Request => new Request(`https://shop.example.com${path}`, { headers: { traceparent: TRACEPARENT } });

describe.each([
  ['telemetry.fetch', (telemetry: RequestTelemetry) => telemetry.fetch],
  ['the global fetch under AsyncLocalStorage', () => ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init)) as typeof fetch],
])('a span per outgoing call, with %s', (_style, pick) => {
  it('gives three calls three span ids, three events and one parent', async () => {
    let hop = '';
    const handler = withTelemetry(
      async (_request: Request, _env: unknown, _ctx: Ctx, telemetry: RequestTelemetry) => {
        hop = telemetry.traceparent.split('-')[2];
        const call = pick(telemetry);
        // Two in parallel, one after: the spans must not depend on the order calls are made in.
        await Promise.all([call(`${origin.url}/a`), call(`${origin.url}/b?token=secret`, { method: 'post', body: 'x' })]);
        await call(`${origin.url}/c`);
        return new Response('ok');
      },
      { sink: sink.url, service: 'edge-test', propagateTo: [origin.url], asyncLocalStorage: AsyncLocalStorage },
    );
    const ctx = context();
    await handler(incoming('/checkout'), {}, ctx);
    await Promise.all(ctx.promises);

    const sent = new Map(origin.calls.map((call) => [call.path.split('?')[0], header(call, 'traceparent')!.split('-')]));
    expect([...sent.keys()].sort()).toEqual(['/a', '/b', '/c']);
    for (const [version, trace, span, flags] of sent.values()) {
      expect([version, trace, flags]).toEqual(['00', TRACE, '01']);
      expect(span).toMatch(HEX16);
      expect([hop, SPAN]).not.toContain(span);
    }
    const spans = [...sent.values()].map((parts) => parts[2]);
    expect(new Set(spans).size).toBe(3);

    const events = await sink.waitForEvents(4);
    const calls = events.filter((event) => event.span_id !== hop);
    expect(calls).toHaveLength(3);
    // Each event has the span its call carried, and the request's span as its parent.
    for (const event of calls) {
      const path = new URL(event.http!.url).pathname;
      expect(event).toMatchObject({ event: 'http_request', level: 'info', trace_id: TRACE, parent_span_id: hop, span_id: sent.get(path)![2] });
      expect(event.http!.status_code).toBe(200);
      expect(event.http!.duration_ms).toBeGreaterThanOrEqual(0);
    }
    // The method as fetch sends it, and the URL without its secrets.
    expect(calls.find((event) => event.http!.url.includes('/b'))!.http).toMatchObject({ method: 'POST', url: `${origin.url}/b?token=[redacted]` });
    // The request's own event: its span is the parent of all three, the caller's span its parent.
    const [own] = events.filter((event) => event.span_id === hop);
    expect(own).toMatchObject({ parent_span_id: SPAN, http: { url: '/checkout' } });
  });
});

describe('a span per outgoing call: the edges', () => {
  const wrap = (app: (telemetry: RequestTelemetry) => Promise<unknown>, extra = {}) =>
    withTelemetry(
      async (_request: Request, _env: unknown, _ctx: Ctx, telemetry: RequestTelemetry) => {
        await app(telemetry).catch(() => undefined);
        return new Response('ok');
      },
      { sink: sink.url, service: 'edge-test', ...extra },
    );

  it('records a call to an origin outside propagateTo, without trace headers', async () => {
    const ctx = context();
    await wrap((telemetry) => telemetry.fetch(`${origin.url}/other`))(incoming('/x'), {}, ctx);
    await Promise.all(ctx.promises);
    expect(header(origin.calls[0], 'traceparent')).toBeUndefined();
    const events = await sink.waitForEvents(2);
    expect(events[0]).toMatchObject({ parent_span_id: expect.stringMatching(HEX16), http: { url: `${origin.url}/other`, status_code: 200 } });
  });

  it('records a failed call as an error with status 0', async () => {
    const closed = await listen((req) => req.socket.destroy());
    const ctx = context();
    await wrap((telemetry) => telemetry.fetch(`${closed}/down`), { propagateTo: [closed] })(incoming('/x'), {}, ctx);
    await Promise.all(ctx.promises);
    const [failed] = await sink.waitForEvents(2);
    expect(failed).toMatchObject({ level: 'error', http: { url: `${closed}/down`, status_code: 0, error: 'network_error' } });
  });

  it('keeps a traceparent the caller set, and records the call with its span', async () => {
    const own = `00-${TRACE}-${'a'.repeat(16)}-01`;
    const ctx = context();
    await wrap((telemetry) => telemetry.fetch(`${origin.url}/own`, { headers: { traceparent: own } }), { propagateTo: [origin.url] })(incoming('/x'), {}, ctx);
    await Promise.all(ctx.promises);
    expect(header(origin.calls[0], 'traceparent')).toBe(own);
    const [call] = await sink.waitForEvents(2);
    expect(call.span_id).toBe('a'.repeat(16));
  });

  it('records no call to the sink', async () => {
    const ctx = context();
    await wrap((telemetry) => telemetry.fetch(sink.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"events":[]}' }))(
      incoming('/x'),
      {},
      ctx,
    );
    await Promise.all(ctx.promises);
    await sink.settled();
    expect(sink.events.map((event) => event.http!.url)).toEqual(['/x']);
  });
});
