/**
 * In OTel mode OpenTelemetry owns the context: the active span, when there is one, is the client's
 * current trace (a trace source asked before the interaction trace), so events and requests made
 * inside a span belong to it. Root spans start from the interaction trace (page load, route
 * change, click): what the client's other sources answer.
 * (The span's `tracestate` is left out: OpenTelemetry's propagator writes it, the client never does.)
 */
import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import type { Client, TraceContext, TraceSource } from '../core/types';

export interface ActiveTrace {
  /** The interaction trace, whatever span is active: what root spans start from. */
  interaction(): TraceContext;
  /** Stops answering for the client. */
  remove(): void;
}

export function followActiveSpan(client: Client): ActiveTrace {
  const activeSpan: TraceSource = () => {
    const span = trace.getSpanContext(context.active());
    return span && isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId, flags: span.traceFlags } : undefined;
  };
  return { interaction: () => client.currentTrace(activeSpan), remove: client.addTraceSource(activeSpan) };
}
