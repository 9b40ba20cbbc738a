/** Describes anything that was thrown as the `error` field of an event. */
import { fingerprint } from './fingerprint';
import { normalize, truncate } from './serialize';
import { parseStack } from './stack';
import type { ErrorInfo, StackFrame } from './types';

/**
 * An Error keeps its name, message and stack. Anything else thrown (a string, an object, null) is
 * described by its type and a readable message, because `throw "oops"` is a bug report too.
 * `at` is where it happened when the value has no stack of its own (an `error` event's location).
 */
export function toErrorInfo(thrown: unknown, handled: boolean, at?: StackFrame): ErrorInfo {
  const info = normalize(thrown, 3) as ErrorInfo | string;
  let type: string = thrown === null ? 'null' : typeof thrown;
  try {
    if (thrown instanceof Error && typeof info === 'object') return completeError({ ...info }, handled, at);
    if (type === 'object') type = (thrown as object).constructor?.name || 'Object';
  } catch {
    // A revoked proxy answers nothing about itself.
  }
  return completeError({ type, message: truncate(typeof info === 'string' ? info : String(JSON.stringify(info))) }, handled, at);
}

/** Adds frames, `handled` and the fingerprint, so that every error event is grouped the same way. */
export function completeError(info: ErrorInfo, handled: boolean, at?: StackFrame): ErrorInfo {
  const frames = parseStack(info.stack);
  info.frames = frames[0] ? frames : at && [at];
  info.handled = handled;
  info.fingerprint = fingerprint(info);
  return info;
}
