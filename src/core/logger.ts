/**
 * The SDK's own voice in the console, which never throws, even where `console` is patched.
 * `report` is for the app's developer (a wrong option) and always speaks, in every build. What
 * `debug: true` adds is said with `say`, only where the development flag is on
 * (src/build-flags.d.ts), so that a production build carries none of it.
 */
export function report(message: string, detail?: unknown): void {
  try {
    console.error('[tracebeam] ' + message, detail ?? '');
  } catch {
    // A console that throws must not take the page down with it.
  }
}

export type ConsoleLevel = 'debug' | 'info' | 'warn' | 'error';

export function say(level: ConsoleLevel, message: string, detail?: unknown): void {
  try {
    console[level]('[tracebeam] ' + message, detail ?? '');
  } catch {
    // As above.
  }
}
