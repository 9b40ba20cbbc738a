// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Client, TelemetryEvent } from '../../../src/core/types';

// web-vitals needs a real page; here its reporters are stand-ins the test triggers, and the real
// library is exercised by the browser tests (test/e2e/vitals.spec.ts).
// Each stand-in notes which build it came from.
const reporters = vi.hoisted(() => new Map<string, (metric: object) => void>());
const builds = vi.hoisted(() => new Set<string>());
const fake = (build: string) => (name: string) => (callback: (metric: object) => void) => {
  builds.add(build);
  reporters.set(name, callback);
};
vi.mock('web-vitals', () => {
  const on = fake('plain');
  return { onLCP: on('LCP'), onINP: on('INP'), onCLS: on('CLS'), onFCP: on('FCP'), onTTFB: on('TTFB') };
});
vi.mock('web-vitals/attribution', () => {
  const on = fake('attribution');
  return { onLCP: on('LCP'), onINP: on('INP'), onCLS: on('CLS'), onFCP: on('FCP'), onTTFB: on('TTFB') };
});

const { webVitals, loadedVitalsIntegration } = await import('../../../src/browser/vitals');
const attributed = await import('../../../src/browser/vitals-attribution');

const LOAD = 'a'.repeat(32);

function fakeClient(debug = false) {
  const captured: Array<Partial<TelemetryEvent>> = [];
  // The client's trace source, which the test moves on as a click would.
  const current = { trace: { traceId: LOAD, flags: 1 } };
  const client = { currentTrace: () => current.trace, capture: (event: Partial<TelemetryEvent>) => captured.push(event), options: { debug } };
  return { client: client as unknown as Client, captured, current };
}

// The page's load, as the browser would give it: `webVitals()` loads web-vitals once it is complete.
let readyState: DocumentReadyState;
beforeEach(() => {
  readyState = 'complete';
  Object.defineProperty(document, 'readyState', { configurable: true, get: () => readyState });
});
afterEach(() => {
  delete (document as { readyState?: unknown }).readyState;
});

/** Waits for the dynamic import of web-vitals and what follows it, or for as long when there is none. */
const settled = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve));
};

const metric = (name: string, extra: object = {}) => ({
  name,
  value: 1234.5,
  rating: 'needs-improvement',
  delta: 1234.5,
  id: `v5-${name}`,
  navigationType: 'navigate',
  entries: [{}],
  ...extra,
});

describe('webVitals', () => {
  it('observes all five vitals and reports each as a web_vital event', async () => {
    reporters.clear();
    builds.clear();
    const { client, captured } = fakeClient();
    webVitals().setup(client);
    await settled();
    expect([...reporters.keys()].sort()).toEqual(['CLS', 'FCP', 'INP', 'LCP', 'TTFB']);
    expect([...builds]).toEqual(['plain']);
    reporters.get('LCP')!(metric('LCP'));
    expect(captured).toEqual([
      {
        level: 'info',
        event: 'web_vital',
        vital: { name: 'LCP', value: 1234.5, rating: 'needs-improvement', delta: 1234.5, id: 'v5-LCP', navigation_type: 'navigate' },
        trace_id: LOAD,
      },
    ]);
  });

  it('adds the plain values of the attribution, never its entries or DOM nodes', async () => {
    reporters.clear();
    builds.clear();
    const { client, captured } = fakeClient();
    attributed.webVitals().setup(client);
    expect([...reporters.keys()].sort()).toEqual(['CLS', 'FCP', 'INP', 'LCP', 'TTFB']);
    expect([...builds]).toEqual(['attribution']);
    reporters.get('INP')!(
      metric('INP', {
        attribution: { interactionTarget: 'button#buy', inputDelay: 12, processingDuration: 80, longestScript: { entry: {} }, interactionTargetElement: {} },
      }),
    );
    expect(captured[0].vital?.attribution).toEqual({ interactionTarget: 'button#buy', inputDelay: 12, processingDuration: 80 });
  });

  it('without the attribution entry, `attribution: true` says where to get it and reports the plain vitals', async () => {
    reporters.clear();
    builds.clear();
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { client, captured } = fakeClient();
    webVitals({ attribution: true }).setup(client);
    await settled();
    expect(error).toHaveBeenCalledOnce();
    expect(String(error.mock.calls[0][0])).toContain('tracebeam/vitals-attribution');
    expect([...builds]).toEqual(['plain']);
    reporters.get('INP')!(metric('INP'));
    expect(captured).toHaveLength(1);
  });

  it('ignores reports after shutdown', async () => {
    reporters.clear();
    builds.clear();
    const { client, captured } = fakeClient();
    const teardown = webVitals().setup(client) as () => void;
    await settled();
    teardown();
    reporters.get('CLS')!(metric('CLS'));
    expect(captured).toEqual([]);
  });

  it('puts LCP, FCP, TTFB and CLS in the page load trace, whatever trace is current when they are reported', async () => {
    reporters.clear();
    const { client, captured, current } = fakeClient();
    const teardown = webVitals().setup(client) as () => void;
    await settled();
    current.trace = { traceId: 'b'.repeat(32), flags: 1 };
    dispatchEvent(new MouseEvent('click'));
    for (const name of ['LCP', 'FCP', 'TTFB', 'CLS']) reporters.get(name)!(metric(name));
    expect(captured.map((event) => event.trace_id)).toEqual([LOAD, LOAD, LOAD, LOAD]);
    teardown();
  });

  it('puts INP in the trace of the interaction it measured, found by the time its entries span', async () => {
    reporters.clear();
    const { client, captured, current } = fakeClient();
    const teardown = webVitals().setup(client) as () => void;
    await settled();
    const clicks: number[] = [];
    for (const id of ['1', '2', '3']) {
      // The client renews the trace before the integration hears the click, as in a page.
      current.trace = { traceId: id.repeat(32), flags: 1 };
      const click = new MouseEvent('click');
      dispatchEvent(click);
      clicks.push(click.timeStamp);
      // Interactions some milliseconds apart, as a person's are.
      for (const until = performance.now() + 20; performance.now() < until;);
    }
    // The second click's interaction: a pointerdown a little before it, and the click itself, both to one paint.
    reporters.get('INP')!(
      metric('INP', {
        entries: [
          { startTime: clicks[1] - 0.5, duration: 8.5 },
          { startTime: clicks[1], duration: 8 },
        ],
      }),
    );
    // The third's, on a busy page: only its pointerdown, longer than the click it shared a paint with.
    reporters.get('INP')!(metric('INP', { entries: [{ startTime: clicks[2] - 3, duration: 160 }] }));
    // An interaction before any click (a key the page does not renew on) stays in the page load's trace.
    reporters.get('INP')!(metric('INP', { entries: [{ startTime: clicks[0] - 1_000, duration: 200 }] }));
    expect(captured.map((event) => event.trace_id)).toEqual(['2'.repeat(32), '3'.repeat(32), LOAD]);
    teardown();
  });

  it('loads web-vitals only once the page has loaded, and still puts an INP of a click before that in its trace', async () => {
    reporters.clear();
    readyState = 'interactive';
    const { client, captured, current } = fakeClient();
    const teardown = webVitals().setup(client) as () => void;
    current.trace = { traceId: 'c'.repeat(32), flags: 1 };
    const click = new MouseEvent('click');
    dispatchEvent(click);
    await settled();
    expect(reporters.size).toBe(0);
    readyState = 'complete';
    dispatchEvent(new Event('load'));
    await settled();
    expect([...reporters.keys()].sort()).toEqual(['CLS', 'FCP', 'INP', 'LCP', 'TTFB']);
    // web-vitals reads the interactions before it from the browser's buffer.
    reporters.get('INP')!(metric('INP', { entries: [{ startTime: click.timeStamp, duration: 152 }] }));
    reporters.get('LCP')!(metric('LCP'));
    expect(captured.map((event) => [event.vital?.name, event.trace_id])).toEqual([
      ['INP', 'c'.repeat(32)],
      ['LCP', LOAD],
    ]);
    teardown();
  });

  it('loads nothing when shut down before the page has loaded', async () => {
    readyState = 'loading';
    const load = vi.fn(async () => []);
    const teardown = loadedVitalsIntegration(load).setup(fakeClient().client) as () => void;
    teardown();
    readyState = 'complete';
    dispatchEvent(new Event('load'));
    await settled();
    expect(load).not.toHaveBeenCalled();
  });

  it('starts no reporter that arrives after shutdown', async () => {
    const on = vi.fn();
    let arrive: (reporters: Array<typeof on>) => void = () => undefined;
    const teardown = loadedVitalsIntegration(() => new Promise((resolve) => (arrive = resolve))).setup(fakeClient().client) as () => void;
    teardown();
    arrive([on]);
    await settled();
    expect(on).not.toHaveBeenCalled();
  });

  for (const [what, load] of [
    ['a chunk that does not arrive', () => Promise.reject(new TypeError('Failed to fetch dynamically imported module: /web-vitals.js'))],
    [
      'a loader that throws',
      () => {
        throw new Error('no dynamic import here');
      },
    ],
    [
      'a reporter that throws',
      async () => [
        () => {
          throw new Error('no PerformanceObserver');
        },
      ],
    ],
  ] as const) {
    it(`${what} never throws into the page; with debug the development build says why`, async () => {
      const unhandled = vi.fn();
      process.on('unhandledRejection', unhandled);
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      try {
        for (const debug of [false, true]) {
          const { client, captured } = fakeClient(debug);
          expect(() => loadedVitalsIntegration(load as () => Promise<never[]>).setup(client)).not.toThrow();
          await settled();
          expect(captured).toEqual([]);
        }
        expect(warn).toHaveBeenCalledOnce();
        expect(String(warn.mock.calls[0][0])).toBe('[tracebeam] web vitals are off for this page: web-vitals did not load or start');
        expect(String(warn.mock.calls[0][1])).toMatch(/Failed to fetch|no dynamic import|no PerformanceObserver/);
        expect(unhandled).not.toHaveBeenCalled();
      } finally {
        process.off('unhandledRejection', unhandled);
      }
    });
  }
});
