import { Validator } from '@cfworker/json-schema';
import { SpanKind, SpanStatusCode, TraceFlags, type HrTime } from '@opentelemetry/api';
import { BasicTracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCoreClient } from '../../../src/core/client';
import type { CaptureInput, Client, ClientOptions } from '../../../src/core/types';
import { pipelineProcessor } from '../../../src/otel/processor';
import { spanExporter, toSpanEvent } from '../../../src/otel/span-event';
import { recordingFetch } from '../core/recording-fetch';

const schema = JSON.parse(readFileSync(new URL('../../../src/core/event.schema.json', import.meta.url), 'utf8'));

/** 2025-01-02T03:04:05.678Z plus `ms`, as the SDK's [seconds, nanoseconds]. */
const at = (ms: number): HrTime => [1735787045, 678_000_000 + ms * 1e6];

function tracerWith(client: Pick<Client, 'capture' | 'flush'>) {
  const provider = new BasicTracerProvider({ spanProcessors: [pipelineProcessor(spanExporter(client as Client))] });
  return provider.getTracer('app', '1.0.0');
}

function recorder() {
  const events: CaptureInput[] = [];
  return { events, capture: (event: CaptureInput) => void events.push(event), flush: () => Promise.resolve() };
}

describe('span events', () => {
  it('turn a finished span into a `span` event with its name, kind, times, status, attributes and ids', () => {
    const client = recorder();
    const tracer = tracerWith(client);
    const parent = tracer.startSpan('checkout', { startTime: at(0) });
    const parentContext = parent.spanContext();
    const span = tracer.startSpan(
      'GET',
      { kind: SpanKind.CLIENT, startTime: at(2.25), attributes: { 'http.request.method': 'GET', 'url.full': 'https://api.test/cart' } },
      // The parent, as the context manager would hold it.
      { getValue: () => parent, setValue: () => undefined as never, deleteValue: () => undefined as never },
    );
    span.addEvent('retry', { attempt: 2 }, at(5));
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'HTTP 503' });
    span.end(at(14.75));
    parent.end(at(20));

    expect(client.events).toHaveLength(2);
    const [child, root] = client.events;
    expect(child).toEqual({
      level: 'error',
      event: 'span',
      trace_id: parentContext.traceId,
      span_id: span.spanContext().spanId,
      parent_span_id: parentContext.spanId,
      time: 1735787045680.25,
      attributes: {
        span: {
          name: 'GET',
          kind: 'client',
          start_ms: 1735787045680.25,
          duration_ms: 12.5,
          status: 'error',
          status_message: 'HTTP 503',
          scope: 'app',
          attributes: { 'http.request.method': 'GET', 'url.full': 'https://api.test/cart' },
          events: [{ name: 'retry', time_ms: 1735787045683, attributes: { attempt: 2 } }],
        },
      },
    });
    expect(root).toMatchObject({
      level: 'info',
      parent_span_id: undefined,
      attributes: { span: { name: 'checkout', kind: 'internal', status: 'unset', duration_ms: 20 } },
    });
    expect((root.attributes!.span as { events?: unknown }).events).toBeUndefined();
  });

  it('maps every kind and status', () => {
    const kinds = [SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER];
    const statuses = [SpanStatusCode.UNSET, SpanStatusCode.OK, SpanStatusCode.ERROR];
    const fake = (kind: SpanKind, code: SpanStatusCode) =>
      ({
        name: 'x',
        kind,
        spanContext: () => ({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: TraceFlags.SAMPLED }),
        startTime: at(0),
        duration: [0, 1_000_000],
        status: { code },
        attributes: {},
        events: [],
        instrumentationScope: { name: 's' },
      }) as unknown as ReadableSpan;
    const info = (input: CaptureInput) => input.attributes!.span as { kind: string; status: string };
    expect(kinds.map((kind) => info(toSpanEvent(fake(kind, 0))).kind)).toEqual(['internal', 'server', 'client', 'producer', 'consumer']);
    expect(statuses.map((code) => info(toSpanEvent(fake(0, code))).status)).toEqual(['unset', 'ok', 'error']);
  });

  it('go through the client pipeline as valid events of the wire format', async () => {
    const fake = recordingFetch(202);
    const client = createCoreClient({ sink: 'https://logs.test/api/log', service: 'web', release: '1.0.0' } as ClientOptions, { fetch: fake.fetch });
    const tracer = tracerWith(client);
    const span = tracer.startSpan('load', { attributes: { 'app.step': 'cart' } });
    span.end();
    await client.flush();
    const [event] = fake.events();
    expect(new Validator(schema, '2020-12', false).validate(event).errors).toEqual([]);
    expect(event).toMatchObject({
      event: 'span',
      level: 'info',
      service: 'web',
      trace_id: span.spanContext().traceId,
      span_id: span.spanContext().spanId,
      span: { name: 'load', kind: 'internal', scope: 'app', attributes: { 'app.step': 'cart' } },
    });
    expect(event.parent_span_id).toBeUndefined();
  });

  it('exports sampled spans and, whatever the sampling, spans that failed', () => {
    const client = recorder();
    const processor = pipelineProcessor(spanExporter(client as unknown as Client));
    const span = (flags: number, code: SpanStatusCode) =>
      ({
        name: `${flags}-${code}`,
        kind: 0,
        spanContext: () => ({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: flags }),
        startTime: at(0),
        duration: [0, 0],
        status: { code },
        attributes: {},
        events: [],
        instrumentationScope: { name: 's' },
      }) as unknown as ReadableSpan;
    for (const flags of [TraceFlags.NONE, TraceFlags.SAMPLED]) {
      for (const code of [SpanStatusCode.UNSET, SpanStatusCode.OK, SpanStatusCode.ERROR]) processor.onEnd(span(flags, code));
    }
    expect(client.events.map((e) => (e.attributes!.span as { name: string }).name)).toEqual(['0-2', '1-0', '1-1', '1-2']);
  });
});
