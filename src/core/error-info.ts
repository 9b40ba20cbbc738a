/**
 * Describes anything that was thrown as the `error` field of an event. The stack goes as text: the
 * sink reads it into frames and computes the fingerprint (`src/sink/error-details.ts`), which
 * keeps the stack grammars and the hash out of every page's bundle.
 */
import { clip, clipStack, normalize, read, truncate, UNREADABLE } from './serialize';
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
 * Each part is read on its own, so one that can't be read costs only itself, and is cut to size.
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

/**
 * The first line of a stack that stands for a frame: V8's `    at …` lines once there is one (its
 * header, the message, may hold anything), else a line with an `@` (SpiderMonkey, JavaScriptCore).
 * A cheap look, not a parse: `[ \t]`, not `\s`, which would cross line ends and go quadratic.
 */
export function firstFrameLine(stack: string | undefined): string | undefined {
  return stack && (/^[ \t]*at .*/m.exec(stack) ?? /^.*@.*/m.exec(stack))?.[0];
}

/**
 * Adds `handled`, and `at` as the one frame when the stack has none to give (a thrown string, a
 * stack of only its message): so the sink and the viewer still show where it happened.
 */
export function completeError(info: ErrorInfo, handled: boolean, at?: StackFrame): ErrorInfo {
  if (at && !firstFrameLine(info.stack)) info.frames = [at];
  info.handled = handled;
  return info;
}
