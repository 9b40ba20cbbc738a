/**
 * The span processor of OTel mode: each span goes to the exporter as it ends, because the client's
 * queue already batches (a BatchSpanProcessor would be a second queue, and one that page exit does
 * not drain). Sampled spans go, and so do spans that ended with an ERROR status whatever the
 * sampling: error events are always kept (see `sampler.ts`).
 * https://opentelemetry.io/docs/specs/otel/trace/sdk/#span-processor
 */
import { SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import type { SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-web';

export const pipelineProcessor = (exporter: SpanExporter): SpanProcessor => ({
  onStart() {},
  onEnd(span) {
    if (span.spanContext().traceFlags & TraceFlags.SAMPLED || span.status.code === SpanStatusCode.ERROR) exporter.export([span], () => {});
  },
  forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  shutdown: () => exporter.shutdown(),
});
