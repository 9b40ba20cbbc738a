import { describe, expect, it, vi } from 'vitest';
import type { Client, TelemetryEvent } from '../../../src/core/types';

// web-vitals needs a real page; here its reporters are stand-ins the test triggers, and the real
// library is exercised by the browser tests (test/e2e/vitals.spec.ts).
const reporters = vi.hoisted(() => new Map<string, (metric: object) => void>());
const fake = (name: string) => (callback: (metric: object) => void) => void reporters.set(name, callback);
vi.mock('web-vitals', () => ({ onLCP: fake('LCP'), onINP: fake('INP'), onCLS: fake('CLS'), onFCP: fake('FCP'), onTTFB: fake('TTFB') }));
vi.mock('web-vitals/attribution', () => ({ onLCP: fake('LCP'), onINP: fake('INP'), onCLS: fake('CLS'), onFCP: fake('FCP'), onTTFB: fake('TTFB') }));

const { webVitals } = await import('../../../src/browser/vitals');

function fakeClient() {
  const captured: Array<Partial<TelemetryEvent>> = [];
  return { client: { capture: (event: Partial<TelemetryEvent>) => captured.push(event) } as unknown as Client, captured };
}

const metric = (name: string, extra: object = {}) => ({
  name, value: 1234.5, rating: 'needs-improvement', delta: 1234.5, id: `v5-${name}`, navigationType: 'navigate', entries: [{}], ...extra,
});

describe('webVitals', () => {
  it('observes all five vitals and reports each as a web_vital event', () => {
    reporters.clear();
    const { client, captured } = fakeClient();
    webVitals().setup(client);
    expect([...reporters.keys()].sort()).toEqual(['CLS', 'FCP', 'INP', 'LCP', 'TTFB']);
    reporters.get('LCP')!(metric('LCP'));
    expect(captured).toEqual([
      {
        level: 'info',
        event: 'web_vital',
        vital: { name: 'LCP', value: 1234.5, rating: 'needs-improvement', delta: 1234.5, id: 'v5-LCP', navigation_type: 'navigate' },
      },
    ]);
  });

  it('adds the plain values of the attribution, never its entries or DOM nodes', async () => {
    reporters.clear();
    const { client, captured } = fakeClient();
    webVitals({ attribution: true }).setup(client);
    await vi.waitFor(() => expect(reporters.size).toBe(5));
    reporters.get('INP')!(
      metric('INP', { attribution: { interactionTarget: 'button#buy', inputDelay: 12, processingDuration: 80, longestScript: { entry: {} }, interactionTargetElement: {} } }),
    );
    expect(captured[0].vital?.attribution).toEqual({ interactionTarget: 'button#buy', inputDelay: 12, processingDuration: 80 });
  });

  it('ignores reports after shutdown', () => {
    reporters.clear();
    const { client, captured } = fakeClient();
    const teardown = webVitals().setup(client) as () => void;
    teardown();
    reporters.get('CLS')!(metric('CLS'));
    expect(captured).toEqual([]);
  });
});
