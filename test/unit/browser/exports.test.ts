// @vitest-environment happy-dom
// The public surface of `tracebeam`: a change here is a reviewed change of the API. Importing it
// does nothing to the page: no global patched, no listener added, no storage touched.
import { afterEach, expect, it, vi } from 'vitest';

afterEach(() => vi.restoreAllMocks());

it('exports exactly these runtime values, all functions', async () => {
  const core = await import('../../../src/index');
  expect(Object.keys(core).sort()).toEqual(['createClient', 'errors', 'fetchTracing', 'init', 'webVitals', 'xhrTracing']);
  for (const value of Object.values(core)) expect(typeof value).toBe('function');
});

it('changes nothing on the page when imported', async () => {
  vi.resetModules();
  const globals = { fetch, open: XMLHttpRequest.prototype.open, send: XMLHttpRequest.prototype.send, pushState: history.pushState, onerror: window.onerror };
  const keys = new Set(Object.keys(globalThis));
  const listeners = [vi.spyOn(window, 'addEventListener'), vi.spyOn(document, 'addEventListener')];
  const storage = [vi.spyOn(Storage.prototype, 'getItem'), vi.spyOn(Storage.prototype, 'setItem')];
  await import('../../../src/index');
  expect({ fetch, open: XMLHttpRequest.prototype.open, send: XMLHttpRequest.prototype.send, pushState: history.pushState, onerror: window.onerror }).toEqual(
    globals,
  );
  expect(Object.keys(globalThis).filter((key) => !keys.has(key))).toEqual([]);
  for (const spy of [...listeners, ...storage]) expect(spy).not.toHaveBeenCalled();
});
