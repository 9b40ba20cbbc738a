/**
 * The pre-load snippet, inlined first in `<head>`:
 *
 *   <script data-src="https://cdn.example.com/tracebeam.min.js" data-sink="/api/log" data-service="web">
 *     …the contents of dist/snippet.min.js…
 *   </script>
 *
 * Until the SDK has loaded it records the page's errors and unhandled rejections, and the calls
 * made to `tracebeam.init`, `log`, `captureError`, `setUser` and `setContext`, each with its time.
 * It loads the SDK from `data-src`, asynchronously, passing its other data attributes on (they
 * configure the SDK as on a plain script tag); the SDK replays the queue once its client runs.
 * Without `data-src` it only records, for a script tag placed further down the page.
 *
 * It is kept to what every browser of the last years parses, and to a few hundred bytes: it
 * delays everything after it in `<head>`.
 */
import { MAX_RECORDED, type PreloadStub } from './protocol';

type Stub = PreloadStub & Record<string, unknown>;

/** The part of the Trusted Types API the snippet uses (not in TypeScript's DOM types yet). */
interface TrustedWindow {
  trustedTypes?: { createPolicy(name: string, rules: { createScriptURL(url: string): string }): { createScriptURL(url: string): unknown } };
}

((win: Window & { tracebeam?: unknown }, doc: Document) => {
  // A second copy of the snippet, or the SDK itself already here.
  if (win.tracebeam) return;
  const events = ['error', 'unhandledrejection'];
  const script = doc.currentScript as HTMLScriptElement | null;
  const stub = { _q: [], _d: 0 } as unknown as Stub;
  const record = (method: string, args: ArrayLike<unknown>): void => {
    if (stub._q.length < MAX_RECORDED) stub._q.push([method, args, Date.now()]);
    else stub._d++;
  };
  // The ErrorEvent itself is kept: the SDK reads it as its own listener would have.
  const onEvent = (event: Event): void => record(event.type, [event]);
  events.forEach((type) => win.addEventListener(type, onEvent));
  stub._off = () => events.forEach((type) => win.removeEventListener(type, onEvent));
  ['init', 'log', 'captureError', 'setUser', 'setContext'].forEach(
    (method) =>
      (stub[method] = function () {
        record(method, arguments);
      }),
  );
  win.tracebeam = stub;

  const data = script && script.dataset;
  if (data && data.src) {
    const sdk = doc.createElement('script');
    Object.assign(sdk.dataset, data);
    sdk.async = true;
    // Under `require-trusted-types-for 'script'` a script's URL must be a TrustedScriptURL: a policy
    // named `tracebeam` makes one where the page's `trusted-types` directive allows that name
    // (https://w3c.github.io/trusted-types/dist/spec/#trusted-types-csp-directive); where it does
    // not, createPolicy throws and the plain URL is tried, as without Trusted Types.
    let src: unknown = data.src;
    try {
      src = (win as unknown as TrustedWindow).trustedTypes!.createPolicy('tracebeam', { createScriptURL: (url: string) => url }).createScriptURL(data.src);
    } catch {
      // No Trusted Types here, or no policy of that name allowed.
    }
    sdk.src = src as string;
    script!.after(sdk);
  }
})(window, document);
