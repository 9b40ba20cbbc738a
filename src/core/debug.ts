/**
 * The words of `debug: true`. Everything here but `PRODUCTION_NOTE` is called only where the
 * development flag is on (src/build-flags.d.ts) and `debug` is true: a production build drops
 * those calls, and this module's strings with them. The development build keeps them.
 */
import type { Entry } from './transport/queue';
import type { ResolvedOptions } from './types';

/** What a production build says to `debug: true`, once per client: where the words went. */
export const PRODUCTION_NOTE = 'debug: true needs the development build: export condition `development` (Vite, webpack dev) or tracebeam.development.js';

/** The line at start: what this client does, so that a silent console is not a mystery. */
export function describeStart(options: ResolvedOptions, sampled: boolean, persisted: boolean): string {
  const integrations = options.integrations.map((integration) => integration.name).join(', ') || 'none';
  const sampling = sampled ? 'this session is sampled in' : 'this session is sampled out: only errors are kept';
  return (
    `debug on: service ${options.service}, ` +
    (options.transport ? `the app's transport (sink ${options.sink}), ` : `sink ${options.sink}, `) +
    `integrations ${integrations}; sampleRate ${options.sampleRate}: ${sampling}; ` +
    `persist ${persisted ? 'on: unconfirmed events wait in localStorage for the next page' : 'off'}; redact ${options.redact ? 'on' : 'off'}. ` +
    'Each event is followed at console.debug level (Chrome: "Verbose").'
  );
}

/** The event names of a batch, repeats counted: `http_request ×3, client_error`. */
export function describeEntries(entries: readonly Entry[]): string {
  const counts = new Map<string, number>();
  for (const { json } of entries) {
    // The name is the first `event` key: the builder writes it before any attribute.
    const name = /"event":"([^"]*)"/.exec(json)?.[1] ?? '?';
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, count]) => (count > 1 ? `${name} ×${count}` : name)).join(', ');
}
