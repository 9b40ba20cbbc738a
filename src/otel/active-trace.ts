/**
 * In OTel mode OpenTelemetry owns the context: `client.trace`, read by the client whenever it
 * records an event, becomes an accessor that answers with the active span when there is one, and
 * with the interaction trace (page load, route change, click) otherwise. What the page assigns to
 * `client.trace` (a new interaction trace) is kept as the interaction trace, untouched.
 * (The span's `tracestate` is left out: OpenTelemetry's propagator writes it, the client never does.)
 */
import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import type { Client, TraceContext } from '../core/types';

export interface ActiveTrace {
  /** The interaction trace, whatever span is active: what root spans start from. */
  interaction(): TraceContext;
  /** Puts `client.trace` back as a plain property holding the interaction trace. */
  restore(): void;
}

export function followActiveSpan(client: Client): ActiveTrace {
  let interaction = client.trace;
  Object.defineProperty(client, 'trace', {
    configurable: true,
    enumerable: true,
    get(): TraceContext {
      const span = trace.getSpanContext(context.active());
      return span && isSpanContextValid(span)
        ? { traceId: span.traceId, spanId: span.spanId, flags: span.traceFlags }
        : interaction;
    },
    set(value: TraceContext) {
      interaction = value;
    },
  });
  return {
    interaction: () => interaction,
    restore: () => Object.defineProperty(client, 'trace', { configurable: true, enumerable: true, writable: true, value: interaction }),
  };
}
