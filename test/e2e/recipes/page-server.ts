/**
 * The origin of the page that calls the recipes: it serves test pages and the built package, has
 * a tracebeam sink at /_sink, and hands every other request to `backend` (a recipe mounted in
 * the same server, or a proxy to one).
 */
import { readFile } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { TelemetryEvent } from 'tracebeam';
import { createSinkHandler, toNodeListener } from 'tracebeam/sink';

const ROOT = new URL('../../../', import.meta.url).pathname;
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.map': 'application/json' };

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

export interface PageServer {
  url: string;
  /** Serves `html` at a fresh path and returns its URL. */
  page(html: string): string;
  /** What the sink at /_sink accepted. */
  events(): TelemetryEvent[];
  close(): Promise<void>;
}

export async function startPageServer(backend?: Listener): Promise<PageServer> {
  const pages = new Map<string, string>();
  const events: TelemetryEvent[] = [];
  const sink = toNodeListener(createSinkHandler({ write: (batch) => void events.push(...batch) }));

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (pages.has(path)) return send(res, 200, 'text/html', pages.get(path)!);
    if (path === '/_sink') return sink(req, res);
    if (path.startsWith('/dist/') || path.startsWith('/node_modules/web-vitals/dist/')) return void file(res, path);
    if (backend) return backend(req, res);
    send(res, 404, 'text/plain', 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let counter = 0;
  return {
    url,
    page(html) {
      const path = `/page-${++counter}.html`;
      pages.set(path, html);
      return url + path;
    },
    events: () => events.slice(),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
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
<script type="importmap">{"imports": {"tracebeam": "/dist/index.mjs", "web-vitals": "/node_modules/web-vitals/dist/web-vitals.js", "web-vitals/attribution": "/node_modules/web-vitals/dist/web-vitals.attribution.js"}}</script>
</head><body><h1>recipe page</h1><script type="module">${script}</script></body></html>`;
}

async function file(res: ServerResponse, path: string): Promise<void> {
  const full = normalize(join(ROOT, path));
  if (!full.startsWith(ROOT)) return send(res, 403, 'text/plain', 'forbidden');
  try {
    send(res, 200, TYPES[extname(full)] ?? 'application/octet-stream', await readFile(full));
  } catch {
    send(res, 404, 'text/plain', 'not found');
  }
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}
