/**
 * `webVitals()`: LCP, INP, CLS, FCP and TTFB from the web-vitals library, each reported once, when
 * final, as a `web_vital` event. web-vitals finalises CLS and INP when the page is hidden; the
 * client sends events that arrive while the page is hidden at once, by beacon.
 */
import { onCLS, onFCP, onINP, onLCP, onTTFB, type Metric } from 'web-vitals';
import type { Integration, VitalInfo } from '../core/types';

type Reporter = (callback: (metric: Metric & { attribution?: object }) => void) => void;

export interface WebVitalsOptions {
  /**
   * Adds what the attribution build of web-vitals knows: the LCP element and its phases, the INP
   * interaction target and its phases, the largest layout shift's target. Loaded on demand, so
   * apps that don't ask for it don't ship it.
   */
  attribution?: boolean;
}

export function webVitals({ attribution = false }: WebVitalsOptions = {}): Integration {
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
      if (attribution) {
        import('web-vitals/attribution').then(
          (m) => observe([m.onLCP, m.onINP, m.onCLS, m.onFCP, m.onTTFB] as Reporter[]),
          () => observe([onLCP, onINP, onCLS, onFCP, onTTFB] as Reporter[]),
        );
      } else {
        observe([onLCP, onINP, onCLS, onFCP, onTTFB] as Reporter[]);
      }
      // web-vitals has no way to stop observing; after shutdown its reports are ignored.
      return () => (stopped = true);
    },
  };
}
