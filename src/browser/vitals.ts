/**
 * `webVitals()`: LCP, INP, CLS, FCP and TTFB from the web-vitals library, each reported once, when
 * final, as a `web_vital` event. web-vitals finalises CLS and INP when the page is hidden; the
 * client sends events that arrive while the page is hidden at once, by beacon.
 *
 * web-vitals is not part of the app's first bundle: `webVitals()` imports it dynamically, so every
 * bundler puts it in a chunk of its own, fetched once the page has loaded (see after-load.ts). Its
 * observers ask for the browser's buffered entries, so the paints, shifts and slow interactions
 * before that are still counted. A chunk that fails to load (offline, a Content Security Policy, a
 * 404) turns the vitals off for the page, and the development build says why.
 *
 * Each vital goes in the trace of what it measured, not the one current when it is reported (a
 * hidden page's last click): LCP, FCP, TTFB and CLS in the page load's trace, INP in the trace of
 * the interaction it measured.
 */
import type { Metric } from 'web-vitals';
import { report, say } from '../core/logger';
import type { Client, Integration, VitalInfo } from '../core/types';
import { afterLoad } from './after-load';
import { listen } from './listen';

/** How many interactions are remembered for INP: it reports the slowest one, seldom an old one. */
const MARKS = 100;

export type Reporter = (callback: (metric: Metric & { attribution?: object }) => void) => void;

export interface WebVitalsOptions {
  /**
   * The attribution (the LCP element and its phases, the INP target and its phases, the largest
   * layout shift's target) comes with `webVitals` from `tracebeam/vitals-attribution`. A dynamic
   * import here would still be bundled, or inlined, by some bundlers into every app; so here
   * `true` only says where to get it, and the vitals go without.
   */
  attribution?: boolean;
}

/** web-vitals' five reporters, from the chunk of its own that the dynamic import makes. */
const loadWebVitals = (): Promise<Reporter[]> =>
  import('web-vitals').then(({ onLCP, onINP, onCLS, onFCP, onTTFB }) => [onLCP, onINP, onCLS, onFCP, onTTFB] as Reporter[]);

export function webVitals(options?: WebVitalsOptions): Integration {
  noteAttribution(options);
  return loadedVitalsIntegration(loadWebVitals);
}

/** `attribution: true` in a build without it: one word on where to find it. */
export function noteAttribution(options: WebVitalsOptions | undefined): void {
  if (options?.attribution)
    report('webVitals({ attribution: true }): import webVitals from "tracebeam/vitals-attribution" for attribution; the vitals go without it.');
}

/** The integration over one build's reporters, observed at setup: web-vitals' attribution build, or its plain build inline (the script tag). */
export function vitalsIntegration(reporters: Reporter[]): Integration {
  return observing((observe) => observe(reporters));
}

/**
 * The integration over reporters that `load` brings, called once the page has loaded. Whatever goes
 * wrong there (a chunk that does not arrive, a reporter that throws) ends in this promise, never
 * in the page: the vitals are off for the page.
 */
export function loadedVitalsIntegration(load: () => Promise<Reporter[]>): Integration {
  return observing((observe, client) =>
    afterLoad(() => {
      new Promise<Reporter[]>((resolve) => resolve(load())).then(observe).catch((error: unknown) => {
        if (__DEV__ && client.options?.debug) say('warn', 'web vitals are off for this page: web-vitals did not load or start', error);
      });
    }),
  );
}

/** The integration, `start` handing it the reporters to observe; what `start` returns undoes it. */
function observing(start: (observe: (reporters: Reporter[]) => void, client: Client) => void | (() => void)): Integration {
  return {
    name: 'webVitals',
    setup(client) {
      let stopped = false;
      // Integrations are set up at start, before any interaction: this is the page load's trace
      // (the server's, from <meta name="traceparent">, or the page's first).
      const load = client.currentTrace().traceId;
      // The trace current at each interaction, by its event's timeStamp. This capture listener was
      // added after the client's own, which renews the trace, so it reads the interaction's new one.
      const marks: Array<[time: number, traceId: string]> = [];
      const unlisten = listen(['click', 'submit', 'keydown'], (event) => {
        if (marks.push([event.timeStamp, client.currentTrace().traceId]) > MARKS) marks.shift();
      });
      // An INP's entries are the events of one interaction (pointerdown, pointerup, click...) that
      // took longest, each from its event's timeStamp to the next paint. On a busy page the
      // pointerdown and the click share that paint, and only the pointerdown, the longer, is kept:
      // so the interaction's mark is the latest one before the end of its entries, not their start
      // (durations are rounded to 8 ms, hence the 4 ms). No attribution build needed.
      const traceOf = ({ name, entries }: Metric): string => {
        let trace = load;
        if (name === 'INP') {
          const end = Math.max(...entries.map((entry) => entry.startTime + entry.duration));
          for (const [at, id] of marks) if (at <= end + 4) trace = id;
        }
        return trace;
      };
      const observe = (reporters: Reporter[]): void => {
        // Reporters that arrive after shutdown are not started.
        if (stopped) return;
        for (const on of reporters) {
          on((metric) => {
            const { name, value, rating, delta, id, navigationType, attribution: details } = metric;
            if (stopped) return;
            const vital: VitalInfo = { name, value, rating, delta, id, navigation_type: navigationType };
            // Only plain values: the attribution's entries and DOM nodes are large and cyclic.
            if (details) {
              vital.attribution = Object.fromEntries(Object.entries(details).filter(([, v]) => typeof v === 'string' || typeof v === 'number'));
            }
            client.capture({ level: 'info', event: 'web_vital', vital, trace_id: traceOf(metric) });
          });
        }
      };
      const cancel = start(observe, client);
      // web-vitals has no way to stop observing; after shutdown its reports are ignored.
      return () => {
        stopped = true;
        cancel?.();
        unlisten();
      };
    },
  };
}
