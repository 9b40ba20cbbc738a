/**
 * A small shop on 127.0.0.1 for the viewer tests: it serves the built package, test pages and a
 * build directory, and has a backend API that logs JSON lines the way structlog and pino do, with
 * the trace id of the request's `traceparent`.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const ROOT = new URL('../../../', import.meta.url).pathname;
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.map': 'application/json', '.html': 'text/html' };

export interface Shop {
  url: string;
  /** Serves `html` at a fresh path and returns its URL. */
  page(html: string): string;
  close(): Promise<void>;
}

export interface ShopOptions {
  /** Where the API writes its JSON log lines. */
  log: string;
  /** Served at /assets/. */
  assets?: string;
}

export async function startShop({ log, assets }: ShopOptions): Promise<Shop> {
  const pages = new Map<string, string>();
  const server = createServer((req, res) => void route(req, res));

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (pages.has(path)) return send(res, 200, 'text/html', pages.get(path)!);
    if (path === '/api/checkout') return checkout(req, res);
    if (path.startsWith('/dist/') || path.startsWith('/node_modules/')) return file(res, ROOT, path);
    if (assets !== undefined && path.startsWith('/assets/')) return file(res, assets, path.slice('/assets'.length));
    send(res, 404, 'text/plain', 'not found');
  }

  /** The backend of a checkout that fails: a structlog line, a pino line, then a 500. */
  async function checkout(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for await (const _chunk of req) {
      // The body does not matter; the trace id in the headers does.
    }
    const traceId = /^00-([0-9a-f]{32})-/.exec(String(req.headers.traceparent ?? ''))?.[1];
    await new Promise((resolve) => setTimeout(resolve, 40));
    await appendFile(log, `${JSON.stringify({ event: 'checkout_received', level: 'info', timestamp: new Date().toISOString(), trace_id: traceId, logger: 'shop.api', items: 2 })}\n`);
    await new Promise((resolve) => setTimeout(resolve, 40));
    await appendFile(log, `${JSON.stringify({ level: 50, time: Date.now(), pid: process.pid, hostname: 'shop', msg: 'payment declined', traceId, err: { type: 'PaymentError', message: 'card declined', stack: 'PaymentError: card declined\n    at charge (payments.js:12:9)' } })}\n`);
    // A line a real server log also has: not JSON, skipped by the reader.
    await appendFile(log, 'WARNING: this line is plain text\n');
    await new Promise((resolve) => setTimeout(resolve, 40));
    send(res, 500, 'application/json', '{"error":"payment declined"}');
  }

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
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A page that loads the package the way an app's bundler would resolve it, then runs `script` as a module. */
export function shopPage(script: string, body = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>shop</title>
<script type="importmap">{"imports": {"tracebeam": "/dist/index.mjs", "web-vitals": "/node_modules/web-vitals/dist/web-vitals.js", "web-vitals/attribution": "/node_modules/web-vitals/dist/web-vitals.attribution.js"}}</script>
</head><body><h1>shop</h1><button id="buy">buy</button>${body}
<script type="module">${script}</script></body></html>`;
}

async function file(res: ServerResponse, root: string, path: string): Promise<void> {
  const full = normalize(join(root, path));
  if (!full.startsWith(normalize(root))) return send(res, 403, 'text/plain', 'forbidden');
  try {
    send(res, 200, TYPES[extname(full)] ?? 'application/octet-stream', await readFile(full));
  } catch {
    send(res, 404, 'text/plain', 'not found');
  }
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}
