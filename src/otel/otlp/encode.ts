/**
 * Events of the wire format as OTLP: `span` events as spans of an ExportTraceServiceRequest, every
 * other event as a log record of an ExportLogsServiceRequest. The resource says which service
 * sent them, with the semantic conventions' names (https://opentelemetry.io/docs/specs/semconv/resource/):
 * `service.name`, `service.version` (the release) and `deployment.environment`.
 */
import type { Attributes, TelemetryEvent } from '../../core/types';
import { SPAN_KINDS, SPAN_STATUSES, type SpanInfo } from '../span-info';
import {
  anyValue,
  keyValues,
  unixNanos,
  type ExportLogsServiceRequest,
  type ExportTraceServiceRequest,
  type KeyValue,
  type LogRecord,
  type OtlpSpan,
  type Resource,
  type Scope,
} from './json';

/** `SeverityNumber` of each level: the first of its range in the log data model. */
const SEVERITY = { debug: 5, info: 9, warn: 13, error: 17 } as const;

/** The instrumentation scope of log records: this SDK, which wrote them. */
const SDK_SCOPE = 'tracebeam';

/** A `span` event as `toSpanEvent` makes them; a `span` the app logged itself is a log record like any other. */
export type SpanEvent = TelemetryEvent & { span: SpanInfo; span_id: string };

export const isSpanEvent = (event: TelemetryEvent): event is SpanEvent =>
  event.event === 'span' && !!event.span_id && typeof (event.span as SpanInfo)?.start_ms === 'number';

function resourceOf({ service, release, environment, sdk }: TelemetryEvent): Resource {
  return {
    attributes: keyValues({
      'service.name': service,
      'service.version': release,
      'deployment.environment': environment,
      'telemetry.sdk.name': sdk?.name,
      'telemetry.sdk.language': 'webjs',
      'telemetry.sdk.version': sdk?.version,
    }),
  };
}

/**
 * The fields no OTLP field holds, as attributes: those with a semantic-convention name get it
 * (`session.id`, `user.id`, `exception.*`; the event id as `log.record.uid`), the rest (the page
 * `url`, `http`, `vital`, the app's own attributes) keep their wire-format name.
 */
function attributesOf(event: TelemetryEvent, own?: Attributes): KeyValue[] {
  // Named only to leave them out of `rest`: OTLP has fields (or the resource) for these.
  const {
    id,
    timestamp,
    level,
    event: name,
    service,
    release,
    environment,
    sdk,
    trace_id,
    span_id,
    parent_span_id,
    span,
    session_id,
    user_id,
    error,
    ...rest
  } = event;
  const { type, message, stack, ...details } = error ?? ({} as Partial<NonNullable<TelemetryEvent['error']>>);
  return keyValues({
    'log.record.uid': own ? undefined : id,
    'session.id': session_id,
    'user.id': user_id,
    // https://opentelemetry.io/docs/specs/semconv/exceptions/exceptions-logs/
    'exception.type': type,
    'exception.message': message,
    'exception.stacktrace': stack,
    error: error && details,
    ...rest,
    // A span's own attributes win over the event's context of the same name.
    ...own,
  });
}

/** Groups by resource, then by scope, keeping the order of arrival. */
function group<E extends TelemetryEvent, T>(events: E[], scopeOf: (event: E) => string, map: (event: E) => T) {
  const resources = new Map<string, { resource: Resource; scopes: Map<string, { scope: Scope; items: T[] }> }>();
  for (const event of events) {
    const key = JSON.stringify([event.service, event.release, event.environment, event.sdk?.version]);
    const entry = resources.get(key) ?? resources.set(key, { resource: resourceOf(event), scopes: new Map() }).get(key)!;
    const name = scopeOf(event);
    const scoped = entry.scopes.get(name) ?? entry.scopes.set(name, { scope: { name }, items: [] }).get(name)!;
    scoped.items.push(map(event));
  }
  return [...resources.values()];
}

export function toOtlpSpan(event: SpanEvent): OtlpSpan {
  const { span } = event;
  return {
    traceId: event.trace_id,
    spanId: event.span_id,
    parentSpanId: event.parent_span_id,
    name: span.name,
    // The API's SpanKind starts at INTERNAL = 0, the proto's at SPAN_KIND_UNSPECIFIED = 0.
    kind: SPAN_KINDS.indexOf(span.kind) + 1,
    startTimeUnixNano: unixNanos(span.start_ms),
    endTimeUnixNano: unixNanos(span.start_ms + span.duration_ms),
    attributes: attributesOf(event, span.attributes),
    events: span.events?.map((spanEvent) => ({
      timeUnixNano: unixNanos(spanEvent.time_ms),
      name: spanEvent.name,
      attributes: keyValues(spanEvent.attributes),
    })),
    status: { code: Math.max(0, SPAN_STATUSES.indexOf(span.status)), message: span.status_message },
  };
}

export function toLogRecord(event: TelemetryEvent): LogRecord {
  const time = unixNanos(Date.parse(event.timestamp));
  const level = SEVERITY[event.level] ? event.level : 'info';
  return {
    timeUnixNano: time,
    // Observed by this SDK when it happened: there is no later collector hop in the page.
    observedTimeUnixNano: time,
    severityNumber: SEVERITY[level],
    severityText: level.toUpperCase(),
    eventName: event.event,
    // The log line a person reads: the error itself, or the event's name.
    body: anyValue(event.error ? `${event.error.type}: ${event.error.message}` : event.event),
    attributes: attributesOf(event),
    traceId: event.trace_id,
    spanId: event.span_id,
  };
}

export function encodeTraces(events: TelemetryEvent[]): ExportTraceServiceRequest {
  return {
    resourceSpans: group(events.filter(isSpanEvent), (event) => event.span.scope || SDK_SCOPE, toOtlpSpan).map(({ resource, scopes }) => ({
      resource,
      scopeSpans: [...scopes.values()].map(({ scope, items }) => ({ scope, spans: items })),
    })),
  };
}

export function encodeLogs(events: TelemetryEvent[]): ExportLogsServiceRequest {
  return {
    resourceLogs: group(
      events.filter((event) => !isSpanEvent(event)),
      () => SDK_SCOPE,
      toLogRecord,
    ).map(({ resource, scopes }) => ({
      resource,
      scopeLogs: [...scopes.values()].map(({ scope, items }) => ({ scope, logRecords: items })),
    })),
  };
}
