/**
 * Renders into a happy-dom page with whichever React this run resolved (19 from the root, 18 in
 * the react18 project), and a real core client whose requests are recorded.
 */
import { act, version, type ReactNode } from 'react';
import { version as domVersion } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, vi } from 'vitest';
import { createCoreClient } from '../../../src/core/client';
import type { ClientOptions, TelemetryEvent } from '../../../src/core/types';
import { recordingFetch } from '../core/recording-fetch';

/** React's major version under test, e.g. "React 18". */
export const REACT = `React ${version.split('.')[0]}`;
if (version !== domVersion) throw new Error(`two Reacts in one run: react ${version}, react-dom ${domVersion}`);

// Tells React that `act` is in use, so it flushes effects inside it and doesn't warn.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

// Vitest turns off happy-dom's error capturing, so an exception in an event listener escapes
// `dispatchEvent`. Browsers report it to the window's `error` listeners instead, and React 18's
// development build depends on that (it replays failed work inside a fake event); so do the tests
// of what the page's global `error` listener gets to see.
(window as unknown as { happyDOM: { settings: { disableErrorCapturing: boolean } } }).happyDOM.settings.disableErrorCapturing = false;

const mounted: Root[] = [];

afterEach(() => {
  mounted.splice(0).forEach((root) => act(() => root.unmount()));
  document.body.innerHTML = '';
});

export interface Rendered {
  container: HTMLElement;
  rerender(element: ReactNode): void;
}

export function render(element: ReactNode, options?: Parameters<typeof createRoot>[1]): Rendered {
  const container = document.body.appendChild(document.createElement('div'));
  const root = createRoot(container, options);
  mounted.push(root);
  act(() => root.render(element));
  return { container, rerender: (next) => act(() => root.render(next)) };
}

/**
 * Renders as a page does, outside `act`: inside it React hands uncaught errors to `act` to throw,
 * not to the root's error callback or the page. Resolves once `until` holds.
 */
export async function renderAsPage(element: ReactNode, until: () => void, options?: Parameters<typeof createRoot>[1]): Promise<HTMLElement> {
  const container = document.body.appendChild(document.createElement('div'));
  const root = createRoot(container, options);
  const scope = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean };
  scope.IS_REACT_ACT_ENVIRONMENT = false;
  try {
    root.render(element);
    await vi.waitFor(until);
  } finally {
    root.unmount();
    scope.IS_REACT_ACT_ENVIRONMENT = true;
  }
  return container;
}

/** A client that sends to a recorder; `events()` flushes and returns what was sent. */
export function testClient(options: Partial<ClientOptions> = {}) {
  const recorder = recordingFetch(202);
  const client = createCoreClient({ sink: 'https://logs.test/api/log', service: 'web', ...options }, { fetch: recorder.fetch });
  return {
    client,
    async events(): Promise<TelemetryEvent[]> {
      await client.flush();
      return recorder.events();
    },
  };
}

/** React logs every error it meets; the tests keep the console quiet and read what was logged. */
export function quietConsole() {
  return vi.spyOn(console, 'error').mockImplementation(() => {});
}
