/**
 * The propagator of OTel mode: W3C `traceparent` (and `tracestate`) by OpenTelemetry's own
 * W3CTraceContextPropagator, plus the client's plain correlation header, whose value is the trace
 * id, so that backends which only log `x-trace-id` join the trace as they do in the light model.
 * https://opentelemetry.io/docs/specs/otel/context/api-propagators/#textmap-propagator
 */
import { isSpanContextValid, trace, type TextMapPropagator } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { parseTraceparent } from '../core/trace-context';

/** What the carrier already holds, where it can tell: `Headers` and `Map` can. */
const read = (carrier: unknown, key: string): string | null | undefined => (carrier as { get?: (key: string) => string | null })?.get?.(key);

export function correlationPropagator(header: string): TextMapPropagator {
  const w3c = new W3CTraceContextPropagator();
  return {
    inject(context, carrier, setter) {
      // A `traceparent` the caller set is kept, and its trace id goes in the correlation header,
      // as in the light model (design, "Trace model"). The fetch instrumentation injects into a
      // copy of the caller's headers as a `Headers`, where we can see it.
      const own = read(carrier, 'traceparent');
      if (own == null) w3c.inject(context, carrier, setter);
      const span = trace.getSpanContext(context);
      // One that can't be parsed leaves the current trace's id, as the light model does.
      const traceId = parseTraceparent(own)?.traceId || (span && isSpanContextValid(span) && span.traceId);
      if (traceId && read(carrier, header) == null) setter.set(carrier, header, traceId);
    },
    extract: (context, carrier, getter) => w3c.extract(context, carrier, getter),
    fields: () => [...w3c.fields(), header],
  };
}
