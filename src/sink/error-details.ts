/**
 * What an error event is given when it arrives: `error.frames` read from `error.stack`, and
 * `error.fingerprint`. The browser sends the stack text alone (parsing it there cost every page
 * 0.9 kB of minified script), as the edge always did. What an event brings (an older client's frames,
 * a custom sender's fingerprint) is kept; only what is missing is filled in.
 */
import { clip, clipStack } from '../core/serialize';
import type { ErrorInfo, StackFrame, TelemetryEvent } from '../core/types';
import { fingerprint } from './fingerprint';
import { parseStack } from './stack-lines';

/** The longest function name or file kept in a frame. */
const MAX_FRAME_TEXT = 1_024;

/**
 * The `error` objects whose fingerprint the sink computed. Source maps compute theirs again from
 * the original names (`refingerprint`); a fingerprint the event brought stays as it came.
 */
const computed = new WeakSet<object>();

/** The events with their errors completed; the same array, and the same objects, where nothing was missing. */
export function completeErrors(events: TelemetryEvent[]): TelemetryEvent[] {
  let out: TelemetryEvent[] | undefined;
  for (let index = 0; index < events.length; index++) {
    const event = events[index]!;
    const completed = completeError(event);
    if (completed !== event) (out ??= events.slice())[index] = completed;
  }
  return out ?? events;
}

/** One event with its error completed, as a new object; the event itself is not changed. */
export function completeError(event: TelemetryEvent): TelemetryEvent {
  const error: unknown = event.error;
  if (error === null || typeof error !== 'object' || Array.isArray(error)) return event;
  const given = error as ErrorInfo;
  if (given.frames !== undefined && given.fingerprint !== undefined) return event;
  try {
    // Own data properties only, whatever their names (`__proto__` included): nothing is inherited or set through a setter.
    const out: ErrorInfo = { ...given };
    if (out.frames === undefined) {
      const frames = framesOf(out.stack);
      if (frames.length > 0) out.frames = frames;
    }
    if (out.fingerprint === undefined) {
      out.fingerprint = fingerprint(out);
      computed.add(out);
    }
    return { ...event, error: out };
  } catch {
    // A message whose `toString` throws can only come from a caller in this process, not from JSON:
    // the event is written as it came rather than not at all.
    return event;
  }
}

/**
 * After source maps mapped `before`'s frames into `after`: a fingerprint the sink computed is
 * computed again from the original names and files, which stay the same across releases where
 * minified ones do not. One the event brought is kept.
 */
export function refingerprint(before: object, after: ErrorInfo): void {
  if (!computed.has(before)) return;
  after.fingerprint = fingerprint(after);
  computed.add(after);
}

/** The frames of a stack as the browser once sent them: the same clipped text read, long names cut. */
function framesOf(stack: unknown): StackFrame[] {
  return parseStack(clipStack(stack)).map((frame) => {
    if (frame.function) frame.function = clip(frame.function, MAX_FRAME_TEXT);
    if (frame.file) frame.file = clip(frame.file, MAX_FRAME_TEXT);
    return frame;
  });
}
