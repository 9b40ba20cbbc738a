// How the demo backend joins the browser's trace: the W3C `traceparent` first, then the plain
// `x-trace-id` (for callers that send only that), else a trace of its own. The same rules as the
// Django and FastAPI recipes in examples/.
import { randomBytes } from 'node:crypto';
import { parseTraceparent } from 'tracebeam/edge';

const TRACE_ID = /^[0-9a-f]{32}$/;

/** `{ trace_id, span_id? }` for a request's headers; `span_id` is the caller's span, the parent of this request. */
export function requestTrace(headers) {
  // node:http joins a repeated header with ", ", which parseTraceparent rightly refuses.
  const parent = parseTraceparent(headers.traceparent);
  if (parent) return { trace_id: parent.traceId, span_id: parent.spanId };
  const plain = String(headers['x-trace-id'] ?? '')
    .trim()
    .toLowerCase();
  if (TRACE_ID.test(plain) && !/^0+$/.test(plain)) return { trace_id: plain };
  return { trace_id: randomBytes(16).toString('hex') };
}
