/** `createClient` for the browser: the core client with the page's fetch, beacon and lifecycle. */
import { createCoreClient } from '../core/client';
import type { Client, ClientOptions } from '../core/types';
import { onVisibility } from './visibility';

export function createClient(options: ClientOptions): Client {
  return createCoreClient(options, {
    // Captured before any integration patches `fetch`, so the SDK never traces its own requests.
    fetch: fetch.bind(globalThis),
    sendBeacon: (url, body) => navigator.sendBeacon(url, body),
    baseUrl: location.href,
    pageUrl: () => location.href,
    onVisibility,
  });
}
