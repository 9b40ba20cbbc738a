/** Describes anything that was thrown as the `error` field of an event. */
import { fingerprint } from './fingerprint';
import { clip, clipStack, normalize, read, truncate, UNREADABLE } from './serialize';
import { parseStack } from './stack';
import type { ErrorInfo, StackFrame } from './types';

/** What can't be turned into text (a `toString` that throws, a revoked proxy) is the marker. */
function text(value: unknown, max?: number): string {
  try {
    return truncate(typeof value === 'string' ? value : String(value), max);
  } catch {
    return UNREADABLE;
  }
}

/**
 * An Error keeps its name, message and stack. Anything else thrown (a string, an object, null) is
 * described by its type and a readable message, because `throw "oops"` is a bug report too.
 * `at` is where it happened when the value has no stack of its own (an `error` event's location).
 * Each part is read on its own, so one that can't be read costs only itself; each is cut to size
 * before it is parsed or fingerprinted.
 */
export function toErrorInfo(thrown: unknown, handled: boolean, at?: StackFrame): ErrorInfo {
  let type: string = thrown === null ? 'null' : typeof thrown;
  let isError = false;
  try {
    isError = thrown instanceof Error;
    if (type === 'object') {
      const constructor = read(thrown as object, 'constructor');
      const name = constructor ? read(constructor as object, 'name') : undefined;
      type = typeof name === 'string' && name ? clip(name, 256) : 'Object';
    }
  } catch {
    // A revoked proxy answers nothing about itself.
    type = 'object';
  }
  if (isError) {
    const error = thrown as Error;
    const stack = clipStack(read(error, 'stack'));
    const info: ErrorInfo = { type: text(read(error, 'name'), 256), message: text(read(error, 'message')) };
    if (stack !== undefined) info.stack = stack;
    return completeError(info, handled, at);
  }
  const info = normalize(thrown, 3);
  return completeError({ type, message: typeof info === 'string' ? info : text(JSON.stringify(info)) }, handled, at);
}

/** The longest function name or file kept in a frame. */
const MAX_FRAME_TEXT = 1_024;

/** Adds frames, `handled` and the fingerprint, so that every error event is grouped the same way. */
export function completeError(info: ErrorInfo, handled: boolean, at?: StackFrame): ErrorInfo {
  const frames = parseStack(clipStack(info.stack)).map((frame) => {
    if (frame.function) frame.function = clip(frame.function, MAX_FRAME_TEXT);
    if (frame.file) frame.file = clip(frame.file, MAX_FRAME_TEXT);
    return frame;
  });
  info.frames = frames[0] ? frames : at && [at];
  info.handled = handled;
  info.fingerprint = fingerprint(info);
  return info;
}
