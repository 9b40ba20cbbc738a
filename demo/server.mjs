// The demo: one local server for the demo page, the built package and the tracebeam sink at
// /api/log. Accepted events are printed as JSON lines and appended to .demo-logs/client.jsonl.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { createSinkHandler, jsonLinesFile, toNodeListener } from '../dist/sink.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const PORT = Number(process.env.PORT ?? 5173);
const HOST = process.env.HOST ?? '127.0.0.1';
const LOG_FILE = join(ROOT, '.demo-logs/client.jsonl');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.map': 'application/json', '.css': 'text/css' };
/** What the browser may load: the page, the package and the package's own dependency. */
const STATIC = ['/demo/', '/dist/', '/node_modules/web-vitals/dist/'];

const toFile = jsonLinesFile(LOG_FILE);
const sink = toNodeListener(
  createSinkHandler({
    write: async (events) => {
      for (const event of events) console.log(JSON.stringify(event));
      await toFile(events);
    },
  }),
);

const server = createServer(async (req, res) => {
  const path = new URL(req.url ?? '/', 'http://demo').pathname;
  if (path === '/api/log') return sink(req, res);
  const file = path === '/' ? '/demo/index.html' : path;
  if (!STATIC.some((prefix) => file.startsWith(prefix))) return send(res, 404, 'text/plain', 'not found');
  try {
    send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', await readFile(normalize(join(ROOT, file))));
  } catch {
    send(res, 404, 'text/plain', 'not found');
  }
});

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

server.listen(PORT, HOST, () => {
  console.error(`tracebeam demo: open http://${HOST}:${PORT}/`);
  console.error(`events arrive below as JSON lines and in ${LOG_FILE}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
