// The demo's backend: a shop API on the page's origin and an inventory API on a second origin.
// Their handlers log what a real backend would, each line bound to the trace the browser sent, and
// every answer carries `x-trace-id` so a support person can ask a user for it.
import { errorField } from './backend-log.mjs';
import { requestTrace } from './trace-headers.mjs';

/** How long the slow search takes: long enough to see in the viewer's waterfall. */
const SLOW_MS = 1_500;

class PaymentProviderError extends Error {
  name = 'PaymentProviderError';
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The shop's routes: `(log, url, req) => [status, body]`, by "METHOD /path". */
const SHOP = {
  async 'POST /api/checkout'(log, _url, req) {
    const cart = await readJson(req);
    log('info', 'checkout_received', { cart_items: Array.isArray(cart.items) ? cart.items.length : 0, total_cents: cart.total_cents });
    await sleep(60); // the payment provider's answer
    log('error', 'payment_failed', { provider: 'acme-pay', error: errorField(new PaymentProviderError('card processor unavailable (upstream 503)')) });
    await sleep(25);
    log('info', 'cart_reservation_released', { cart_items: Array.isArray(cart.items) ? cart.items.length : 0 });
    return [500, { error: 'payment_failed', message: 'We could not charge your card, and nothing was taken.' }];
  },
  async 'GET /api/recommendations'(log) {
    log('warn', 'recommendations_unavailable', { reason: 'model server timed out', timeout_ms: 200 });
    return [503, { error: 'unavailable' }];
  },
  async 'GET /api/search'(log, url) {
    const started = Date.now();
    log('info', 'search_started', { query: url.searchParams.get('q') });
    await sleep(SLOW_MS);
    log('warn', 'search_slow', { duration_ms: Date.now() - started, threshold_ms: 500 });
    return [200, { results: ['wool socks', 'rain jacket', 'thermos'] }];
  },
  async 'GET /api/orders/:id'(log, url) {
    const id = url.pathname.split('/').pop();
    log('info', 'order_loaded', { order_id: id, status: 'shipped' });
    return [200, { id, status: 'shipped', items: 2 }];
  },
};

/** The inventory service, on another origin: the page reaches it by CORS. */
const INVENTORY = {
  async 'GET /api/stock'(log, url) {
    const sku = url.searchParams.get('sku');
    log('info', 'stock_checked', { sku, available: 7 });
    return [200, { sku, available: 7 }];
  },
};

/** The shop API as a node:http handler for /api/*; `log` is a `jsonLog` bound to its service. */
export function shopApi(log) {
  return (req, res) => serve(SHOP, log, req, res);
}

/**
 * The inventory API. Calls from the pages on `pageOrigins` carry `traceparent` and `x-trace-id`,
 * which are not CORS-safelisted headers: the browser asks first (a preflight), and they must be
 * allowed, or the call fails before it is sent. `x-trace-id` is exposed so the page can read it.
 */
export function inventoryApi(log, pageOrigins) {
  return (req, res) => {
    const origin = req.headers.origin;
    if (origin !== undefined && pageOrigins.includes(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', 'x-trace-id');
      res.setHeader('vary', 'origin');
    }
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-headers', 'content-type, traceparent, tracestate, x-trace-id');
      res.setHeader('access-control-allow-methods', 'GET, POST');
      res.setHeader('access-control-max-age', '600');
      res.writeHead(204).end();
      return;
    }
    return serve(INVENTORY, log, req, res);
  };
}

async function serve(routes, baseLog, req, res) {
  const started = Date.now();
  const url = new URL(req.url ?? '/', 'http://demo');
  const trace = requestTrace(req.headers);
  const log = baseLog.bind(trace);
  const route = routes[`${req.method} ${url.pathname}`] ?? routes[`${req.method} ${url.pathname.replace(/\/[^/]+$/, '/:id')}`];
  let status = 404;
  let body = { error: 'not_found' };
  try {
    if (route) [status, body] = await route(log, url, req);
  } catch (error) {
    log('error', 'request_failed', { error: errorField(error) });
    [status, body] = [500, { error: 'internal' }];
  }
  // Logged before the answer leaves, as an access log line of the request it belongs to.
  log(status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info', 'request_finished', {
    method: req.method,
    path: url.pathname,
    status_code: status,
    duration_ms: Date.now() - started,
  });
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-trace-id': trace.trace_id });
  res.end(JSON.stringify({ ...body, trace_id: trace.trace_id }));
}

async function readJson(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > 65_536) throw new Error('request body too large');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString() || '{}');
  } catch {
    return {};
  }
}
