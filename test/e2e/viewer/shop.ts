/**
 * A small shop on 127.0.0.1 for the viewer tests: it serves the built package, test pages and a
 * build directory, and has a backend API that logs JSON lines the way structlog and pino do, with
 * the trace id of the request's `traceparent`.
 */
import { appendFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createPages, IMPORT_MAP, listen, send, serveFile } from '../support/http';

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
  const pages = createPages();

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const html = pages.get(path);
    if (html) return send(res, 200, 'text/html', html);
    if (path === '/api/checkout') return checkout(req, res);
    if (path.startsWith('/dist/') || path.startsWith('/node_modules/')) return serveFile(res, path);
    if (assets !== undefined && path.startsWith('/assets/')) return serveFile(res, path.slice('/assets'.length), assets);
    send(res, 404, 'text/plain', 'not found');
  }

  /** The backend of a checkout that fails: a structlog line, a pino line, then a 500. */
  async function checkout(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for await (const _chunk of req) {
      // The body does not matter; the trace id in the headers does.
    }
    const traceId = /^00-([0-9a-f]{32})-/.exec(String(req.headers.traceparent ?? ''))?.[1];
    await new Promise((resolve) => setTimeout(resolve, 40));
    await appendFile(
      log,
      `${JSON.stringify({ event: 'checkout_received', level: 'info', timestamp: new Date().toISOString(), trace_id: traceId, logger: 'shop.api', items: 2 })}\n`,
    );
    await new Promise((resolve) => setTimeout(resolve, 40));
    await appendFile(
      log,
      `${JSON.stringify({ level: 50, time: Date.now(), pid: process.pid, hostname: 'shop', msg: 'payment declined', traceId, err: { type: 'PaymentError', message: 'card declined', stack: 'PaymentError: card declined\n    at charge (payments.js:12:9)' } })}\n`,
    );
    // A line a real server log also has: not JSON, skipped by the reader.
    await appendFile(log, 'WARNING: this line is plain text\n');
    await new Promise((resolve) => setTimeout(resolve, 40));
    send(res, 500, 'application/json', '{"error":"payment declined"}');
  }

  const server = await listen(route);
  return { url: server.url, page: (html) => server.url + pages.add(html), close: server.close };
}

/** A page that loads the package the way an app's bundler would resolve it, then runs `script` as a module. */
export function shopPage(script: string, body = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>shop</title>
${IMPORT_MAP}
</head><body><h1>shop</h1><button id="buy">buy</button>${body}
<script type="module">${script}</script></body></html>`;
}
