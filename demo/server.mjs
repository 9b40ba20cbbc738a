// `npm run demo` (or `node demo/server.mjs`): bundles the demo page, then starts, all on 127.0.0.1,
//   - the app origin (default port 5173): the page, its bundle and maps, and the shop API;
//   - a second origin (5174): the inventory API, called by CORS with the trace headers;
//   - `tracebeam sink --ui` (4318) in a child process: it takes the page's events, maps their
//     stacks with the bundle's maps, and serves the viewer, which shows the backend's lines too.
// Browser events go to <logs>/client.jsonl, the backend's JSON lines to <logs>/server.log.
// Ctrl-C stops everything.
import { createServer } from 'node:http';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { shopApi, inventoryApi } from './api.mjs';
import { appHandler } from './app-server.mjs';
import { jsonLog } from './backend-log.mjs';
import { buildDemo } from './build.mjs';
import { startSink } from './sink.mjs';
import { say, summarize } from './terminal.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const HOST = '127.0.0.1';

const USAGE = `Usage: npm run demo -- [options]   (or node demo/server.mjs [options])

  --port <n>        the page and the shop API (default 5173, or $DEMO_PORT)
  --api-port <n>    the inventory API, a second origin (default 5174, or $DEMO_API_PORT)
  --sink-port <n>   the sink and its viewer (default 4318, or $DEMO_SINK_PORT)
  --logs <dir>      where client.jsonl and server.log go (default .demo-logs)
  --dist <dir>      where the page is bundled (default demo/dist)

A port of 0 picks a free one. Everything listens on ${HOST} only.
`;

const flags = readFlags();
if (flags.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const ports = {
  app: portOf('--port', flags.port ?? process.env.DEMO_PORT ?? '5173'),
  api: portOf('--api-port', flags['api-port'] ?? process.env.DEMO_API_PORT ?? '5174'),
  sink: portOf('--sink-port', flags['sink-port'] ?? process.env.DEMO_SINK_PORT ?? '4318'),
};
const logDir = resolve(flags.logs ?? join(ROOT, '.demo-logs'));
const dist = resolve(flags.dist ?? join(ROOT, 'demo/dist'));
const files = { client: join(logDir, 'client.jsonl'), server: join(logDir, 'server.log') };

await buildDemo(dist);
const backendLog = jsonLog(files.server, (record) => say('server', summarize(record)));
const started = [backendLog];
let sink;
let inventory;
try {
  const app = await listen(
    appHandler({
      dist,
      api: shopApi(backendLog.bind({ service: 'demo-api' })),
      config: () => ({
        sink: `${sink.url}/api/log`,
        viewer: sink.url,
        inventory: inventory.url,
        trace: `node dist/cli.mjs trace <trace_id> ${shown(files.client)} ${shown(files.server)}`,
      }),
    }),
    ports.app,
    () => sink !== undefined,
  );
  started.push(app);
  // The same page is reachable as localhost too; both names may call the inventory and the sink.
  const pageOrigins = [app.url, app.url.replace(HOST, 'localhost')];
  inventory = await listen(inventoryApi(backendLog.bind({ service: 'demo-inventory' }), pageOrigins), ports.api);
  started.push(inventory);
  sink = await startSink(ports.sink, ['--ui', '--out', files.client, '--logs', files.server, '--sourcemaps', dist, '--cors', pageOrigins.join(',')]);
  started.push(sink);
  printWelcome(app.url);
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  await stopAll();
  process.exit(1);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    // A second Ctrl-C during a slow stop ends at once.
    if (stopping) process.exit(130);
    stopping = true;
    say('demo', 'stopping');
    await stopAll();
    process.exit(0);
  });
}

function stopAll() {
  return Promise.all(started.map((part) => part.close()));
}

function printWelcome(appUrl) {
  process.stdout.write(`
tracebeam demo
  page       ${appUrl}/             the shop, a button for each story
  viewer     ${sink.url}/             every event as it arrives; /trace/<trace_id> for one trace
  inventory  ${inventory.url}/api/stock    a second origin, called by CORS with the trace headers
  sink       ${sink.command}
  logs       ${shown(files.client)}    the browser's events, as the sink wrote them
             ${shown(files.server)}      the backend's JSON lines
  one trace  node dist/cli.mjs trace <trace_id> ${shown(files.client)} ${shown(files.server)}

open ${appUrl}/ — traces at ${sink.url}/   (Ctrl-C stops everything)

`);
}

function readFlags() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string' },
        'api-port': { type: 'string' },
        'sink-port': { type: 'string' },
        logs: { type: 'string' },
        dist: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    process.stderr.write(`demo: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
}

function portOf(flag, value) {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    process.stderr.write(`demo: ${flag} must be a port number from 0 to 65535, got "${value}"\n\n${USAGE}`);
    process.exit(2);
  }
  return port;
}

/** Paths under the working directory as relative ones: shorter to read and to paste. */
function shown(path) {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

/**
 * Listens with `handler` on HOST:`port` and resolves to `{ url, close() }`. Until `ready()`, requests
 * get 503: the page needs the sink's address, which is known only once the sink listens.
 */
function listen(handler, port, ready = () => true) {
  const server = createServer((req, res) => {
    if (!ready()) return void res.writeHead(503, { 'retry-after': '1' }).end('starting\n');
    Promise.resolve(handler(req, res)).catch((error) => {
      say('demo', `${req.method} ${req.url} failed: ${error.message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end();
    });
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', (error) => reject(new Error(`demo: cannot listen on ${HOST}:${port}: ${error.message}`)));
    server.listen(port, HOST, () => {
      resolvePromise({
        url: `http://${HOST}:${server.address().port}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
