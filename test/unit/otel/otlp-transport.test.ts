// @vitest-environment happy-dom
// @vitest-environment-options { "url": "https://collector.test:4318/app" }
import { Validator } from '@cfworker/json-schema';
import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../../src/core/types';
import { otlpTransport, toParts } from '../../../src/otel/otlp/transport';
import { logsRequestSchema, traceRequestSchema } from './otlp-schema';

const SINK = 'https://collector.test:4318';
let counter = 0;

function event(fields: Partial<TelemetryEvent> = {}): TelemetryEvent {
  const id = (++counter).toString(16).padStart(32, '0');
  return {
    id,
    timestamp: '2025-01-02T03:04:05.678Z',
    level: 'info',
    event: 'clicked',
    service: 'web',
    trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    sdk: { name: 'tracebeam', version: '0.1.0' },
    ...fields,
  };
}

const span = (fields: Partial<TelemetryEvent> = {}) =>
  event({
    event: 'span',
    span_id: '00f067aa0ba902b7',
    span: { name: 'GET', kind: 'client', start_ms: 1735787045678, duration_ms: 5, status: 'unset', scope: 'app', attributes: {} },
    ...fields,
  });

interface Call {
  url: string;
  init: RequestInit;
  body: { resourceSpans?: unknown[]; resourceLogs?: unknown[] };
}

/** A fetch that answers from a script per path; the last answer of each repeats. */
function recorder(answers: Record<string, Array<number | 'network-error' | Response>> = {}) {
  const calls: Call[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init, body: JSON.parse(String(init.body)) });
    const list = answers[new URL(url).pathname] ?? [200];
    const answer = list.length > 1 ? list.shift()! : list[0];
    if (answer === 'network-error') throw new TypeError('Failed to fetch');
    return typeof answer === 'number' ? new Response('{}', { status: answer }) : answer;
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

const valid = (schema: object, value: unknown) => new Validator(schema as never, '2020-12', false).validate(value).errors;
const ids = (call: Call): string[] =>
  JSON.stringify(call.body)
    .match(/"log\.record\.uid","value":\{"stringValue":"([\da-f]{32})"/g)
    ?.map((match) => match.slice(-33, -1)) ?? [];

describe('otlpTransport', () => {
  it('posts spans to /v1/traces and the other events to /v1/logs, as OTLP JSON with the headers asked for', async () => {
    const { fetch, calls } = recorder();
    const transport = otlpTransport({ url: SINK + '/', headers: { authorization: 'Bearer k' } });
    const result = await transport.send(
      [event(), span(), event({ level: 'error' })].map((e) => JSON.stringify(e)),
      { sink: 'https://app.test/api/log', exit: false, fetch },
    );
    expect(result).toBe('sent');
    expect(calls.map((c) => c.url)).toEqual([SINK + '/v1/logs', SINK + '/v1/traces']);
    for (const call of calls) {
      expect(call.init).toMatchObject({ method: 'POST', keepalive: false, headers: { authorization: 'Bearer k', 'content-type': 'application/json' } });
    }
    expect(valid(logsRequestSchema, calls[0].body)).toEqual([]);
    expect(valid(traceRequestSchema, calls[1].body)).toEqual([]);
  });

  it('sends to the client’s sink when given no url, and skips a signal with nothing to send', async () => {
    const { fetch, calls } = recorder();
    await otlpTransport().send([JSON.stringify(span())], { sink: SINK, exit: false, fetch });
    expect(calls.map((c) => c.url)).toEqual([SINK + '/v1/traces']);
  });

  it('sorts answers as the client does: 4xx refused, 408, 429, 5xx and network errors retried, Retry-After honoured', async () => {
    const send = async (answer: number | 'network-error' | Response) =>
      otlpTransport().send([JSON.stringify(event())], { sink: SINK, exit: false, fetch: recorder({ '/v1/logs': [answer] }).fetch });
    expect(await send(400)).toBe('refused');
    expect(await send(415)).toBe('refused');
    expect(await send(408)).toBeNaN();
    expect(await send(503)).toBeNaN();
    expect(await send('network-error')).toBeNaN();
    expect(await send(new Response('', { status: 429, headers: { 'retry-after': '7' } }))).toBe(7_000);
  });

  it('does not send again, on retry, what a batch’s other request already delivered', async () => {
    const { fetch, calls } = recorder({ '/v1/logs': [200], '/v1/traces': [503, 200] });
    const transport = otlpTransport();
    const batch = [event(), span()].map((e) => JSON.stringify(e));
    expect(await transport.send(batch, { sink: SINK, exit: false, fetch })).toBeNaN();
    expect(await transport.send(batch, { sink: SINK, exit: false, fetch })).toBe('sent');
    expect(calls.map((c) => new URL(c.url).pathname)).toEqual(['/v1/logs', '/v1/traces', '/v1/traces']);
    // Once the batch is through, its ids are forgotten: the same ids later are new events to send.
    await transport.send(batch, { sink: SINK, exit: false, fetch });
    expect(calls).toHaveLength(5);
  });

  it('at page exit goes by beacon, as application/json Blobs of at most 60,000 bytes', async () => {
    const beacons: Array<[string, Blob]> = [];
    const { fetch, calls } = recorder();
    const transport = otlpTransport({}, (url, data) => {
      beacons.push([url, data]);
      return true;
    });
    const many = Array.from({ length: 400 }, (_, i) => event({ note: 'x'.repeat(100), i }));
    const result = await transport.send(
      [...many, span()].map((e) => JSON.stringify(e)),
      { sink: SINK, exit: true, fetch },
    );
    expect(result).toBe('sent');
    expect(calls).toEqual([]);
    expect(beacons.length).toBeGreaterThan(2);
    // Logs first: that is where the errors are, should the browser's allowance run out.
    expect(beacons.map(([url]) => new URL(url).pathname)).toEqual([...Array(beacons.length - 1).fill('/v1/logs'), '/v1/traces']);
    const seen: string[] = [];
    for (const [, blob] of beacons) {
      expect(blob.type).toBe('application/json');
      expect(blob.size).toBeLessThanOrEqual(60_000);
      const text = await blob.text();
      seen.push(...ids({ body: JSON.parse(text) } as Call));
    }
    expect(new Set(seen).size).toBe(400);
  });

  it('at page exit goes by keepalive fetch when a beacon is refused, headers must go, or the collector is another origin', async () => {
    for (const [options, beacon] of [
      [{}, () => false],
      [
        {},
        () => {
          throw new TypeError('not allowed');
        },
      ],
      [{ headers: { 'x-api-key': 'k' } }, () => true],
      // A cross-origin beacon with a JSON body is a credentialed CORS request: it would be dropped.
      [{ url: 'https://otel.elsewhere.test' }, () => true],
    ] as const) {
      const { fetch, calls } = recorder();
      const result = await otlpTransport(options, beacon).send([JSON.stringify(event())], { sink: SINK, exit: true, fetch });
      expect(result).toBe('sent');
      expect(calls).toHaveLength(1);
      expect(calls[0].init).toMatchObject({ keepalive: true, headers: { 'content-type': 'application/json' } });
    }
  });

  it('splits bodies only where it must, and never below one event', () => {
    const big = event({ note: 'y'.repeat(70_000) });
    const parts = toParts([event(), big, event()], 60_000);
    expect(parts.map((p) => p.ids.length)).toEqual([1, 1, 1]);
    expect(toParts([event(), event()], Infinity).map((p) => p.ids.length)).toEqual([2]);
  });
});
