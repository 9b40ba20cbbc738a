/**
 * The event builder: from what was recorded at call time to one event of the wire format,
 * version 1. It runs on the flush path, so that `log()` itself stays cheap.
 */
import { newTraceId } from './ids';
import { normalize } from './serialize';
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

/** A shallow copy: the app may reuse its object, and what counts is what it held at the call. */
export const copyAttributes = (attributes: unknown): Attributes | undefined =>
  attributes && typeof attributes === 'object' ? { ...attributes } : undefined;

/** Event names are snake_case so they filter like the server's: `checkoutStarted` → `checkout_started`. */
export function toEventName(name: unknown): string {
  if (typeof name === 'string' && /^[a-z][a-z\d_]{0,127}$/.test(name)) return name;
  const snake = String(name)
    .replace(/([a-z\d])(?=[A-Z])/g, '$1_')
    .toLowerCase()
    .replace(/[^a-z\d]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return (/^[a-z]/.test(snake) ? snake : 'event_' + snake).replace(/_$/, '').slice(0, 128);
}

export function buildEvent({ input, time, traceId, spanId, userId, context, url }: EventRecord, base: EventBase): TelemetryEvent {
  // Fields left undefined are simply absent from the JSON.
  const event: TelemetryEvent = {
    timestamp: new Date(time).toISOString(),
    level: input.level,
    event: toEventName(input.event),
    ...base,
    trace_id: traceId,
    span_id: spanId,
    parent_span_id: input.parent_span_id,
    url,
    user_id: userId,
    error: input.error,
    vital: input.vital,
    http: input.http,
    id: newTraceId(),
    sdk: SDK,
  };
  // The app's attributes never overwrite the wire format's fields: a clash is kept as `attr_<name>`.
  const attributes = normalize({ ...context, ...input.attributes }) as Attributes;
  for (const key in attributes) event[key in event ? 'attr_' + key : key] = attributes[key];
  return event;
}
