// @vitest-environment happy-dom
import { ROOT_CONTEXT, context, propagation, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { createCoreClient } from '../../../src/core/client';
import type { Client, ClientOptions, TelemetryEvent } from '../../../src/core/types';
import { otelTracing, type OtelTracing } from '../../../src/otel/tracing';
import { recordingFetch } from '../core/recording-fetch';

const INTERACTION = '4bf92f3577b34da6a3ce929d0e0e4736';
let client: Client | undefined;

afterEach(async () => {
  await client?.shutdown();
  client = undefined;
});

function start(options: Partial<ClientOptions> = {}, platform: { isSampled?: (rate: number) => boolean } = {}) {
  const fake = recordingFetch(202);
  const otel = otelTracing({ contextManager: 'stack' });
  // The interaction trace, as the browser client registers it; a test moves it on as a click would.
  const interaction = { trace: { traceId: INTERACTION, flags: 1 } };
  client = createCoreClient({ sink: 'https://logs.test/api/log', service: 'web', integrations: [otel], ...options } as ClientOptions, {
    fetch: fake.fetch,
    start: (started) => started.addTraceSource(() => interaction.trace),
    ...platform,
  });
  return { client, otel, fake, interaction };
}

const byName = (events: TelemetryEvent[], name: string) => events.find((e) => (e.span as { name?: string } | undefined)?.name === name || e.event === name)!;

describe('otelTracing', () => {
  it('sends the app’s nested spans with their parent ids, and events logged inside a span carry its ids', async () => {
    const { client, otel, fake } = start();
    otel.tracer.startActiveSpan('checkout', (root) => {
      otel.tracer.startActiveSpan('validate', (child) => {
        otel.tracer.startActiveSpan('price', (grandchild) => {
          client.log('info', 'priced', { total: 42 });
          grandchild.end();
        });
        child.end();
      });
      root.end();
    });
    client.log('info', 'after');
    await client.flush();
    const events = fake.events();
    const [root, child, grandchild, priced, after] = ['checkout', 'validate', 'price', 'priced', 'after'].map((name) => byName(events, name));
    // A root span belongs to the interaction trace, as requests and events do in the light model.
    for (const event of [root, child, grandchild, priced]) expect(event.trace_id).toBe(INTERACTION);
    expect(root.parent_span_id).toBeUndefined();
    expect(child.parent_span_id).toBe(root.span_id);
    expect(grandchild.parent_span_id).toBe(child.span_id);
    expect(priced).toMatchObject({ span_id: grandchild.span_id, total: 42 });
    expect(after.trace_id).toBe(INTERACTION);
    expect(after.span_id).toBeUndefined();
    expect(new Set([root.span_id, child.span_id, grandchild.span_id]).size).toBe(3);
  });

  it('starts root spans in the interaction trace that is current when they start', async () => {
    const { client, otel, fake, interaction } = start();
    const next = 'a'.repeat(31) + 'b';
    // What the browser client does at a click or a route change.
    interaction.trace = { traceId: next, flags: 1 };
    expect(client.traceId()).toBe(next);
    otel.tracer.startActiveSpan('click', (span) => {
      expect(client.traceId()).toBe(next);
      expect(client.currentTrace().spanId).toBe(span.spanContext().spanId);
      span.end();
    });
    await client.flush();
    expect(byName(fake.events(), 'click').trace_id).toBe(next);
  });

  it('writes traceparent and the correlation header for the active span', () => {
    const { otel } = start({ correlationHeader: 'x-request-id' });
    const headers: Record<string, string> = {};
    otel.tracer.startActiveSpan('call', (span) => {
      propagation.inject(context.active(), headers);
      expect(headers).toEqual({ traceparent: `00-${INTERACTION}-${span.spanContext().spanId}-01`, 'x-request-id': INTERACTION });
      span.end();
    });
  });

  it('follows the session’s sampling: an unsampled session sends no spans but failed ones, and says 00', async () => {
    const { client, otel, fake } = start({ sampleRate: 0.5 }, { isSampled: () => false });
    (client as Client & { sampled?: () => boolean }).sampled ??= () => false;
    const headers: Record<string, string> = {};
    otel.tracer.startActiveSpan('quiet', (span) => {
      propagation.inject(context.active(), headers);
      span.end();
    });
    otel.tracer.startActiveSpan('broken', (span) => {
      span.setStatus({ code: 2, message: 'boom' });
      span.end();
    });
    await client.flush();
    expect(headers.traceparent).toMatch(/-00$/);
    expect(fake.events().map((e) => [e.event, e.level, (e.span as { name: string }).name])).toEqual([['span', 'error', 'broken']]);
  });

  it('undoes everything at shutdown: the active span no longer answers for the client and the globals are released', async () => {
    const { client, otel } = start();
    expect(trace.getTracerProvider().getTracer('x').startSpan('probe').isRecording()).toBe(true);
    const active = context.with(trace.setSpan(context.active(), otel.tracer.startSpan('open')), () => client.currentTrace());
    expect(active).toMatchObject({ traceId: INTERACTION, spanId: expect.stringMatching(/^[0-9a-f]{16}$/) });
    await client.shutdown();
    // A span context made active by hand, as an app's own tracer would: the client asks it no more.
    const span = trace.wrapSpanContext({ traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: 1 });
    const inside = context.with(trace.setSpan(ROOT_CONTEXT, span), () => client.currentTrace());
    expect(inside.traceId).not.toBe('c'.repeat(32));
    expect(inside).toEqual(client.currentTrace());
    expect(trace.getTracerProvider().getTracer('x').startSpan('probe').isRecording()).toBe(false);
    expect(propagation.fields()).toEqual([]);
    expect(context.active()).toBe(ROOT_CONTEXT);
  });

  it('gives a tracer before setup that starts delegating once the client is up', async () => {
    const otel: OtelTracing = otelTracing({ contextManager: 'stack' });
    const early = otel.tracer;
    const fake = recordingFetch(202);
    client = createCoreClient({ sink: 'https://logs.test/api/log', service: 'web', integrations: [otel] }, { fetch: fake.fetch });
    early.startSpan('early').end();
    await client.flush();
    expect(fake.events().map((e) => (e.span as { name: string }).name)).toEqual(['early']);
  });
});
