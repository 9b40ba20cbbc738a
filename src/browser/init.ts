/** `init`: the browser client with every default integration, for apps that want it all in one call. */
import { registerDefaultClient } from '../core/default-client';
import type { Client, ClientOptions, Integration } from '../core/types';
import { createClient } from './client';
import { errors } from './errors';
import { fetchTracing } from './fetch';
import { webVitals } from './vitals';
import { xhrTracing } from './xhr';

/**
 * `createClient` with errors, fetch and XHR tracing and web vitals. An integration the app passes
 * replaces the default of the same name, e.g. `init({ ..., integrations: [webVitals()] })` with
 * `webVitals` from `tracebeam/vitals-attribution`. The client is also the one `tracebeam/react`
 * falls back to where no `<TelemetryProvider>` gives one.
 */
export function init(options: ClientOptions): Client {
  return initWith(options, webVitals());
}

/**
 * `init` with the given web vitals integration among the defaults: the package's loads web-vitals
 * once the page has loaded; the script tag's has it inline (src/script/vitals.ts).
 */
export function initWith(options: ClientOptions, vitals: Integration): Client {
  const defaults = [errors(), fetchTracing(), xhrTracing(), vitals];
  let merged: ClientOptions;
  try {
    const own: unknown = options?.integrations ?? [];
    merged = {
      ...options,
      // Anything but an array is left for the client to report by name.
      integrations: Array.isArray(own)
        ? [...defaults.filter((fallback) => !own.some((mine: Integration) => mine?.name === fallback.name)), ...own]
        : (own as Integration[]),
    };
  } catch {
    // Options that can't be read (a revoked Proxy, a getter that throws): the client reports them.
    merged = options;
  }
  // What an <ErrorBoundary> without a <TelemetryProvider> reports to.
  return registerDefaultClient(createClient(merged));
}
