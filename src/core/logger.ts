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

export type Debug = (message: string) => void;

export const createDebug =
  (enabled: boolean): Debug =>
  (message) => {
    if (enabled) report(message);
  };
