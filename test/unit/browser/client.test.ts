// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '../../../src/browser/client';

function hide(state: 'hidden' | 'visible'): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

afterEach(() => {
  vi.restoreAllMocks();
  hide('visible');
});

describe('createClient (browser)', () => {
  it('resolves a relative sink against the page and sends with the fetch it found at creation', async () => {
    const sent: string[] = [];
    const original = globalThis.fetch;
    globalThis.fetch = (async (url: RequestInfo | URL) => {
      sent.push(String(url));
      return new Response(null, { status: 202 });
    }) as typeof fetch;
    const client = createClient({ sink: '/api/log', service: 'web' });
    // An integration that patches fetch later must not see the SDK's own requests.
    globalThis.fetch = (() => {
      throw new Error('patched fetch used by the transport');
    }) as typeof fetch;
    try {
      client.log('info', 'x');
      await client.flush();
      expect(sent).toEqual([new URL('/api/log', location.href).href]);
    } finally {
      globalThis.fetch = original;
      await client.shutdown();
    }
  });

  it('beacons waiting events when the page is hidden, and on pagehide', async () => {
    const beacon = vi.spyOn(navigator, 'sendBeacon').mockReturnValue(true);
    const client = createClient({ sink: 'https://logs.test/api/log', service: 'web' });
    client.log('info', 'before_hide');
    await Promise.resolve();
    hide('hidden');
    expect(beacon).toHaveBeenCalledTimes(1);
    expect(beacon.mock.calls[0][0]).toBe('https://logs.test/api/log');
    expect(String(beacon.mock.calls[0][1])).toContain('before_hide');
    hide('visible');
    client.log('info', 'before_pagehide');
    await Promise.resolve();
    dispatchEvent(new Event('pagehide'));
    expect(beacon).toHaveBeenCalledTimes(2);
    await client.shutdown();
    // After shutdown the page's lifecycle no longer reaches the client.
    dispatchEvent(new Event('pagehide'));
    expect(beacon).toHaveBeenCalledTimes(2);
  });

  it('stamps the page URL on events', async () => {
    const beacon = vi.spyOn(navigator, 'sendBeacon').mockReturnValue(true);
    const client = createClient({ sink: 'https://logs.test/api/log', service: 'web' });
    client.log('info', 'x');
    await Promise.resolve();
    hide('hidden');
    expect(JSON.parse(String(beacon.mock.calls[0][1])).events[0].url).toBe(location.href);
    await client.shutdown();
  });
});
