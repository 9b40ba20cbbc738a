/**
 * The script-tag build, `dist/tracebeam.min.js`: everything the package entry exports, on the
 * global `tracebeam`, plus a client of its own configured by the tag's data attributes:
 *
 *   <script src=".../tracebeam.min.js" data-sink="/api/log" data-service="web"></script>
 *
 * This is the one module of the package that does something when it is evaluated (the ESM entries
 * never import it): it reads its own tag, which is only known while the script runs, and takes
 * over what the pre-load snippet recorded.
 */
import { initWith } from '../browser/init';
import { report } from '../core/logger';
import { isPreloadStub } from '../snippet/protocol';
import { optionsFromScript } from './attributes';
import { createGlobal, type ScriptGlobal } from './global';
import { webVitals } from './vitals';

export * from '../index';
// web-vitals inline, observed from the start: this file loads no chunks (src/script/vitals.ts).
export { webVitals } from './vitals';

// Still the pre-load snippet's stub, if there was one: the global is assigned once this returns.
const previous = (globalThis as { tracebeam?: unknown }).tracebeam;
// A second copy of this file on the page (a script tag beside the snippet's) speaks for the first,
// so that there is one client, and one listener for the page's errors.
const api =
  typeof (previous as ScriptGlobal | undefined)?.init === 'function' && !isPreloadStub(previous)
    ? (previous as ScriptGlobal)
    : createGlobal((options) => initWith(options, webVitals()), previous);
export const { init, log, captureError, setUser, setContext, traceId, flush, shutdown } = api;

// `tracebeam.init({...})` called through the snippet before the SDK arrived; taken before the
// first `init` replays (and empties) the queue.
const queued = isPreloadStub(previous) ? previous._q.filter(([method]) => method === 'init') : [];
const options = optionsFromScript(document.currentScript);
if (typeof options === 'string') report(options + '; telemetry is off until tracebeam.init() is called.');
else if (options) init(options);
queued.forEach(([, args]) => init(args[0] as never));
