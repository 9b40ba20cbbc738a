/**
 * The page's uncaught errors and unhandled promise rejections, as `client_error` and
 * `unhandled_rejection` events. Listeners are added beside the page's own (`window.onerror` and
 * other listeners keep working), and an error storm is rate limited per error, with one
 * `errors_suppressed` event saying how many occurrences were held back.
 */
import { completeError, firstFrameLine, toErrorInfo } from '../core/error-info';
import { say } from '../core/logger';
import { isReported } from '../core/reported';
import type { ErrorInfo, Integration } from '../core/types';
import { listen } from './listen';

/** Each error may send BURST events at once, then one more per REFILL_MS (a token bucket). */
const BURST = 5;
const REFILL_MS = 10_000;
/** How long a storm is counted before its summary goes out (and at the latest when the page hides). */
const SUMMARY_MS = 5_000;
/** Errors remembered; past this, the buckets start afresh. */
const MAX_KEYS = 100;

/** Words that hold a digit: numbers, ids, hashes, line and column. Anchored at word starts, so it stays linear. */
const NUMBERS = /\b\w*\d\w*/g;

/**
 * The storm limit's key for an error: FNV-1a (http://www.isthe.com/chongo/tech/comp/fnv/) over its
 * type, its message and the first frame line of its stack (or the one frame it has), with words
 * that hold digits folded, so that `order 5123` and `order 77`, or a line and column, are one key.
 * It is not the error's fingerprint: that one is computed by the sink from the parsed top three
 * frames (`src/sink/fingerprint.ts`), and the parser stays out of the page. A storm is one error
 * thrown again and again from one place, which its first frame line tells well enough; at worst,
 * two anonymous functions of one script, whose first lines differ only in digits, share one limit.
 */
export function stormKey({ type, message, stack, frames }: ErrorInfo): string {
  const text = (type + '|' + message + '|' + (firstFrameLine(stack) ?? frames?.[0]?.file)).replace(NUMBERS, '0');
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(36);
}

/** The summary of held-back errors leaves with the page too: events added while hidden are beaconed at once. */
const EVENTS = ['error', 'unhandledrejection', 'visibilitychange', 'pagehide'];

/**
 * React 18's development build runs failed work again inside a fake event (`invokeGuardedCallbackDev`
 * dispatching to a detached element, so that DevTools pause on the exception), and then hands the
 * original error to a boundary or throws it on itself: what is raised during that replay would be
 * reported twice. The current stack tells, looked at deep enough to see past a DOM implemented in
 * JavaScript; it costs some microseconds, so only for errors about to be sent.
 */
function replaying(): boolean {
  const limit = Error.stackTraceLimit;
  // Only where there is a limit (V8, JavaScriptCore), and by Reflect.set, which answers false where
  // Error is frozen instead of throwing.
  const raised = limit < 50 && Reflect.set(Error, 'stackTraceLimit', 50);
  const stack = String(new Error().stack);
  if (raised) Reflect.set(Error, 'stackTraceLimit', limit);
  return stack.includes('invokeGuardedCallbackDev');
}

/**
 * An `error` event's error, and a hint for the reader when there is one to give. A script from
 * another origin, loaded without CORS, throws as "Script error." with no details, on purpose
 * (https://html.spec.whatwg.org/#muted-errors). The pre-load snippet's recordings are described here too.
 */
export function describeErrorEvent({ error, message, filename, lineno, colno }: ErrorEvent): [ErrorInfo, string?] {
  return error == null && !filename && message === 'Script error.'
    ? [
        completeError({ type: 'CrossOriginScriptError', message }, false),
        'to see it, add crossorigin="anonymous" to its <script> tag and serve the script with CORS headers',
      ]
    : [toErrorInfo(error, false, filename ? { file: filename, line: lineno, column: colno } : undefined)];
}

export function errors(): Integration {
  return {
    name: 'errors',
    setup(client) {
      // The token bucket as one number per error (its storm key), the "theoretical arrival time" of GCRA
      // (https://en.wikipedia.org/wiki/Generic_cell_rate_algorithm): each event sent moves it
      // REFILL_MS on; an event is sent while it stays within BURST refills of now.
      const due = new Map<string, number>();
      const held = new Map<string, [count: number, error: ErrorInfo]>();
      let timer: ReturnType<typeof setTimeout> | undefined;
      // Set while an event is handled: an error raised meanwhile (by a getter or `toJSON` of the
      // thrown value, by a patched console) comes from handling the first and must not come back in.
      let busy = false;

      const summarize = (): void => {
        clearTimeout(timer);
        timer = undefined;
        held.forEach(([count, error]) =>
          client.capture({
            // It stands for errors not sent one by one: like them, it is never sampled out. It
            // carries the error, so the sink gives it the same fingerprint as the ones that were sent.
            level: 'error',
            event: 'errors_suppressed',
            error,
            attributes: { count, error_type: error.type, error_message: error.message },
          }),
        );
        held.clear();
      };

      const report = (event: string, error: ErrorInfo, hint?: string): void => {
        const key = stormKey(error);
        const now = Date.now();
        const next = Math.max(due.get(key) || 0, now) + REFILL_MS;
        if (next - now <= BURST * REFILL_MS) {
          if (replaying()) return;
          if (due.size >= MAX_KEYS) due.clear();
          due.set(key, next);
          client.capture({ level: 'error', event, error, attributes: { hint } });
        } else {
          if (__DEV__ && client.options?.debug) {
            say(
              'debug',
              `held back ${event} ${error.type} by the storm limit (${BURST} of one error at once, then one per ${REFILL_MS / 1000} s); an errors_suppressed event will count them`,
            );
          }
          held.set(key, [(held.get(key)?.[0] || 0) + 1, error]);
          timer ??= setTimeout(summarize, SUMMARY_MS);
        }
      };

      const listener = (event: Event): void => {
        if (busy) return;
        busy = true;
        try {
          const { error, reason } = event as ErrorEvent & PromiseRejectionEvent;
          // Passed over: an error already reported (by a React error boundary) and met again when
          // it is thrown on.
          if (isReported(error ?? reason)) return;
          if (event.type === 'unhandledrejection') {
            report('unhandled_rejection', toErrorInfo(reason, false));
          } else if (event.type !== 'error') {
            summarize();
          } else if ('message' in event) {
            // Only ErrorEvents: a plain `error` Event (an image or script that failed to load, seen in
            // the capture phase) has nothing to report.
            report('client_error', ...describeErrorEvent(event as ErrorEvent));
          }
        } catch {
          // Nothing the SDK does may throw into the page.
        } finally {
          busy = false;
        }
      };

      // Capture phase: window hears `visibilitychange` even when it is dispatched without bubbling.
      const unlisten = listen(EVENTS, listener);
      return () => {
        unlisten();
        summarize();
      };
    },
  };
}
