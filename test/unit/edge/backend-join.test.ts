// One edge request, three calls to a real backend (the Express recipe with pino): the backend logs
// each call under the span that call carried, and that span is the one the call's http_request
// event names, under the edge request's span. Checked on what the sink and the backend's log got.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
// @ts-expect-error: the recipe is plain JavaScript, without types.
import { createApp, loggerOptions } from '../../../examples/express/server.mjs';
import { withTelemetry, type RequestTelemetry } from '../../../src/edge/index';
import { listen } from '../servers';
import { HEX16, SPAN, TRACE, TRACEPARENT, closeServers, startSink, type Sink } from './helpers';

let sink: Sink;
let backend: string;
const lines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  sink = await startSink();
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const app = createApp({ logger: pino(loggerOptions, stream), clientLog: join(mkdtempSync(join(tmpdir(), 'tracebeam-join-')), 'client.jsonl') });
  backend = await listen(app);
});

afterAll(closeServers);

it('three calls of one edge request are three spans, each the parent of the backend request it made', async () => {
  const waits: Promise<unknown>[] = [];
  let hop = '';
  const handler = withTelemetry(
    async (_request: Request, _env: unknown, _ctx: unknown, telemetry: RequestTelemetry) => {
      hop = telemetry.traceparent.split('-')[2];
      for (let i = 0; i < 3; i++) await (await telemetry.fetch(`${backend}/api/hello?n=${i}`)).json();
      return new Response('ok');
    },
    { sink: sink.url, service: 'edge', propagateTo: [backend] },
  );
  await handler(
    new Request('https://shop.example.com/checkout', { headers: { traceparent: TRACEPARENT } }),
    {},
    { waitUntil: (p: Promise<unknown>) => waits.push(p) },
  );
  await Promise.all(waits);

  const events = await sink.waitForEvents(4);
  const calls = events.filter((event) => event.span_id !== hop);
  expect(calls).toHaveLength(3);
  expect(new Set(calls.map((event) => event.span_id)).size).toBe(3);
  expect(calls.map((event) => event.parent_span_id)).toEqual([hop, hop, hop]);
  expect(events.find((event) => event.span_id === hop)!.parent_span_id).toBe(SPAN);

  const finished = lines.filter((line) => line.msg === 'request_finished');
  expect(finished).toHaveLength(3);
  for (const line of finished) {
    expect(line.trace_id).toBe(TRACE);
    expect(line.span_id).toMatch(HEX16);
  }
  // The backend's parent for each request is the span of the call that made it, in the order made.
  expect(finished.map((line) => line.span_id)).toEqual(calls.map((event) => event.span_id));
});
