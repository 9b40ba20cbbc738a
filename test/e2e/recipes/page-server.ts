/**
 * The origin of the page that calls the recipes: it serves test pages and the built package, has
 * a tracebeam sink at /_sink, and hands every other request to `backend` (a recipe mounted in
 * the same server, or a proxy to one).
 */
import { request } from 'node:http';
import type { TelemetryEvent } from 'tracebeam';
import { createSinkHandler, toNodeListener } from 'tracebeam/sink';
import { createPages, IMPORT_MAP, listen, send, serveFile, type Listener } from '../support/http';

export interface PageServer {
  url: string;
  /** Serves `html` at a fresh path and returns its URL. */
  page(html: string): string;
  /** What the sink at /_sink accepted. */
  events(): TelemetryEvent[];
  close(): Promise<void>;
}

export async function startPageServer(backend?: Listener): Promise<PageServer> {
  const pages = createPages();
  const events: TelemetryEvent[] = [];
  const sink = toNodeListener(createSinkHandler({ write: (batch) => void events.push(...batch) }));

  const server = await listen((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const html = pages.get(path);
    if (html) return send(res, 200, 'text/html', html);
    if (path === '/_sink') return sink(req, res);
    if (path.startsWith('/dist/') || path.startsWith('/node_modules/web-vitals/dist/')) return serveFile(res, path);
    if (backend) return backend(req, res);
    send(res, 404, 'text/plain', 'not found');
  });
  return {
    url: server.url,
    page: (html) => server.url + pages.add(html),
    events: () => events.slice(),
    close: server.close,
  };
}

/** A reverse proxy to `target`, as a dev server's proxy or nginx in front of an API: headers pass as they are. */
export function proxyTo(target: string): Listener {
  return (req, res) => {
    const url = new URL(req.url ?? '/', target);
    const upstream = request(url, { method: req.method, headers: { ...req.headers, host: url.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (error) => send(res, 502, 'text/plain', `proxy: ${error.message}`));
    req.pipe(upstream);
  };
}

/** A page that loads the ESM build as an app's bundler would resolve it and runs `script` as a module. */
export function modulePage(script: string): string {
  return `<!doctype html><html><head><meta charset="utf-8">
${IMPORT_MAP}
</head><body><h1>recipe page</h1><script type="module">${script}</script></body></html>`;
}
