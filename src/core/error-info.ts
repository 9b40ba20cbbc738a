/** Describes anything that was thrown as the `error` field of an event. */
import { normalize, truncate } from './serialize';
import type { ErrorInfo } from './types';

/**
 * An Error keeps its name, message and stack. Anything else thrown (a string, an object, null) is
 * described by its type and a readable message, because `throw "oops"` is a bug report too.
 */
export function toErrorInfo(thrown: unknown, handled: boolean): ErrorInfo {
  const info = normalize(thrown, 3) as ErrorInfo | string;
  let type: string = thrown === null ? 'null' : typeof thrown;
  try {
    if (thrown instanceof Error && typeof info === 'object') return { ...info, handled };
    if (type === 'object') type = (thrown as object).constructor?.name || 'Object';
  } catch {
    // A revoked proxy answers nothing about itself.
  }
  return { type, message: truncate(typeof info === 'string' ? info : String(JSON.stringify(info))), handled };
}
