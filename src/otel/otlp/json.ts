/**
 * The few OTLP messages we write, as their JSON Protobuf encoding: lowerCamelCase field names,
 * trace and span ids as hex, 64-bit integers (`fixed64` times, `int64` values) as decimal strings,
 * enums as integers. https://github.com/open-telemetry/opentelemetry-proto/blob/main/docs/specification.md#json-protobuf-encoding
 * Messages: opentelemetry/proto/{common,resource,trace,logs}/v1/*.proto
 */

/** `common.v1.AnyValue`: one of these, or none (an empty value, as JSON `null` maps to). */
export interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  /** int64: a decimal string. */
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values: AnyValue[] };
  kvlistValue?: { values: KeyValue[] };
}

export interface KeyValue {
  key: string;
  value: AnyValue;
}

export interface Resource {
  attributes: KeyValue[];
}

export interface Scope {
  name: string;
  version?: string;
}

/** `trace.v1.Span`. */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** `Span.SpanKind`: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  events?: Array<{ timeUnixNano: string; name: string; attributes: KeyValue[] }>;
  /** `Status.StatusCode`: 0 unset, 1 ok, 2 error. */
  status: { code: number; message?: string };
}

/** `collector.trace.v1.ExportTraceServiceRequest`. */
export interface ExportTraceServiceRequest {
  resourceSpans: Array<{ resource: Resource; scopeSpans: Array<{ scope: Scope; spans: OtlpSpan[] }> }>;
}

/** `logs.v1.LogRecord`. */
export interface LogRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  /** `SeverityNumber`: 5 debug, 9 info, 13 warn, 17 error. */
  severityNumber: number;
  severityText: string;
  eventName: string;
  body: AnyValue;
  attributes: KeyValue[];
  traceId?: string;
  spanId?: string;
}

/** `collector.logs.v1.ExportLogsServiceRequest`. */
export interface ExportLogsServiceRequest {
  resourceLogs: Array<{ resource: Resource; scopeLogs: Array<{ scope: Scope; logRecords: LogRecord[] }> }>;
}

/** Any JSON value as an `AnyValue`; integers within 2^53 as `intValue`, other numbers as `doubleValue`. */
export function anyValue(value: unknown): AnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') return Number.isSafeInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  if (value && typeof value === 'object') return { kvlistValue: { values: keyValues(value as Record<string, unknown>) } };
  return {};
}

/** An object's defined fields as `KeyValue`s, in order. */
export const keyValues = (object: Record<string, unknown> = {}): KeyValue[] =>
  Object.keys(object)
    .filter((key) => object[key] !== undefined)
    .map((key) => ({ key, value: anyValue(object[key]) }));

/**
 * Unix epoch milliseconds as `fixed64` nanoseconds, a decimal string. Kept to the microsecond: a
 * double holding epoch milliseconds has no more than that (and browsers coarsen their clocks to
 * 5-100 µs anyway, https://w3c.github.io/hr-time/#clock-resolution).
 */
export function unixNanos(ms: number): string {
  const whole = Math.floor(ms);
  return String(BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e3) * 1e3));
}
