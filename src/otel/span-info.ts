/**
 * The shape of a `span` event, shared by the exporter that writes it and the OTLP encoder that reads
 * it back. No OpenTelemetry import here: `otlpTransport` must not pull the SDK into an app.
 */
import type { Attributes } from '../core/types';

/** `SpanKind` of the OpenTelemetry API, in the order of its values (INTERNAL = 0 ... CONSUMER = 4). */
export const SPAN_KINDS = ['internal', 'server', 'client', 'producer', 'consumer'] as const;

/** `SpanStatusCode` of the API, in the order of its values (UNSET = 0, OK = 1, ERROR = 2). */
export const SPAN_STATUSES = ['unset', 'ok', 'error'] as const;

/** What a `span` event carries under `span`; its ids are the event's `trace_id`, `span_id` and `parent_span_id`. */
export interface SpanInfo {
  name: string;
  kind: (typeof SPAN_KINDS)[number];
  /** Start as Unix epoch milliseconds, with the sub-millisecond digits the browser gives. */
  start_ms: number;
  duration_ms: number;
  status: (typeof SPAN_STATUSES)[number];
  status_message?: string;
  /** The instrumentation scope: `@opentelemetry/instrumentation-fetch`, or the app's tracer name. */
  scope: string;
  attributes: Attributes;
  /** The span's own events (`addEvent`, `recordException`), when it has any. */
  events?: Array<{ name: string; time_ms: number; attributes?: Attributes }>;
}
