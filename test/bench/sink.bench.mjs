// One sink instance under load on 127.0.0.1: events per second accepted into the JSON-lines file
// and into ClickHouse, against a bare node:http server that only reads the body and answers 202
// (the floor), measured in the same run, interleaved, medians of the rounds. Then the time of a
// trace query with 1,000,000 rows in the table.
//
// The server runs in a child process, the load in this one: 20 keep-alive clients posting
// 50-event batches with fresh ids, for ROUND_MS per round. Bounded in count and time. With 20
// clients each awaiting its 202, the ClickHouse figure is bound by the INSERT's round trip; the
// rounds with 100 and 200 clients (all on 127.0.0.1) show the capacity of one instance instead.
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startClickHouse } from './clickhouse-server.mjs';

const CLIENTS = 20;
const CAPACITY_CLIENTS = [100, 200];
const BATCH = 50;
const ROUND_MS = 5_000;
const ROUNDS = 3;
const TRACE_ROWS = 1_000_000;
const TRACE_QUERIES = 20;

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

// --- the server side, in the child -------------------------------------------------------------
async function serve(mode, target) {
  let listener;
  let writer;
  if (mode === 'bare') {
    listener = (req, res) => {
      req.on('data', () => undefined);
      req.on('end', () => res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":50}'));
    };
  } else {
    const sink = await import('../../dist/sink.mjs');
    writer = mode === 'file' ? sink.jsonLinesFile(target) : sink.clickHouseWriter({ url: target, table: 'bench_events' });
    listener = sink.toNodeListener(sink.createSinkHandler({ write: writer, dedupeSize: 100_000 }));
  }
  const server = createServer(listener);
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
  process.on('message', async () => {
    await writer?.close?.();
    process.exit(0);
  });
}

// --- the load side -----------------------------------------------------------------------------
let sequence = 0;
function body() {
  const events = [];
  for (let i = 0; i < BATCH; i += 1) {
    sequence += 1;
    events.push(
      `{"id":"${sequence.toString(16).padStart(32, '0')}","timestamp":"2024-05-01T12:00:00.000Z","level":"info","event":"checkout_step","service":"web","trace_id":"${(sequence >> 4).toString(16).padStart(32, '0')}","span_id":"00f067aa0ba902b7","session_id":"s1","url":"https://shop.example.com/cart","sdk":{"name":"tracebeam","version":"0.1.0"},"cart_items":3,"sku":"ABC-123"}`,
    );
  }
  return `{"events":[${events.join(',')}]}`;
}

function postOnce(agent, port, payload) {
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', () => resolve(0));
    req.end(payload);
  });
}

async function load(port, clients) {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const latencies = [];
  let accepted = 0;
  let refused = 0;
  const end = Date.now() + ROUND_MS;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < end) {
        const payload = body();
        const t = performance.now();
        const status = await postOnce(agent, port, payload);
        latencies.push(performance.now() - t);
        if (status === 202) accepted += BATCH;
        else refused += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { eventsPerSecond: accepted / seconds, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), refused };
}

async function round(mode, target, clients = CLIENTS) {
  const child = fork(new URL(import.meta.url), ['serve', mode, target], { stdio: 'inherit' });
  const { port } = await new Promise((resolve) => child.once('message', resolve));
  const result = await load(port, clients);
  child.send('stop');
  await new Promise((resolve) => child.once('exit', resolve));
  return result;
}

async function traceQuery(clickhouse) {
  const sink = await import('../../dist/sink.mjs');
  // The writer creates the table; the million rows are made by ClickHouse itself: 50,000 traces of 20.
  const writer = sink.clickHouseWriter({ url: clickhouse.url, table: 'bench_trace' });
  await writer([
    {
      id: 'f'.repeat(32),
      timestamp: '2024-05-01T12:00:00.000Z',
      level: 'info',
      event: 'bench_start',
      service: 'web',
      trace_id: 'f'.repeat(32),
      sdk: { name: 'tracebeam', version: '0' },
    },
  ]);
  await writer.close();

  await clickhouse.query(
    `INSERT INTO bench_trace (id, time_ms, level, event, service, trace_id, span_id, origin, input, raw)
     SELECT lower(hex(MD5(toString(number)))), 1714564800000 + number, 'info', 'checkout_step', 'web',
            lower(hex(MD5(concat('t', toString(intDiv(number, 20)))))), '00f067aa0ba902b7', 'client', 'sink',
            concat('{"id":"', lower(hex(MD5(toString(number)))), '","event":"checkout_step","timestamp":"2024-05-01T12:00:00.000Z","level":"info","service":"web","trace_id":"', lower(hex(MD5(concat('t', toString(intDiv(number, 20)))))), '"}')
     FROM system.numbers LIMIT ${TRACE_ROWS}`,
  );
  const count = Number((await clickhouse.query('SELECT count() FROM bench_trace')).trim());
  const times = [];
  let rows = 0;
  for (let i = 0; i < TRACE_QUERIES; i += 1) {
    const traceId = (await clickhouse.query(`SELECT lower(hex(MD5(concat('t', toString(${i * 2477}))))) FORMAT TabSeparated`)).trim();
    const t = performance.now();
    const answer = await clickhouse.query(
      `SELECT origin, input, raw FROM bench_trace FINAL WHERE trace_id IN ('${traceId}', '${traceId.slice(16)}') ORDER BY time_ms, id FORMAT JSONEachRow`,
    );
    times.push(performance.now() - t);
    rows = answer.trim().split('\n').length;
  }
  return { count, rowsPerTrace: rows, medianMs: median(times) };
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'tracebeam-bench-sink-'));
  const clickhouse = await startClickHouse();
  const version = (await clickhouse.query('SELECT version()')).trim();
  try {
    const results = { bare: [], file: [], clickhouse: [] };
    const capacity = Object.fromEntries(CAPACITY_CLIENTS.map((clients) => [clients, []]));
    for (let i = 0; i < ROUNDS; i += 1) {
      results.bare.push(await round('bare', ''));
      results.file.push(await round('file', join(dir, `events-${i}.jsonl`)));
      results.clickhouse.push(await round('clickhouse', clickhouse.url));
      for (const clients of CAPACITY_CLIENTS) capacity[clients].push(await round('clickhouse', clickhouse.url, clients));
    }
    const summary = (list) => ({
      events_per_s: Math.round(median(list.map((r) => r.eventsPerSecond))),
      p50_ms: +median(list.map((r) => r.p50)).toFixed(2),
      p99_ms: +median(list.map((r) => r.p99)).toFixed(2),
      refused_requests: list.reduce((sum, r) => sum + r.refused, 0),
      // Every round's figure, in the order run: the machine is shared, and one slow round shows here.
      rounds_events_per_s: list.map((r) => Math.round(r.eventsPerSecond)),
    });
    const bare = summary(results.bare);
    const file = summary(results.file);
    const store = summary(results.clickhouse);
    const trace = await traceQuery(clickhouse);
    console.log(
      JSON.stringify({
        bench: 'sink',
        clients: CLIENTS,
        batch: BATCH,
        round_ms: ROUND_MS,
        rounds: ROUNDS,
        clickhouse: version,
        bare_node_http: bare,
        file,
        file_share_of_bare: +(file.events_per_s / bare.events_per_s).toFixed(3),
        clickhouse_sink: store,
        clickhouse_share_of_bare: +(store.events_per_s / bare.events_per_s).toFixed(3),
        clickhouse_share_of_file: +(store.events_per_s / file.events_per_s).toFixed(3),
        clickhouse_capacity: Object.fromEntries(CAPACITY_CLIENTS.map((clients) => [`clients_${clients}`, summary(capacity[clients])])),
        trace_query: { rows_in_table: trace.count, rows_of_trace: trace.rowsPerTrace, median_ms: +trace.medianMs.toFixed(1), queries: TRACE_QUERIES },
      }),
    );
  } finally {
    await clickhouse.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'serve') await serve(process.argv[3], process.argv[4]);
else if (import.meta.url === `file://${process.argv[1]}`) await main();
