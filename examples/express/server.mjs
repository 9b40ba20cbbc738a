// An Express API whose pino lines carry the browser's trace id, and the tracebeam sink beside it.
//
// The browser sends `traceparent` (W3C Trace Context) and `x-trace-id` with its API calls. The
// middleware below gives each request a pino child logger, `req.log`, bound to the trace id and
// the caller's span id, and answers with `x-trace-id`. The page's own events arrive at /api/log
// and go to logs/client.jsonl, so one command shows both sides of a trace:
//   tracebeam trace <trace_id> logs/client.jsonl logs/server.log
//
// Run: node server.mjs   (PORT, SERVER_LOG and CLIENT_LOG change where it listens and writes)
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import express from 'express';
import pino from 'pino';
import { parseTraceparent } from 'tracebeam/edge';
import { createSinkHandler, jsonLinesFile, toNodeListener } from 'tracebeam/sink';

/** pino's own JSON lines (`time`, numeric `level`, `msg`), which `tracebeam trace` reads as they are. */
export const loggerOptions = { base: { service: 'express-shop' } };

/** The request's trace: a valid `traceparent`, else a 32-hex `x-trace-id`, else a new one. */
export function requestTrace(req) {
  // parseTraceparent follows W3C Trace Context to the letter (versions, all-zero ids, repeats).
  const parent = parseTraceparent(req.get('traceparent'));
  if (parent) return { trace_id: parent.traceId, span_id: parent.spanId };
  const plain = (req.get('x-trace-id') ?? '').trim().toLowerCase();
  if (/^[0-9a-f]{32}$/.test(plain) && /[^0]/.test(plain)) return { trace_id: plain };
  return { trace_id: randomBytes(16).toString('hex') };
}

/** `req.log`: a child of `logger` with the request's trace on every line, and one line when it ends. */
export function traceContext(logger) {
  return (req, res, next) => {
    const trace = requestTrace(req);
    req.log = logger.child(trace);
    res.setHeader('x-trace-id', trace.trace_id);
    const started = performance.now();
    res.on('finish', () => {
      const level = res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
      req.log[level](
        { method: req.method, path: req.path, status_code: res.statusCode, duration_ms: Math.round(performance.now() - started) },
        'request_finished',
      );
    });
    next();
  };
}

class PaymentDeclined extends Error {
  name = 'PaymentDeclined';
}

export function createApp({ logger = pino(loggerOptions), clientLog = 'logs/client.jsonl' } = {}) {
  const app = express();
  // The sink before express.json(): it reads the body itself (and express.json() stops at 100 KB).
  app.post('/api/log', toNodeListener(createSinkHandler({ write: jsonLinesFile(clientLog) })));
  app.use(traceContext(logger));
  app.use(express.json());

  app.get('/api/hello', (req, res) => {
    req.log.info('hello_requested');
    res.json({ hello: 'from express' });
  });
  app.post('/api/checkout', (req) => {
    req.log.info({ cart_items: req.body?.items?.length ?? 0 }, 'checkout_received');
    throw new PaymentDeclined('card declined by the issuer');
  });

  // Errors are logged with the request's logger, so they carry its trace too.
  app.use((err, req, res, _next) => {
    (req.log ?? logger).error({ err }, 'request_failed');
    res.status(500).json({ error: 'internal', trace_id: res.get('x-trace-id') });
  });
  return app;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const logger = pino(loggerOptions, pino.destination({ dest: process.env.SERVER_LOG ?? 'logs/server.log', mkdir: true }));
  const port = Number(process.env.PORT ?? 3000);
  createApp({ logger, clientLog: process.env.CLIENT_LOG ?? 'logs/client.jsonl' }).listen(port, '127.0.0.1', () => {
    console.log(`listening on http://127.0.0.1:${port}/, logging to ${process.env.SERVER_LOG ?? 'logs/server.log'}`);
  });
}
