/**
 * The common event, confirmed valid without the JSON Schema validator, which costs most of the
 * sink's time per event (it builds a JSON pointer for every value it visits). This is the schema's
 * own rules for the top-level fields, written out; it only ever says "valid for sure": an event
 * with `error`, `vital` or `http`, or anything it does not confirm, goes to the full validator,
 * which also words the reason. A unit test holds the two to the same answers.
 */

const ID = /^[0-9a-f]{32}$/;
const SPAN = /^[0-9a-f]{16}$/;
const TIMESTAMP = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$/;
const EVENT = /^[a-z][a-z0-9_]*$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);
const LEVELS = new Set(['debug', 'info', 'warn', 'error']);

// The schema's maxLength counts code points; a string's UTF-16 length is never fewer, so a length
// within the bound is within it in code points too.
const LIMITS: ReadonlyArray<readonly [string, number]> = [
  ['release', 256],
  ['environment', 256],
  ['session_id', 128],
  ['url', 8192],
  ['user_id', 256],
];

export function surelyValid(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const event = value as Record<string, unknown>;
  if ('error' in event || 'vital' in event || 'http' in event) return false;
  const { id, timestamp, level, event: name, service, trace_id: traceId, sdk } = event;
  if (typeof id !== 'string' || !ID.test(id)) return false;
  if (typeof timestamp !== 'string' || !TIMESTAMP.test(timestamp)) return false;
  if (typeof level !== 'string' || !LEVELS.has(level)) return false;
  if (typeof name !== 'string' || name.length > 128 || !EVENT.test(name)) return false;
  if (typeof service !== 'string' || service.length < 1 || service.length > 256) return false;
  if (typeof traceId !== 'string' || !ID.test(traceId) || traceId === ZERO_TRACE) return false;
  if (!spanOk(event, 'span_id') || !spanOk(event, 'parent_span_id')) return false;
  for (const [key, max] of LIMITS) {
    if (!(key in event)) continue;
    const text = event[key];
    if (typeof text !== 'string' || text.length > max) return false;
  }
  if (sdk === null || typeof sdk !== 'object' || Array.isArray(sdk)) return false;
  const { name: sdkName, version } = sdk as Record<string, unknown>;
  return typeof sdkName === 'string' && typeof version === 'string';
}

function spanOk(event: Record<string, unknown>, key: string): boolean {
  if (!(key in event)) return true;
  const span = event[key];
  return typeof span === 'string' && SPAN.test(span) && span !== ZERO_SPAN;
}
