import { ROOT_CONTEXT, TraceFlags, createTraceState, defaultTextMapGetter, defaultTextMapSetter, trace, type Context } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { correlationPropagator } from '../../../src/otel/propagator';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const CALLER = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

const inSpan = (flags = TraceFlags.SAMPLED, traceState?: string): Context =>
  trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE, spanId: SPAN, traceFlags: flags, traceState: traceState ? createTraceState(traceState) : undefined });

/** The setter the fetch instrumentation passes for a `Headers`. */
const headersSetter = { set: (h: Headers, k: string, v: string) => h.set(k, v) };

describe('correlationPropagator', () => {
  it('writes traceparent and the correlation header (the trace id) for the active span', () => {
    const headers = new Headers({ accept: 'application/json' });
    correlationPropagator('x-trace-id').inject(inSpan(), headers, headersSetter);
    expect(Object.fromEntries(headers)).toEqual({
      accept: 'application/json',
      traceparent: `00-${TRACE}-${SPAN}-01`,
      'x-trace-id': TRACE,
    });
  });

  it('says 00 for a span that is recorded but not sampled, and passes tracestate on', () => {
    const carrier: Record<string, string> = {};
    correlationPropagator('x-trace-id').inject(inSpan(TraceFlags.NONE, 'vendor=v1'), carrier, defaultTextMapSetter);
    expect(carrier).toEqual({ traceparent: `00-${TRACE}-${SPAN}-00`, tracestate: 'vendor=v1', 'x-trace-id': TRACE });
  });

  it('uses the client’s header name', () => {
    const carrier: Record<string, string> = {};
    correlationPropagator('x-request-trace').inject(inSpan(), carrier, defaultTextMapSetter);
    expect(carrier['x-request-trace']).toBe(TRACE);
    expect(carrier['x-trace-id']).toBeUndefined();
  });

  it('keeps a traceparent the caller set, and puts its trace id in the correlation header', () => {
    const headers = new Headers({ traceparent: CALLER });
    correlationPropagator('x-trace-id').inject(inSpan(), headers, headersSetter);
    expect(headers.get('traceparent')).toBe(CALLER);
    expect(headers.get('x-trace-id')).toBe('0af7651916cd43dd8448eb211c80319c');
  });

  it('keeps a correlation header the caller set', () => {
    const headers = new Headers({ 'x-trace-id': 'mine' });
    correlationPropagator('x-trace-id').inject(inSpan(), headers, headersSetter);
    expect(headers.get('x-trace-id')).toBe('mine');
    expect(headers.get('traceparent')).toBe(`00-${TRACE}-${SPAN}-01`);
  });

  it('writes nothing outside a valid span', () => {
    const carrier: Record<string, string> = {};
    correlationPropagator('x-trace-id').inject(ROOT_CONTEXT, carrier, defaultTextMapSetter);
    expect(carrier).toEqual({});
  });

  it('names its fields and reads a traceparent back', () => {
    const propagator = correlationPropagator('x-trace-id');
    expect(propagator.fields()).toEqual(['traceparent', 'tracestate', 'x-trace-id']);
    const context = propagator.extract(ROOT_CONTEXT, { traceparent: CALLER }, defaultTextMapGetter);
    expect(trace.getSpanContext(context)).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', isRemote: true });
  });
});
