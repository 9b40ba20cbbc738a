/**
 * The SDK's own voice in the console, which never throws, even where `console` is patched.
 * `report` is for the app's developer (a wrong option) and always speaks; `debug` only when asked.
 */
export function report(message: string, detail?: unknown): void {
  try {
    console.error('[tracebeam] ' + message, detail ?? '');
  } catch {
    // A console that throws must not take the page down with it.
  }
}

/** Routine lines are `debug`; what the app's developer should notice (a refused batch) is `warn`. */
export type DebugLevel = 'debug' | 'info' | 'warn';

export type Debug = (message: string, level?: DebugLevel) => void;

/**
 * `debug: true`: the SDK says what it does, at console levels that match (routine lines are not
 * errors, and browsers hide `debug` until asked for verbose output).
 */
export const createDebug =
  (enabled: boolean): Debug =>
  (message, level = 'debug') => {
    if (!enabled) return;
    try {
      console[level]('[tracebeam] ' + message);
    } catch {
      // As above: a throwing console is no reason to fail.
    }
  };
