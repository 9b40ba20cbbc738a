/**
 * `tracebeam/vitals-attribution`: `webVitals()` over web-vitals' attribution build, for apps that
 * want to know which element, interaction or shift made a vital what it is. Its own entry, so that
 * only the apps that import it ship that build, whatever their bundler.
 */
import { onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals/attribution';
import type { Integration } from '../core/types';
import { vitalsIntegration, type Reporter, type WebVitalsOptions } from './vitals';

export type { WebVitalsOptions };

/** LCP, INP, CLS, FCP and TTFB as `web_vital` events, each with the plain fields of its attribution. */
export function webVitals(_options?: WebVitalsOptions): Integration {
  return vitalsIntegration([onLCP, onINP, onCLS, onFCP, onTTFB] as Reporter[]);
}
