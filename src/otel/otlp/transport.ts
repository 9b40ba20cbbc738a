/**
 * `otlpTransport()`: the client's batches as OTLP/HTTP JSON to an OpenTelemetry Collector (or any
 * OTLP endpoint): `span` events to `/v1/traces`, every other event to `/v1/logs`.
 * https://github.com/open-telemetry/opentelemetry-proto/blob/main/docs/specification.md#otlphttp
 *
 * The client still decides when to send, retries and goes by beacon at page exit; this only says
 * how one batch travels. The requests go by the fetch the client captured before any patching, so
 * they are never traced themselves.
 */
import { BEACON_MAX_BYTES, utf8Length } from '../../core/transport/envelope';
import { REQUEST_TIMEOUT_MS } from '../../core/transport/http';
import { classify, type SendResult } from '../../core/transport/retry';
import type { TelemetryEvent, Transport, TransportContext } from '../../core/types';
import { encodeLogs, encodeTraces, isSpanEvent, toLogRecord, toOtlpSpan } from './encode';

export type { Transport, TransportContext };

export interface OtlpTransportOptions {
  /** The OTLP/HTTP base URL, e.g. `https://otel.example.com:4318`; `/v1/traces` and `/v1/logs` are appended. Defaults to the client's `sink`. */
  url?: string;
  /** Sent with every request, e.g. a vendor's API key. A beacon can carry none, so with headers page exit goes by keepalive fetch. */
  headers?: Record<string, string>;
}

/** Ids of delivered events remembered for a retry, at most. */
const MAX_REMEMBERED = 10_000;

type Beacon = (url: string, data: Blob) => boolean;

const defaultBeacon: Beacon = (url, data) => navigator.sendBeacon(url, data);

/** One request: a signal's path, its body, and the ids of the events in it. */
interface Part {
  path: '/v1/traces' | '/v1/logs';
  body: string;
  ids: string[];
}

/** Room left in a body for its resource and scope wrappers, beyond the records themselves. */
const WRAPPER_BYTES = 2_000;

/**
 * The requests for `events`, each body within `maxBytes` where splitting can do it (a single event
 * larger than that goes alone). Logs come first: that is where the errors are, and at page exit the
 * browser's 64 KiB allowance for beacons may run out before the last request. Page exit is no time
 * for trial and error on the main thread: records are measured once and packed in order, and a body
 * is cut again only if the wrappers took more room than allowed for.
 */
export function toParts(events: TelemetryEvent[], maxBytes = Infinity): Part[] {
  const parts: Part[] = [];
  const encode = (path: Part['path'], list: TelemetryEvent[]): void => {
    const body = JSON.stringify(path === '/v1/logs' ? encodeLogs(list) : encodeTraces(list));
    if (list.length > 1 && utf8Length(body) > maxBytes) {
      encode(path, list.slice(0, list.length >> 1));
      encode(path, list.slice(list.length >> 1));
    } else {
      parts.push({ path, body, ids: list.map((event) => event.id) });
    }
  };
  const pack = (path: Part['path'], list: TelemetryEvent[]): void => {
    let chunk: TelemetryEvent[] = [];
    let bytes = WRAPPER_BYTES;
    for (const event of list) {
      if (maxBytes < Infinity) {
        const size = utf8Length(JSON.stringify(isSpanEvent(event) ? toOtlpSpan(event) : toLogRecord(event))) + 1;
        if (chunk.length && bytes + size > maxBytes) {
          encode(path, chunk);
          chunk = [];
          bytes = WRAPPER_BYTES;
        }
        bytes += size;
      }
      chunk.push(event);
    }
    if (chunk.length) encode(path, chunk);
  };
  pack(
    '/v1/logs',
    events.filter((event) => !isSpanEvent(event)),
  );
  pack('/v1/traces', events.filter(isSpanEvent));
  return parts;
}

async function post(fetchFn: typeof fetch, url: string, body: string, headers: Record<string, string>, keepalive: boolean): Promise<SendResult> {
  const abort = new AbortController();
  const timeout = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
  try {
    // OTLP/JSON requires this content type (a collector answers 415 to text/plain), so a
    // cross-origin collector gets a CORS preflight: see the README on the collector's `cors`.
    return classify(await fetchFn(url, { method: 'POST', body, keepalive, signal: abort.signal, headers: { ...headers, 'content-type': 'application/json' } }));
  } catch {
    return NaN;
  } finally {
    clearTimeout(timeout);
  }
}

export function otlpTransport(options: OtlpTransportOptions = {}, beacon: Beacon = defaultBeacon): Transport {
  const headers = { ...options.headers };
  // Beacons only where they can arrive: a beacon carries no headers, and one with an OTLP body
  // (application/json) to another origin is a credentialed CORS request, which Chromium reports
  // as queued and then drops unless the collector answers `Access-Control-Allow-Credentials: true`
  // for that exact origin. A keepalive fetch needs only the collector's plain CORS setting.
  const beacons = !Object.keys(headers).length;
  const sameOrigin = (url: string): boolean => new URL(url, globalThis.location?.href).origin === globalThis.location?.origin;
  // Events of a batch that partly failed, which their part already delivered: when the batch comes
  // back for its retry, they are not sent twice (OTLP receivers do not drop repeats).
  const delivered = new Set<string>();
  return {
    async send(jsons, { sink, exit, fetch: fetchFn }) {
      const base = (options.url ?? sink).replace(/\/+$/, '');
      const all = jsons.map((json) => JSON.parse(json) as TelemetryEvent);
      const events = all.filter((event) => !delivered.has(event.id));
      const parts = toParts(events, exit ? BEACON_MAX_BYTES : Infinity);
      const results = await Promise.all(
        parts.map((part) => {
          const url = base + part.path;
          if (exit && beacons && sameOrigin(url)) {
            try {
              // A Blob keeps its type; a string would go as text/plain, which OTLP refuses.
              if (beacon(url, new Blob([part.body], { type: 'application/json' }))) return 'sent' as const;
            } catch {
              // Refused: the keepalive fetch below is the fallback.
            }
          }
          return post(fetchFn, url, part.body, headers, exit);
        }),
      );
      const waits = results.filter((result): result is number => typeof result === 'number');
      if (waits.length) {
        // A batch the client gave up on never comes back to clear its ids: a bound keeps that small.
        if (delivered.size > MAX_REMEMBERED) delivered.clear();
        parts.forEach((part, i) => {
          if (results[i] === 'sent') part.ids.forEach((id) => delivered.add(id));
        });
        const asked = waits.filter((wait) => wait >= 0);
        return asked.length ? Math.max(...asked) : NaN;
      }
      all.forEach((event) => delivered.delete(event.id));
      return results.includes('refused') ? 'refused' : 'sent';
    },
  };
}
