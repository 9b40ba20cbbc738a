// The demo app's origin: the page (for every route, as a single-page app is served), its bundle
// and maps under /assets/, and the shop API under /api/.
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const HERE = new URL('.', import.meta.url).pathname;
const TYPES = { '.js': 'text/javascript', '.map': 'application/json', '.css': 'text/css' };

/**
 * A node:http handler. `config()` is what the page needs to know (the sink's URL, the other
 * origin, the viewer): written into the page as JSON, so the bundle stays the same for any ports.
 */
export function appHandler({ dist, api, config }) {
  return async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://demo').pathname;
    if (path.startsWith('/api/')) return api(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed\n');
    if (path === '/demo.css') return sendFile(res, join(HERE, 'demo.css'));
    if (path.startsWith('/assets/')) return sendFile(res, join(dist, normalize(path.slice('/assets/'.length)).replace(/^(\.\.[/\\])+/, '')));
    if (extname(path) !== '') return send(res, 404, 'text/plain', 'not found\n');
    const html = await readFile(join(HERE, 'index.html'), 'utf8');
    // `<` escaped: nothing in the JSON can close the script element.
    const json = JSON.stringify(config()).replace(/</g, '\\u003c');
    send(res, 200, 'text/html; charset=utf-8', html.replace('<!-- demo-config -->', `<script id="demo-config" type="application/json">${json}</script>`));
  };
}

async function sendFile(res, file) {
  try {
    send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', await readFile(file));
  } catch {
    send(res, 404, 'text/plain', 'not found\n');
  }
}

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}
