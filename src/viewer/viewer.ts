/**
 * The viewer of `tracebeam sink --ui`: a page listing recent events live, and a trace page that
 * lays one trace's client events, backend log lines and spans on a waterfall. A web-standard
 * handler for GET and HEAD; the sink keeps answering POST on every path.
 *
 * Events are untrusted input (any page can send them): the HTML is a constant that holds no data,
 * the page builds its DOM with `textContent` only, and the Content-Security-Policy allows no inline
 * script, so text in an event can never run as code.
 */
import type { LogObject } from '../log-fields/fields';
import { scanObjects } from '../timeline/scan';
import { parseTraceId } from '../log-fields/trace-id';
import { viewerScript } from './client';
import { PAGE_HTML, VIEWER_CSS } from './page';
import type { RecentEvents } from './recent';
import { eventStream, type EventStream } from './sse';
import { collectTraceData, type TraceSources } from './trace-data';
import { toViewRecord, type ViewRecord } from './view-record';

export interface ViewerOptions {
  recent: RecentEvents;
  sources: TraceSources;
  /** Events from before the sink started, read once when the list is first asked for. */
  history?: () => Promise<LogObject[]>;
  /**
   * Whether a `Host` header names this viewer. A page on another site can point its own name at
   * 127.0.0.1 (DNS rebinding) and would then read the events; the host check refuses it.
   */
  allowHost?: (host: string) => boolean;
  keepAliveMs?: number;
}

export interface Viewer {
  handle(request: Request): Promise<Response>;
  /** Ends the live streams, so that the server can close. */
  close(): void;
}

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const TRACE_PATH = /^\/trace\/([^/]+)\/?$/;
const TRACE_API_PATH = /^\/api\/trace\/([^/]+)$/;

export function createViewer(options: ViewerOptions): Viewer {
  const streams = new Set<EventStream>();
  let history: Promise<void> | undefined;
  const loadHistory = (): Promise<void> =>
    (history ??= (options.history?.() ?? Promise.resolve([])).then(
      (older) => options.recent.seed(older),
      () => undefined,
    ));

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const host = request.headers.get('host') ?? url.host;
    if (options.allowHost !== undefined && !options.allowHost(host)) {
      return text(403, 'this viewer only answers to the address the sink listens on\n');
    }
    const path = url.pathname;
    if (path === '/' || path === '/index.html') return html();
    const trace = TRACE_PATH.exec(path);
    if (trace !== null) {
      const id = parseTraceId(decode(trace[1]!));
      if (id === undefined) return text(404, 'not a trace id: expected 32 hex digits\n');
      // One address per trace, so links and history agree.
      if (`/trace/${id}` !== path) return new Response(null, { status: 308, headers: { location: `/trace/${id}`, ...SECURITY_HEADERS } });
      return html();
    }
    if (path === '/assets/viewer.js') return asset('text/javascript; charset=utf-8', viewerScript());
    if (path === '/assets/viewer.css') return asset('text/css; charset=utf-8', VIEWER_CSS);
    if (path === '/api/events') {
      await loadHistory();
      const limit = Math.min(Number(url.searchParams.get('limit')) || 500, 5_000);
      return json({ events: views(options.recent.list().slice(-limit)) });
    }
    const traceApi = TRACE_API_PATH.exec(path);
    if (traceApi !== null) {
      const id = parseTraceId(decode(traceApi[1]!));
      if (id === undefined) return json({ error: 'not a trace id: expected 32 hex digits' }, 404);
      return json(await collectTraceData(id, options.sources));
    }
    if (path === '/events/stream') return live();
    return text(404, 'not found\n');
  }

  function live(): Response {
    const stream = eventStream({
      start: (send) => options.recent.subscribe((events) => send('events', views(events))),
      onEnd: () => streams.delete(stream),
      keepAliveMs: options.keepAliveMs,
    });
    streams.add(stream);
    return stream.response;
  }

  return {
    async handle(request) {
      try {
        if (request.method !== 'GET' && request.method !== 'HEAD') {
          return text(405, 'the viewer only answers GET\n', { allow: 'GET, HEAD' });
        }
        return await handle(request);
      } catch (error) {
        console.error('tracebeam sink: viewer failed', error);
        return text(500, 'internal error in the viewer\n');
      }
    },
    close() {
      for (const stream of [...streams]) stream.close();
    },
  };
}

function views(events: readonly LogObject[]): ViewRecord[] {
  return scanObjects(undefined, 'sink', events).map((record) => toViewRecord(record, 'client'));
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function html(): Response {
  return new Response(PAGE_HTML, { headers: { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS } });
}

function asset(type: string, body: string): Response {
  return new Response(body, { headers: { 'content-type': type, ...SECURITY_HEADERS } });
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS } });
}

function text(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS, ...headers } });
}
