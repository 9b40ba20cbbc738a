/** A request body read as the wire format's `{"events": [...]}`, or the 400 message saying why not. */
import { nestsDeeperThan } from './depth';

/** Deepest nesting of objects and arrays a body may have; an SDK event has fewer than ten levels. */
export const MAX_BODY_DEPTH = 64;
export const SHAPE = 'expected {"events": [...]}';

export type Parsed = { ok: true; events: unknown[] } | { ok: false; message: string };

// One decoder for every request, made on first use: without `stream` a decode keeps no state
// from the one before.
let utf8: TextDecoder | undefined;

export function parseBody(bytes: Uint8Array): Parsed {
  let text: string;
  try {
    text = (utf8 ??= new TextDecoder('utf-8', { fatal: true })).decode(bytes);
  } catch {
    return { ok: false, message: 'body is not valid UTF-8' };
  }
  if (text.trim() === '') return { ok: false, message: `empty body: ${SHAPE}` };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'parse error';
    return { ok: false, message: `malformed JSON: ${reason.length > 200 ? `${reason.slice(0, 200)}…` : reason}` };
  }
  if (nestsDeeperThan(body, MAX_BODY_DEPTH)) {
    return { ok: false, message: `body nests objects or arrays deeper than ${MAX_BODY_DEPTH} levels` };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, message: `body must be a JSON object, not ${kind(body)}: ${SHAPE}` };
  }
  if (!('events' in body)) return { ok: false, message: `body has no "events": ${SHAPE}` };
  const { events, shared } = body as { events: unknown; shared?: unknown };
  if (!Array.isArray(events)) {
    return { ok: false, message: `"events" must be an array, not ${kind(events)}: ${SHAPE}` };
  }
  if (shared === undefined) return { ok: true, events };
  if (shared === null || typeof shared !== 'object' || Array.isArray(shared)) {
    return { ok: false, message: `"shared" must be an object of fields common to every event, not ${kind(shared)}` };
  }
  // Page-exit bodies send the fields every event has in common once; each event's own fields win.
  return { ok: true, events: events.map((event) => (isObject(event) ? { ...shared, ...event } : event)) };
}

const isObject = (value: unknown): value is object => value !== null && typeof value === 'object' && !Array.isArray(value);

export function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
