/**
 * The client travels down the tree in a context, not as a module-level singleton: two roots (or
 * two tests) can each have their own, and server rendering never shares one between requests.
 * Without a provider, the client `init()` made is the fallback.
 */
import { createContext, createElement, useContext, type ReactNode } from 'react';
import { defaultClient } from '../core/default-client';
import { report } from '../core/logger';
import type { Client } from '../core/types';

// Pure: an app that imports nothing from here drops it.
export const TelemetryContext = /* @__PURE__ */ createContext<Client | null>(null);

export interface TelemetryProviderProps {
  client: Client;
  children?: ReactNode;
}

export function TelemetryProvider({ client, children }: TelemetryProviderProps): ReactNode {
  return createElement(TelemetryContext.Provider, { value: client }, children);
}

/** The client of the nearest `<TelemetryProvider>`, else the one `init()` made. */
export function useTelemetry(): Client {
  return orInert(useContext(TelemetryContext));
}

const nothing = (): void => {};
let warned = false;

/**
 * The provider's client, else the one `init()` made; without either, a client that does nothing,
 * and one console error: a missing client must not take the app down, but the developer should
 * hear of it once, not at every render.
 */
export function orInert(client: Client | null | undefined): Client {
  const found = client ?? defaultClient();
  if (found) return found;
  if (!warned) report('useTelemetry() and <ErrorBoundary> need init() or a <TelemetryProvider client={client}> above them; nothing is reported from here.');
  warned = true;
  return {
    log: nothing,
    captureError: nothing,
    capture: nothing,
    setUser: nothing,
    setContext: nothing,
    traceId: () => '',
    flush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
    currentTrace: () => ({ traceId: '', flags: 0 }),
    addTraceSource: () => nothing,
    options: {} as Client['options'],
  };
}
