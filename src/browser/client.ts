/**
 * `createClient` for the browser: the core client with the page's fetch, beacon, lifecycle,
 * outbox, session and interaction trace.
 */
import { createCoreClient } from '../core/client';
import type { Client, ClientOptions } from '../core/types';
import { followInteractions } from './interaction-trace';
import { createOutbox } from './outbox';
import { createSession } from './session';
import { onVisibility } from './visibility';

export function createClient(options: ClientOptions): Client {
  const session = createSession();
  return createCoreClient(options, {
    // Captured before any integration patches `fetch`, so the SDK never traces its own requests.
    fetch: fetch.bind(globalThis),
    sendBeacon: (url, body) => navigator.sendBeacon(url, body),
    baseUrl: location.href,
    pageUrl: () => location.href,
    sessionId: session.id,
    isSampled: session.isSampled,
    onVisibility,
    outbox: createOutbox,
    start: followInteractions,
  });
}
