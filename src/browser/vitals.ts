/**
 * `webVitals()`: LCP, INP, CLS, FCP and TTFB from the web-vitals library, each reported once, when
 * final, as a `web_vital` event. web-vitals finalises CLS and INP when the page is hidden; the
 * client sends events that arrive while the page is hidden at once, by beacon.
 */
import { onCLS, onFCP, onINP, onLCP, onTTFB, type Metric } from 'web-vitals';
import { report } from '../core/logger';
import type { Integration, VitalInfo } from '../core/types';

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

export function webVitals(options?: WebVitalsOptions): Integration {
  if (options?.attribution) report('webVitals({ attribution: true }): import webVitals from "tracebeam/vitals-attribution" for attribution; the vitals go without it.');
  return vitalsIntegration([onLCP, onINP, onCLS, onFCP, onTTFB] as Reporter[]);
}

/** The integration over one build's reporters: web-vitals' plain build, or its attribution build. */
export function vitalsIntegration(reporters: Reporter[]): Integration {
  return {
    name: 'webVitals',
    setup(client) {
      let stopped = false;
      const observe = (reporters: Reporter[]): void =>
        reporters.forEach((on) =>
          on(({ name, value, rating, delta, id, navigationType, attribution: details }) => {
            if (stopped) return;
            const vital: VitalInfo = { name, value, rating, delta, id, navigation_type: navigationType };
            // Only plain values: the attribution's entries and DOM nodes are large and cyclic.
            if (details) {
              vital.attribution = Object.fromEntries(
                Object.entries(details).filter(([, v]) => typeof v === 'string' || typeof v === 'number'),
              );
            }
            client.capture({ level: 'info', event: 'web_vital', vital });
          }),
        );
      observe(reporters);
      // web-vitals has no way to stop observing; after shutdown its reports are ignored.
      return () => (stopped = true);
    },
  };
}
