/**
 * The world a page under test lives in, all on 127.0.0.1: an app origin that serves the built
 * package, test pages, a real tracebeam sink at /api/log and a small API; and a second origin for
 * cross-origin calls. Tests assert on what the sink received, never on SDK internals.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TelemetryEvent } from 'tracebeam';
import { createSinkHandler, toNodeListener } from 'tracebeam/sink';
import { createPages, listen, send, serveFile } from './http';

/** One request as the API saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request body as the sink saw it, before validation. */
export interface SinkRequest {
  contentType: string;
  bytes: number;
  status: number;
}

export interface TestApp {
  /** The app origin, e.g. http://127.0.0.1:41234 */
  url: string;
  /** A second origin, for cross-origin calls. */
  otherOrigin: string;
  /** Serves `html` at a fresh path of the app origin and returns its URL. */
  page(html: string): string;
  /** Events the sink accepted, in order. */
  events(): TelemetryEvent[];
  sinkRequests: SinkRequest[];
  /** Requests that reached the API (/api/* other than the sink), on either origin. */
  apiRequests: SeenRequest[];
  /** Answers the sink gives before handling (e.g. [503, 503]); empty means handle normally. */
  sinkFailures: number[];
  /** How long the sink waits before it answers, in ms. */
  sinkDelayMs: number;
  /** Every event in every body the sink was sent, repeats included (the sink itself drops them), whether a beacon brought it, and its `error` as the page sent it. */
  received: Array<{ id: string; beacon: boolean; error?: unknown }>;
  /** Waits until `predicate` holds for the events, or fails after `timeoutMs`. */
  waitForEvents(predicate: (events: TelemetryEvent[]) => boolean, timeoutMs?: number): Promise<TelemetryEvent[]>;
  reset(): void;
  close(): Promise<void>;
}

export async function startTestApp(): Promise<TestApp> {
  const events: TelemetryEvent[] = [];
  const pages = createPages();
  const app = {} as TestApp;
  Object.assign(app, { sinkRequests: [], apiRequests: [], sinkFailures: [], sinkDelayMs: 0, received: [] });

  const other = await listen((req, res) => api(req, res, app, true));
  const main = await listen(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/api/log') return sink(req, res);
    if (path.startsWith('/api/')) return api(req, res, app, false);
    const html = pages.get(path);
    if (html) return send(res, 200, 'text/html', html);
    if (path.startsWith('/dist/') || path.startsWith('/node_modules/')) return serveFile(res, path);
    send(res, 404, 'text/plain', 'not found');
  });

  const sinkListener = toNodeListener(createSinkHandler({ write: (batch) => void events.push(...batch), allowedOrigins: [other.url] }));
  function sink(req: IncomingMessage, res: ServerResponse): void {
    const failure = app.sinkFailures.shift();
    let bytes = 0;
    const record = { contentType: String(req.headers['content-type']), bytes: 0, status: failure ?? 0 };
    app.sinkRequests.push(record);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      record.bytes = bytes += chunk.length;
      chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { events?: Array<{ id?: string; error?: unknown }> };
        const beacon = record.contentType.startsWith('text/plain');
        for (const event of body.events ?? [])
          app.received.push(event.error === undefined ? { id: String(event.id), beacon } : { id: String(event.id), beacon, error: event.error });
      } catch {
        // Not a batch: the sink answers it as it should.
      }
    });
    res.on('finish', () => (record.status = res.statusCode));
    if (failure) {
      req.resume();
      return void send(res, failure, 'application/json', '{"error":"failure injected by the test"}');
    }
    const delay = app.sinkDelayMs;
    if (delay) {
      // A slow sink: the answer leaves `delay` ms after the sink made it.
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      res.end = ((...args: unknown[]) => {
        setTimeout(() => end(...args), delay);
        return res;
      }) as typeof res.end;
    }
    sinkListener(req, res);
  }

  Object.assign(app, {
    url: main.url,
    otherOrigin: other.url,
    page: (html: string) => main.url + pages.add(html),
    events: () => events.slice(),
    async waitForEvents(predicate: (e: TelemetryEvent[]) => boolean, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(events)) {
        if (Date.now() > deadline) {
          throw new Error(`the sink did not receive the expected events in ${timeoutMs} ms; it has: ${JSON.stringify(events.map((e) => e.event))}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      return events.slice();
    },
    reset() {
      events.length = 0;
      app.sinkRequests.length = 0;
      app.apiRequests.length = 0;
      app.sinkFailures.length = 0;
      app.received.length = 0;
      app.sinkDelayMs = 0;
    },
    close: async () => void (await Promise.all([main.close(), other.close()])),
  });
  return app;
}

/** The small API the pages call: echo, a status of choice, a redirect, a slow answer. */
async function api(req: IncomingMessage, res: ServerResponse, app: TestApp, crossOrigin: boolean): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  if (crossOrigin) {
    res.setHeader('access-control-allow-origin', String(req.headers.origin ?? '*'));
    res.setHeader('access-control-expose-headers', 'x-echo');
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-headers', String(req.headers['access-control-request-headers'] ?? ''));
      res.setHeader('access-control-allow-methods', 'GET, POST, PUT, DELETE');
      return send(res, 204, 'text/plain', '');
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const seen: SeenRequest = { method: String(req.method), path: url.pathname, headers: req.headers, body: Buffer.concat(chunks).toString() };
  app.apiRequests.push(seen);
  const status = Number(url.searchParams.get('status') ?? 200);
  const wait = Number(url.searchParams.get('delay') ?? 0);
  if (wait) await new Promise((r) => setTimeout(r, Math.min(wait, 10_000)));
  if (url.pathname === '/api/redirect') {
    // `?to=<url>` redirects anywhere, another origin included.
    res.setHeader('location', url.searchParams.get('to') ?? '/api/echo?redirected=1');
    return send(res, 302, 'text/plain', '');
  }
  res.setHeader('x-echo', 'yes');
  send(res, status, 'application/json', JSON.stringify(seen));
}
