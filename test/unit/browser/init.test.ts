// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { init } from '../../../src/browser/init';
import type { Client, Integration } from '../../../src/core/types';

let client: Client | undefined;
afterEach(async () => {
  await client?.shutdown();
  vi.restoreAllMocks();
});

describe('init', () => {
  it('starts errors, fetch and XHR tracing and web vitals', async () => {
    const originalFetch = window.fetch;
    const originalOpen = XMLHttpRequest.prototype.open;
    client = init({ sink: '/api/log', service: 'web' });
    expect(window.fetch).not.toBe(originalFetch);
    expect(XMLHttpRequest.prototype.open).not.toBe(originalOpen);
    await client.shutdown();
    expect(window.fetch).toBe(originalFetch);
    expect(XMLHttpRequest.prototype.open).toBe(originalOpen);
  });

  it('lets an integration of the app replace the default of the same name, and keeps the app’s others', () => {
    const started: string[] = [];
    const own = (name: string): Integration => ({ name, setup: () => void started.push(name) });
    const originalFetch = window.fetch;
    client = init({ sink: '/api/log', service: 'web', integrations: [own('fetchTracing'), own('custom')] });
    expect(started).toEqual(['fetchTracing', 'custom']);
    // The default fetchTracing was replaced, so fetch is not patched.
    expect(window.fetch).toBe(originalFetch);
  });

  it('leaves a wrong integrations option for the client to report by name', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    client = init({ sink: '/api/log', service: 'web', integrations: 'all' as never });
    expect(error).toHaveBeenCalledTimes(1);
    expect(error.mock.calls[0][0]).toContain('option `integrations`');
  });

  it('never throws on missing options', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => (client = init(undefined as never))).not.toThrow();
  });
});
