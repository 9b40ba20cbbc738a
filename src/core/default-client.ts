/**
 * The client `init()` made, for the code that has no other way to reach one: an
 * `<ErrorBoundary>` or `useTelemetry()` with no `<TelemetryProvider>` above it (as Sentry's and
 * Faro's boundaries work after their `init`). Only `init()` registers, the latest call wins, and
 * components reach it only as that fallback: a provider still decides where an app has several
 * clients.
 *
 * A registered symbol on the global, not a module variable: `tracebeam` and `tracebeam/react` are
 * separate bundles, and a page may hold two copies of the SDK (the script tag and a bundled one).
 */
import type { Client } from './types';

const KEY: unique symbol = Symbol.for('tracebeam.client') as never;
type Holder = { [KEY]?: Client };

export function registerDefaultClient(client: Client): Client {
  (globalThis as Holder)[KEY] = client;
  return client;
}

export function defaultClient(): Client | undefined {
  return (globalThis as Holder)[KEY];
}
