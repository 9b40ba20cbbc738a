/** The HTTP plumbing the end-to-end servers share: answers, static files, test pages, listening on 127.0.0.1. */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

/** The repository's root: the built package and its dependencies are served from here. */
export const ROOT = new URL('../../../', import.meta.url).pathname;
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.map': 'application/json', '.html': 'text/html' };

/** The import map that resolves the package the way an app's bundler would. */
export const IMPORT_MAP = `<script type="importmap">{"imports": {"tracebeam": "/dist/index.mjs", "tracebeam/vitals-attribution": "/dist/vitals-attribution.mjs", "web-vitals": "/node_modules/web-vitals/dist/web-vitals.js", "web-vitals/attribution": "/node_modules/web-vitals/dist/web-vitals.attribution.js"}}</script>`;

export type Listener = (req: IncomingMessage, res: ServerResponse) => unknown;

export function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

/** Serves `path` from below `root`, never above it. */
export async function serveFile(res: ServerResponse, path: string, root = ROOT): Promise<void> {
  const full = normalize(join(root, path));
  if (!full.startsWith(normalize(root))) return send(res, 403, 'text/plain', 'forbidden');
  try {
    send(res, 200, TYPES[extname(full)] ?? 'application/octet-stream', await readFile(full));
  } catch {
    send(res, 404, 'text/plain', 'not found');
  }
}

/** Test pages served at fresh paths of one origin. */
export function createPages() {
  const pages = new Map<string, string>();
  let counter = 0;
  return {
    /** The page at `path`, if one was added. */
    get: (path: string): string | undefined => pages.get(path),
    /** Adds `html` at a fresh path and returns that path. */
    add(html: string): string {
      const path = `/page-${++counter}.html`;
      pages.set(path, html);
      return path;
    },
  };
}

/** Listens on 127.0.0.1 at a free port; `close` also ends open connections. */
export async function listen(handler: Listener): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
