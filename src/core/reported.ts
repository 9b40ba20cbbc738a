/**
 * Marks an error once it has been reported, so that the same error object met again (a fallback
 * that rethrows to an outer boundary, React handing it to a root error handler, the page's global
 * `error` listener) is not reported a second time.
 *
 * The mark is a registered symbol, not a module-level WeakSet: the global listener of `errors()`
 * can test for it without importing React code, and two copies of the SDK on one page (the
 * script tag and a bundled copy) see each other's marks.
 */
export const REPORTED: unique symbol = Symbol.for('tracebeam.reported') as never;

export function isReported(error: unknown): boolean {
  try {
    return !!(error as { [REPORTED]?: unknown } | null | undefined)?.[REPORTED];
  } catch {
    // A revoked proxy answers nothing about itself.
    return false;
  }
}

/** Returns false when the error was already marked. Primitives and frozen objects can't carry a mark. */
export function markReported(error: unknown): boolean {
  if (isReported(error)) return false;
  try {
    // Not enumerable: it stays out of the app's own JSON and console output.
    Object.defineProperty(error, REPORTED, { value: true });
  } catch {
    // reported anyway, only not marked
  }
  return true;
}
