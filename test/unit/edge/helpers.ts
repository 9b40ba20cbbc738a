// Real servers on 127.0.0.1 for the edge tests: the reference sink (what the events must get
// through) and an origin that records the headers every call brought.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect } from 'vitest';
import type { TelemetryEvent } from '../../../src/core/types';
import { createSinkHandler } from '../../../src/sink/handler';
import { toNodeListener } from '../../../src/sink/node';
import { closeServers, listen } from '../servers';

export { closeServers };

/** A Workers-style execution context (or a Next.js fetch event) that keeps what it was handed. */
export type Ctx = { waitUntil(promise: Promise<unknown>): void; promises: Promise<unknown>[] };

export function context(): Ctx {
  const promises: Promise<unknown>[] = [];
  return { promises, waitUntil: (promise) => void promises.push(promise) };
}

/** Polls `check` until it holds, for at most `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface Sink {
  /** The endpoint to pass as `sink`. */
  url: string;
  /** Every event the sink accepted (it validates them against the wire schema). */
  events: TelemetryEvent[];
  /** Headers of every POST that reached the sink. */
  requests: Array<Record<string, string | string[] | undefined>>;
  /** Answers of the sink handler, as JSON. */
  answers: unknown[];
  waitForEvents(count: number, timeoutMs?: number): Promise<TelemetryEvent[]>;
  /** Resolves once every request that arrived was answered and none came for 60 ms. */
  settled(): Promise<void>;
  /** Forgets what arrived so far, once the sink is settled. */
  reset(): Promise<void>;
}

/** The reference sink (`createSinkHandler` under node:http), answering after `delayMs`. */
export async function startSink(options: { delayMs?: number } = {}): Promise<Sink> {
  const events: TelemetryEvent[] = [];
  const requests: Sink['requests'] = [];
  const answers: unknown[] = [];
  const handler = createSinkHandler({ write: (batch) => void events.push(...batch) });
  const listener = toNodeListener(async (request) => {
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    const response = await handler(request);
    answers.push(await response.clone().json());
    return response;
  });
  const base = await listen((req, res) => {
    requests.push({ ...req.headers });
    listener(req, res);
  });
  const sink: Sink = {
    url: `${base}/api/log`,
    events,
    requests,
    answers,
    async waitForEvents(count, timeoutMs) {
      await waitFor(() => events.length >= count, timeoutMs, `${count} event(s) at the sink`);
      return events;
    },
    async settled() {
      let seen = -1;
      let since = Date.now();
      await waitFor(
        () => {
          if (requests.length !== seen) [seen, since] = [requests.length, Date.now()];
          return answers.length === requests.length && Date.now() - since >= 60;
        },
        5_000,
        'the sink to settle',
      );
    },
    async reset() {
      await sink.settled();
      events.length = 0;
      requests.length = 0;
      answers.length = 0;
    },
  };
  return sink;
}

export interface OriginCall {
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A backend that records each call and answers with the headers it got, after `?delay=ms`. */
export async function startOrigin(): Promise<{ url: string; calls: OriginCall[] }> {
  const calls: OriginCall[] = [];
  const url = await listen((req, res) => {
    const path = req.url ?? '/';
    calls.push({ path, headers: { ...req.headers } });
    const delay = Number(new URL(path, 'http://x').searchParams.get('delay') ?? 0);
    setTimeout(() => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(req.headers));
    }, delay);
  });
  return { url, calls };
}

const EDGE_ENTRY = fileURLToPath(new URL('../../../src/edge/index.ts', import.meta.url));

/**
 * Bundles a script that imports from `tracebeam/edge` the way an app's bundler would, with the
 * build constants defined; `iife` for a classic script (the edge-runtime VM), `esm` for a Worker.
 */
export async function bundleEdge(source: string, format: 'esm' | 'iife'): Promise<string> {
  const result = await build({
    stdin: { contents: source, loader: 'ts', resolveDir: process.cwd() },
    bundle: true,
    format,
    write: false,
    platform: 'neutral',
    target: 'es2022',
    alias: { 'tracebeam/edge': EDGE_ENTRY },
    define: { __VERSION__: '"test"', __DEV__: 'false' },
    logLevel: 'silent',
    external: ['node:async_hooks'],
  });
  return result.outputFiles[0].text;
}

/** Header value as node:http gives it, as one string. */
export const header = (call: { headers: Record<string, string | string[] | undefined> }, name: string): string | undefined => {
  const value = call.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

export const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
export const SPAN = '00f067aa0ba902b7';
export const TRACEPARENT = `00-${TRACE}-${SPAN}-01`;
export const HEX16 = /^[\da-f]{16}$/;
export const HEX32 = /^[\da-f]{32}$/;

/**
 * The app every runtime test runs: a call through the request-scoped fetch and one through the
 * global fetch (traced where AsyncLocalStorage is), after `?delay=ms` so that concurrent requests
 * interleave, and a throw on `/boom`. Plain JavaScript, bundled into each runtime.
 */
export const appSource = (originUrl: string): string => `
async function app(request, telemetry) {
  const url = new URL(request.url);
  if (url.pathname === '/boom') throw new TypeError('boom at the edge');
  // A proxy: the incoming request goes on to the origin, whose response is the answer.
  if (url.pathname === '/proxy') return telemetry.fetch(new Request(${JSON.stringify(originUrl)} + '/proxied', request));
  const delay = url.searchParams.get('delay') ?? '0';
  await new Promise((resolve) => setTimeout(resolve, Number(delay)));
  const scoped = await telemetry.fetch(${JSON.stringify(originUrl)} + '/scoped?delay=' + delay);
  const global = await fetch(${JSON.stringify(originUrl)} + '/global?delay=' + delay);
  const body = { traceId: telemetry.traceId, traceparent: telemetry.traceparent, scoped: await scoped.json(), global: await global.json() };
  return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
}
`;

/** What the app answers. */
export interface AppAnswer {
  traceId: string;
  traceparent: string;
  scoped: Record<string, string>;
  global: Record<string, string>;
}

/**
 * What every runtime must show for a request that brought `traceparent` (trace TRACE, parent
 * SPAN, `flags`) and a tracestate: both calls the handler made, and the response, carry this hop.
 * Returns the hop's span id.
 */
export function expectHopContinued(answer: AppAnswer, response: { headers: { get(name: string): string | null } }, flags: string, tracestate: string): string {
  expect(answer.traceId).toBe(TRACE);
  const span = answer.traceparent.split('-')[2];
  expect(span).toMatch(HEX16);
  expect(span).not.toBe(SPAN);
  const callSpans = new Set<string>();
  for (const call of [answer.scoped, answer.global]) {
    // Same trace, a span of its own for each call (a child of this hop's), the caller's flags and tracestate.
    const [version, trace, callSpan, callFlags] = call.traceparent.split('-');
    expect([version, trace, callFlags]).toEqual(['00', TRACE, flags]);
    expect(callSpan).toMatch(HEX16);
    expect([span, SPAN]).not.toContain(callSpan);
    callSpans.add(callSpan);
    expect(call.tracestate).toBe(tracestate);
    expect(call['x-trace-id']).toBe(TRACE);
  }
  expect(callSpans.size).toBe(2);
  expect(response.headers.get('x-trace-id')).toBe(TRACE);
  expect(response.headers.get('server-timing')).toBe(`traceparent;desc="00-${TRACE}-${span}-${flags}"`);
  return span;
}

/** Five trace ids, one per concurrent request (`x-trace-id`); later requests are asked to finish first. */
export const CONCURRENT_IDS = ['1', '2', '3', '4', '5'].map((digit) => digit.repeat(32));

/** `/list?delay=…` for the i-th concurrent request: the later, the shorter, so their async work interleaves. */
export const concurrentPath = (i: number): string => `/list?delay=${(CONCURRENT_IDS.length - i) * 30}`;

/** Each concurrent request kept its own trace, in its calls and in its response. */
export async function expectKeptApart(responses: Array<{ json(): Promise<unknown>; headers: { get(name: string): string | null } }>): Promise<void> {
  for (const [i, response] of responses.entries()) {
    const answer = (await response.json()) as AppAnswer;
    expect(answer.traceId).toBe(CONCURRENT_IDS[i]);
    expect(answer.scoped['x-trace-id']).toBe(CONCURRENT_IDS[i]);
    expect(answer.global['x-trace-id']).toBe(CONCURRENT_IDS[i]);
    // Each call has its own span under the request's trace.
    expect(answer.global.traceparent.split('-')[1]).toBe(CONCURRENT_IDS[i]);
    expect(answer.global.traceparent).not.toBe(answer.traceparent);
    expect(response.headers.get('x-trace-id')).toBe(CONCURRENT_IDS[i]);
  }
}

/**
 * The events of one request that made the app's two calls: one `http_request` per call, each with
 * the span id its traceparent carried and the request's span as its parent, then the request's own.
 */
export function expectCallEvents(events: TelemetryEvent[], answer: AppAnswer, originUrl: string, requestParent?: string): void {
  const span = answer.traceparent.split('-')[2];
  const callSpan = (call: Record<string, string>): string => call.traceparent.split('-')[2];
  expect(events.map((event) => event.span_id)).toEqual([callSpan(answer.scoped), callSpan(answer.global), span]);
  expect(events.map((event) => event.parent_span_id)).toEqual([span, span, requestParent]);
  expect(events.map((event) => event.event)).toEqual(['http_request', 'http_request', 'http_request']);
  expect(events.slice(0, 2).map((event) => event.http)).toEqual([
    expect.objectContaining({ method: 'GET', url: expect.stringMatching(new RegExp(`^${originUrl}/scoped\\?delay=`)), status_code: 200 }),
    expect.objectContaining({ method: 'GET', url: expect.stringMatching(new RegExp(`^${originUrl}/global\\?delay=`)), status_code: 200 }),
  ]);
}
