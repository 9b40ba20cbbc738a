/**
 * `webVitals()` of the script tag: web-vitals inline, observed from the start. The file has no
 * chunks to load later (see docs/script-tag.md), so nothing is gained by waiting for the page's
 * load, and a page left before it still reports what web-vitals had measured by then.
 */
import { onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals';
import type { Integration } from '../core/types';
import { noteAttribution, vitalsIntegration, type Reporter, type WebVitalsOptions } from '../browser/vitals';

export function webVitals(options?: WebVitalsOptions): Integration {
  noteAttribution(options);
  return vitalsIntegration([onLCP, onINP, onCLS, onFCP, onTTFB] as Reporter[]);
}
