/**
 * Ids in OTel mode. A root span (a request made outside any span, or the app's own top span) takes
 * the interaction trace's id, so that the light model and the OTel model agree: the errors and the
 * API calls of one click share one trace id. Span ids come from `crypto.getRandomValues`, as the
 * design asks of every id (the SDK's default `RandomIdGenerator` uses `Math.random`).
 */
import type { IdGenerator } from '@opentelemetry/sdk-trace-web';
import { newSpanId } from '../core/ids';

export const interactionIds = (traceId: () => string): IdGenerator => ({
  generateTraceId: traceId,
  generateSpanId: newSpanId,
});
