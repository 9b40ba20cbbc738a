/**
 * One event of the wire format, version 1 (`src/core/event.schema.json`), built for the edge.
 * The fields, the snake_case names and the `attr_` rule for clashing attributes are the ones
 * `buildEvent` applies; what differs is the safety net for the app's values. `normalize` (depth
 * caps, DOM nodes, getters that throw) alone weighs about 0.5 KB min+gzip, a sixth of the edge
 * budget, and an edge function has no DOM: a JSON round trip per value does the job here.
 */
import { toEventName } from '../core/event';
import { newTraceId } from '../core/ids';
import { redactValue } from '../core/redact';
import type { CaptureInput, ErrorInfo, TelemetryEvent } from '../core/types';
import { SDK_NAME, SDK_VERSION } from '../core/version';

/** Fields that are the same on every event of one request or client. */
export interface EdgeBase {
  service: string;
  release?: string;
  environment?: string;
  trace_id: string;
  span_id?: string;
}

/** A JSON-safe copy; what JSON can not take (a cycle, a BigInt) is kept as its string. */
export function plain(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value) ?? 'null');
  } catch {
    return String(value);
  }
}

/** The `error` field for anything thrown: an Error keeps its name, message and stack. */
export function errorInfo(thrown: unknown, handled: boolean): ErrorInfo {
  const error = thrown instanceof Error ? thrown : undefined;
  return {
    type: error ? error.name : thrown === null ? 'null' : typeof thrown,
    // `throw "oops"` and `throw { code: 1 }` are bug reports too.
    message: String(error ? error.message : typeof thrown === 'object' ? JSON.stringify(plain(thrown)) : thrown),
    stack: error?.stack,
    handled,
  };
}

/**
 * With `redact`, what came from the app or the request (the error, the call, the attributes) is
 * scrubbed as the browser scrubs it, key names included; `base` is the client's to scrub once.
 */
export function edgeEvent(input: CaptureInput, base: EdgeBase, redact: boolean): TelemetryEvent {
  const scrub: <T>(value: T, key?: string) => T = redact ? redactValue : (value) => value;
  // Fields left undefined are simply absent from the JSON.
  const event: TelemetryEvent = {
    id: newTraceId(),
    timestamp: new Date(input.time ?? Date.now()).toISOString(),
    level: input.level,
    event: toEventName(input.event),
    ...base,
    // An outgoing call's event has the call's span, under the request's.
    span_id: input.span_id ?? base.span_id,
    parent_span_id: input.parent_span_id,
    error: scrub(input.error),
    http: scrub(input.http),
    sdk: { name: SDK_NAME, version: SDK_VERSION },
  };
  // The app's attributes never overwrite the wire format's fields: a clash is kept as `attr_<name>`.
  for (const key in input.attributes) event[key in event ? 'attr_' + key : key] = scrub(plain(input.attributes[key]), key);
  return event;
}
