// @vitest-environment happy-dom
// The public surface of `tracebeam/otel`: a change here is a reviewed change of the API. Importing
// it registers nothing with OpenTelemetry: the provider, context manager and propagator are set by
// `otelTracing()` when the client starts. (zone.js, which @opentelemetry/context-zone imports,
// patches Promise, timers and event targets when it loads: that is zone.js's own design.)
import { ROOT_CONTEXT, context, createContextKey, propagation, trace } from '@opentelemetry/api';
import { expect, it } from 'vitest';

it('exports exactly these runtime values, all functions', async () => {
  const otel = await import('../../../src/otel/index');
  expect(Object.keys(otel).sort()).toEqual(['otelTracing', 'otlpTransport', 'spanExporter']);
  for (const value of Object.values(otel)) expect(typeof value).toBe('function');
});

it('registers no OpenTelemetry global when imported', async () => {
  await import('../../../src/otel/index');
  // The API's defaults: a proxy provider with no delegate, whose spans record nothing; no context
  // manager (a context made active is not kept); no propagator fields.
  expect(trace.getTracerProvider().getTracer('probe').startSpan('probe').isRecording()).toBe(false);
  const key = createContextKey('probe');
  expect(context.with(ROOT_CONTEXT.setValue(key, 1), () => context.active().getValue(key))).toBeUndefined();
  expect(propagation.fields()).toEqual([]);
});
