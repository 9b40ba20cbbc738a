import { Validator } from '@cfworker/json-schema';
import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../../src/core/types';
import { encodeLogs, encodeTraces } from '../../../src/otel/otlp/encode';
import { anyValue, unixNanos } from '../../../src/otel/otlp/json';
import type { SpanInfo } from '../../../src/otel/span-info';
import { logsRequestSchema, traceRequestSchema } from './otlp-schema';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const base = {
  service: 'shop-web',
  release: '1.4.2',
  environment: 'production',
  session_id: 's-1',
  url: 'https://shop.test/cart',
  sdk: { name: 'tracebeam', version: '0.1.0' },
};

const spanEvent = (id: string, span: Partial<SpanInfo>, parent?: string): TelemetryEvent => ({
  ...base,
  id: id.padEnd(32, '0'),
  timestamp: '2025-01-02T03:04:05.678Z',
  level: span.status === 'error' ? 'error' : 'info',
  event: 'span',
  trace_id: TRACE,
  span_id: id.padEnd(16, '1'),
  parent_span_id: parent,
  span: {
    name: 'GET',
    kind: 'client',
    start_ms: 1735787045678.25,
    duration_ms: 12.5,
    status: 'unset',
    scope: '@opentelemetry/instrumentation-fetch',
    attributes: { 'http.request.method': 'GET', 'http.response.status_code': 200 },
    ...span,
  },
});

const logEvent = (fields: Partial<TelemetryEvent>): TelemetryEvent => ({
  ...base,
  id: 'e'.repeat(32),
  timestamp: '2025-01-02T03:04:05.678Z',
  level: 'info',
  event: 'checkout_started',
  trace_id: TRACE,
  ...fields,
});

/** Schema errors of `value` as it goes over the wire, i.e. after JSON.stringify. */
const valid = (schema: object, value: unknown) => new Validator(schema as never, '2020-12', false).validate(JSON.parse(JSON.stringify(value))).errors;

/** An attribute list as a plain object, for reading. */
const plain = (attributes: Array<{ key: string; value: Record<string, unknown> }>) =>
  Object.fromEntries(attributes.map(({ key, value }) => [key, Object.values(value)[0]]));

describe('OTLP JSON encoding', () => {
  it('writes spans as an ExportTraceServiceRequest: hex ids, nanosecond strings, numeric enums', () => {
    const events = [
      spanEvent('a1', { name: 'checkout', kind: 'internal', scope: 'app', attributes: { cart_items: 3 }, status: 'ok' }),
      spanEvent(
        'b2',
        {
          status: 'error',
          status_message: 'HTTP 503',
          events: [{ name: 'exception', time_ms: 1735787045680.5, attributes: { 'exception.type': 'TypeError' } }],
        },
        'a1'.padEnd(16, '1'),
      ),
      logEvent({}),
    ];
    const request = encodeTraces(events);
    expect(valid(traceRequestSchema, request)).toEqual([]);
    expect(request.resourceSpans).toHaveLength(1);
    const [{ resource, scopeSpans }] = request.resourceSpans;
    expect(plain(resource.attributes as never)).toEqual({
      'service.name': 'shop-web',
      'service.version': '1.4.2',
      'deployment.environment': 'production',
      'telemetry.sdk.name': 'tracebeam',
      'telemetry.sdk.language': 'webjs',
      'telemetry.sdk.version': '0.1.0',
    });
    // One scope per instrumentation, in order of arrival; the log event is not a span.
    expect(scopeSpans.map((s) => [s.scope.name, s.spans.length])).toEqual([
      ['app', 1],
      ['@opentelemetry/instrumentation-fetch', 1],
    ]);
    const [root, child] = scopeSpans.flatMap((s) => s.spans);
    expect(root).toMatchObject({
      traceId: TRACE,
      spanId: 'a1'.padEnd(16, '1'),
      name: 'checkout',
      kind: 1,
      startTimeUnixNano: '1735787045678250000',
      endTimeUnixNano: '1735787045690750000',
      status: { code: 1 },
    });
    expect(root.parentSpanId).toBeUndefined();
    expect(plain(root.attributes as never)).toEqual({ 'session.id': 's-1', url: 'https://shop.test/cart', cart_items: '3' });
    expect(child).toMatchObject({
      parentSpanId: 'a1'.padEnd(16, '1'),
      kind: 3,
      status: { code: 2, message: 'HTTP 503' },
      events: [{ name: 'exception', timeUnixNano: '1735787045680500000', attributes: [{ key: 'exception.type', value: { stringValue: 'TypeError' } }] }],
    });
    expect(plain(child.attributes as never)).toMatchObject({ 'http.request.method': 'GET', 'http.response.status_code': '200' });
  });

  it('writes every other event as a log record of an ExportLogsServiceRequest', () => {
    const events = [
      logEvent({
        level: 'debug',
        event: 'cache_hit',
        span_id: 'c'.repeat(16),
        user_id: '42',
        tenant_id: 't1',
        ratio: 0.5,
        tags: ['a', 1],
        nested: { deep: true, none: null },
      }),
      logEvent({ level: 'warn', event: 'events_dropped', count: 3 }),
      logEvent({
        level: 'error',
        event: 'client_error',
        error: { type: 'TypeError', message: 'x is undefined', stack: 'TypeError: x is undefined\n    at f (app.js:1:2)', handled: false, fingerprint: 'f1' },
      }),
      logEvent({ event: 'web_vital', vital: { name: 'LCP', value: 1234.5, rating: 'good' } }),
      spanEvent('a1', {}),
    ];
    const request = encodeLogs(events);
    expect(valid(logsRequestSchema, request)).toEqual([]);
    const [{ resource, scopeLogs }] = request.resourceLogs;
    expect(plain(resource.attributes as never)).toMatchObject({ 'service.name': 'shop-web' });
    expect(scopeLogs.map((s) => s.scope.name)).toEqual(['tracebeam']);
    const [debug, warn, error, vital] = scopeLogs[0].logRecords;
    expect(scopeLogs[0].logRecords).toHaveLength(4);
    expect(debug).toMatchObject({
      timeUnixNano: '1735787045678000000',
      observedTimeUnixNano: '1735787045678000000',
      severityNumber: 5,
      severityText: 'DEBUG',
      eventName: 'cache_hit',
      body: { stringValue: 'cache_hit' },
      traceId: TRACE,
      spanId: 'c'.repeat(16),
    });
    expect(plain(debug.attributes as never)).toEqual({
      'log.record.uid': 'e'.repeat(32),
      'session.id': 's-1',
      'user.id': '42',
      url: 'https://shop.test/cart',
      tenant_id: 't1',
      ratio: 0.5,
      tags: { values: [{ stringValue: 'a' }, { intValue: '1' }] },
      nested: {
        values: [
          { key: 'deep', value: { boolValue: true } },
          { key: 'none', value: {} },
        ],
      },
    });
    expect([warn.severityNumber, warn.severityText, error.severityNumber, error.severityText]).toEqual([13, 'WARN', 17, 'ERROR']);
    expect(warn.spanId).toBeUndefined();
    // Errors with the semantic conventions' exception attributes, the rest of `error` beside them.
    expect(error.body).toEqual({ stringValue: 'TypeError: x is undefined' });
    expect(plain(error.attributes as never)).toMatchObject({
      'exception.type': 'TypeError',
      'exception.message': 'x is undefined',
      'exception.stacktrace': 'TypeError: x is undefined\n    at f (app.js:1:2)',
      error: {
        values: [
          { key: 'handled', value: { boolValue: false } },
          { key: 'fingerprint', value: { stringValue: 'f1' } },
        ],
      },
    });
    expect(plain(vital.attributes as never).vital).toEqual({
      values: [
        { key: 'name', value: { stringValue: 'LCP' } },
        { key: 'value', value: { doubleValue: 1234.5 } },
        { key: 'rating', value: { stringValue: 'good' } },
      ],
    });
  });

  it('groups events by resource when they come from differently configured clients', () => {
    const request = encodeLogs([logEvent({}), logEvent({ release: '1.5.0' }), logEvent({})]);
    expect(valid(logsRequestSchema, request)).toEqual([]);
    expect(request.resourceLogs.map((r) => [plain(r.resource.attributes as never)['service.version'], r.scopeLogs[0].logRecords.length])).toEqual([
      ['1.4.2', 2],
      ['1.5.0', 1],
    ]);
  });

  it('gives an empty request, still valid, when a batch has nothing of the signal', () => {
    expect(encodeTraces([logEvent({})])).toEqual({ resourceSpans: [] });
    expect(valid(logsRequestSchema, encodeLogs([]))).toEqual([]);
  });

  it('writes 64-bit values as decimal strings and everything else as the JSON mapping says', () => {
    expect(unixNanos(0)).toBe('0');
    expect(unixNanos(1735787045678)).toBe('1735787045678000000');
    expect(unixNanos(1735787045678.001)).toBe('1735787045678001000');
    // Beyond 2^53 a number is no exact int64: it goes as a double.
    expect(anyValue(2 ** 53)).toEqual({ doubleValue: 2 ** 53 });
    expect(anyValue(-7)).toEqual({ intValue: '-7' });
    expect(anyValue(null)).toEqual({});
  });

  it('has a schema with teeth: base64 ids, numeric times, enum names and misspelt fields fail', () => {
    const good = encodeTraces([spanEvent('a1', {})]);
    expect(valid(traceRequestSchema, good)).toEqual([]);
    const span = good.resourceSpans[0].scopeSpans[0].spans[0];
    const broken = [
      { ...span, traceId: Buffer.from(TRACE, 'hex').toString('base64') },
      { ...span, startTimeUnixNano: Number(span.startTimeUnixNano) },
      { ...span, kind: 'SPAN_KIND_CLIENT' },
      { ...span, parent_span_id: 'a'.repeat(16) },
    ];
    for (const bad of broken) {
      const request = { resourceSpans: [{ ...good.resourceSpans[0], scopeSpans: [{ ...good.resourceSpans[0].scopeSpans[0], spans: [bad] }] }] };
      expect(valid(traceRequestSchema, request)).not.toEqual([]);
    }
  });
});
