/**
 * Finished OpenTelemetry spans as events of the client's own pipeline: one `span` event each, so
 * that batching, beacons at page exit, retries, `beforeSend` and redaction treat spans as they
 * treat every other event.
 */
import { SpanStatusCode } from '@opentelemetry/api';
import { ExportResultCode, hrTimeToMilliseconds } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-web';
import type { CaptureInput, Client } from '../core/types';
import { SPAN_KINDS, SPAN_STATUSES, type SpanInfo } from './span-info';

/** One finished span as the input of `client.capture`. An ERROR status makes it an error event, kept whatever the sampling. */
export function toSpanEvent(span: ReadableSpan): CaptureInput {
  const { traceId, spanId } = span.spanContext();
  const start = hrTimeToMilliseconds(span.startTime);
  const info: SpanInfo = {
    name: span.name,
    kind: SPAN_KINDS[span.kind] ?? 'internal',
    start_ms: start,
    duration_ms: hrTimeToMilliseconds(span.duration),
    status: SPAN_STATUSES[span.status.code] ?? 'unset',
    status_message: span.status.message || undefined,
    scope: span.instrumentationScope.name,
    attributes: { ...span.attributes },
    events: span.events.length ? span.events.map(({ name, time, attributes }) => ({ name, time_ms: hrTimeToMilliseconds(time), attributes })) : undefined,
  };
  return {
    level: span.status.code === SpanStatusCode.ERROR ? 'error' : 'info',
    event: 'span',
    trace_id: traceId,
    span_id: spanId,
    parent_span_id: span.parentSpanContext?.spanId,
    time: start,
    attributes: { span: info },
  };
}

/**
 * A `SpanExporter` (https://opentelemetry.io/docs/specs/otel/trace/sdk/#span-exporter) that hands
 * spans to the client's queue. It never fails: delivery and its retries are the queue's business,
 * so the SDK's span processor has nothing to wait for.
 */
export function spanExporter(client: Client): SpanExporter {
  return {
    export(spans, done) {
      spans.forEach((span) => client.capture(toSpanEvent(span)));
      done({ code: ExportResultCode.SUCCESS });
    },
    forceFlush: () => client.flush(),
    shutdown: () => Promise.resolve(),
  };
}
