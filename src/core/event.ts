/**
 * The event builder: from what was recorded at call time to one event of the wire format,
 * version 1. It runs on the flush path, so that `log()` itself stays cheap.
 */
import { newTraceId } from './ids';
import { clip, copyEntries, MAX_STRING, normalize, UNREADABLE } from './serialize';
import type { Attributes, CaptureInput, Level, TelemetryEvent } from './types';
import { SDK_NAME, SDK_VERSION } from './version';

/** What `capture` keeps at call time: cheap to take, enough to build the event later. */
export interface EventRecord {
  input: CaptureInput;
  time: number;
  traceId: string;
  spanId?: string;
  userId?: string;
  context?: Attributes;
  url?: string;
}

/** Fields that are the same on every event of one client. */
export interface EventBase {
  service: string;
  release?: string;
  environment?: string;
  session_id?: string;
}

const SDK = { name: SDK_NAME, version: SDK_VERSION };

const LEVELS = ['debug', 'info', 'warn', 'error'];

/** A level the app got wrong is read as `info`, not dropped. */
export const toLevel = (level: unknown): Level => (LEVELS.includes(level as string) ? (level as Level) : 'info');

/**
 * A shallow copy: the app may reuse its object, and what counts is what it held at the call. At
 * most `MAX_ITEMS` keys, each read on its own: a getter that throws costs its own value, an object
 * that can't be listed (a throwing or revoked proxy) becomes the marker; the event is never lost.
 */
export function copyAttributes(attributes: unknown): Attributes | undefined {
  if (!attributes || typeof attributes !== 'object') return undefined;
  try {
    return copyEntries(attributes);
  } catch {
    return { attributes: UNREADABLE };
  }
}

/** A name longer than the schema allows is no name a reader filters on; it is cut before it is scanned. */
const MAX_NAME_INPUT = 256;

/** Event names are snake_case so they filter like the server's: `checkoutStarted` → `checkout_started`. */
export function toEventName(name: unknown): string {
  if (typeof name === 'string' && /^[a-z][a-z\d_]{0,127}$/.test(name)) return name;
  let text: string;
  try {
    // `Object.create(null)` has no `toString`, and an app's may throw: neither may cost the event.
    text = clip(typeof name === 'string' ? name : String(name), MAX_NAME_INPUT);
  } catch {
    text = 'unreadable';
  }
  const snake = text
    .replace(/([a-z\d])(?=[A-Z])/g, '$1_')
    .toLowerCase()
    .replace(/[^a-z\d]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return (/^[a-z]/.test(snake) ? snake : 'event_' + snake).replace(/_$/, '').slice(0, 128);
}

// The events of one flush mostly fall within a second: its ISO 8601 text is made once and the
// milliseconds appended, which halves the cost of a timestamp.
let second = NaN;
let secondText = '';

/** `2026-11-21T14:13:10.042Z`, as `Date#toISOString` writes it. */
export function toTimestamp(time: number): string {
  const whole = Math.floor(time);
  const ms = ((whole % 1000) + 1000) % 1000;
  // Sliced from the end: years past 9999 are written longer.
  if (whole - ms !== second) secondText = new Date((second = whole - ms)).toISOString().slice(0, -4);
  return secondText + String(1000 + ms).slice(1) + 'Z';
}

/** Scrubs a value the app or an integration supplied (see redact.ts), given the key it goes under. */
export type Scrub = <T>(value: T, key?: string) => T;

const keep: Scrub = (value) => value;

const fit = (text: string | undefined, max: number, scrub: Scrub): string | undefined =>
  typeof text === 'string' ? clip(scrub(clip(text, max)), max) : undefined;

/**
 * Only what came from the app or an integration goes through `scrub`: the ids, times and names
 * the SDK makes itself hold nothing of theirs, and `base` is the client's to scrub once.
 */
export function buildEvent({ input, time, traceId, spanId, userId, context, url }: EventRecord, base: EventBase, scrub = keep): TelemetryEvent {
  // Fields left undefined are simply absent from the JSON.
  const event: TelemetryEvent = {
    timestamp: toTimestamp(time),
    level: input.level,
    event: toEventName(input.event),
    ...base,
    trace_id: traceId,
    span_id: spanId,
    parent_span_id: input.parent_span_id,
    // Cut before scrubbing (no scan of a long page URL), and after: a redaction marker may be longer
    // than what it replaced. The schema's limits.
    url: fit(url, MAX_STRING, scrub),
    user_id: fit(userId, 256, scrub),
    error: scrub(input.error),
    vital: scrub(input.vital),
    http: scrub(input.http),
    id: newTraceId(),
    sdk: SDK,
  };
  // The app's attributes never overwrite the wire format's fields: a clash is kept as `attr_<name>`.
  const attributes = normalize({ ...context, ...input.attributes }) as Attributes;
  for (const key in attributes) event[key in event ? 'attr_' + key : key] = scrub(attributes[key], key);
  return event;
}
