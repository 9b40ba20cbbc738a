/**
 * Trace ids as people paste them and as loggers write them. The canonical form is the W3C one:
 * 32 lowercase hex digits (https://www.w3.org/TR/trace-context/#trace-id).
 */

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const DECIMAL = /^\d{1,39}$/;
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;
/** Google Cloud Logging's `logging.googleapis.com/trace`: `projects/<project>/traces/<trace_id>`. */
const CLOUD_TRACE = /\/traces\/([0-9a-fA-F-]+)$/;

/**
 * The canonical id for what a user typed: any case, dashes anywhere (a UUID layout, as some
 * backends print it), or a whole `traceparent` value. `undefined` when it is none of those or all
 * zero, which W3C Trace Context declares invalid.
 */
export function parseTraceId(text: string): string | undefined {
  const trimmed = text.trim().toLowerCase();
  const id = TRACEPARENT.exec(trimmed)?.[1] ?? trimmed.replace(/-/g, '');
  return HEX32.test(id) && !/^0+$/.test(id) ? id : undefined;
}

/**
 * The trace id a log field holds, in a form `sameTrace` compares: 32 hex digits, or 16 for the
 * 64-bit ids of Jaeger, Zipkin and Datadog. Datadog logs its ids as decimal numbers
 * (`dd.trace_id`), holding the low 64 bits of a W3C id, so decimals are converted to hex.
 */
export function readTraceIdValue(value: unknown): string | undefined {
  if (typeof value === 'number') {
    // Past 2^53 a JSON number has lost digits: such an id can not be compared reliably.
    return Number.isSafeInteger(value) && value > 0 ? fromDecimal(String(value)) : undefined;
  }
  if (typeof value !== 'string') return undefined;
  let text = value.trim();
  text = CLOUD_TRACE.exec(text)?.[1] ?? text;
  // Digits only, at the length of a hex id, is more likely hex that happens to have no letters.
  if (DECIMAL.test(text) && text.length !== 16 && text.length !== 32) return fromDecimal(text);
  const lower = text.toLowerCase();
  const id = TRACEPARENT.exec(lower)?.[1] ?? lower.replace(/-/g, '');
  if (HEX32.test(id)) return id;
  if (HEX16.test(id)) return id;
  return undefined;
}

/** Whether an id read by `readTraceIdValue` belongs to the canonical trace id `traceId`. */
export function sameTrace(recordId: string, traceId: string): boolean {
  return recordId.length === 16 ? recordId === traceId.slice(16) : recordId === traceId;
}

function fromDecimal(text: string): string | undefined {
  const hex = BigInt(text).toString(16);
  if (hex === '0' || hex.length > 32) return undefined;
  return hex.length <= 16 ? hex.padStart(16, '0') : hex.padStart(32, '0');
}
