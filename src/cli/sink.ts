import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { TelemetryEvent } from '../core/types';
import { clickHouseWriter, type ClickHouseWriter } from '../sink/clickhouse/writer';
import { checkTableName } from '../sink/clickhouse/http';
import { DEFAULT_TABLE } from '../sink/clickhouse/schema';
import { jsonLinesFile } from '../sink/file';
import { createSinkHandler, DEFAULT_MAX_BODY_BYTES, type SinkWriter } from '../sink/handler';
import { toNodeListener } from '../sink/node';
import { parseArgs } from './args';
import { usageError, type CliIo } from './io';
import { sinkExtras } from './sink-extras';

export const SINK_USAGE = `Usage: tracebeam sink [options]

Runs the reference log endpoint: accepts POST {"events": [...]} on every path and
prints each accepted event as one JSON line on stdout.

Options:
  --port <n>             port to listen on (default 4318; 0 picks a free port)
  --host <address>       address to bind (default 127.0.0.1)
  --out <file>           also append accepted events to this JSON-lines file
  --clickhouse <url>     also keep accepted events in ClickHouse, over its HTTP
                         interface, e.g. http://127.0.0.1:8123 (?database=... allowed);
                         the table is created when missing, and a ClickHouse that is
                         down or slow makes the sink answer 503 with Retry-After
  --table <name>         the ClickHouse table (default ${DEFAULT_TABLE})
  --retention-days <n>   drop ClickHouse days older than n days (default: keep all)
  --quiet                do not print the accepted events on stdout
  --cors <origins>|*     comma-separated page origins allowed to send events,
                         e.g. http://localhost:5173, or * for any origin
  --max-body-bytes <n>   largest request body accepted (default ${DEFAULT_MAX_BODY_BYTES})
  --ui                   also serve the viewer at http://<host>:<port>/: recent events
                         live, and /trace/<trace_id> as a waterfall (GET only; events
                         are still accepted by POST on every path)
  --logs <files>         comma-separated backend JSON-log files whose lines of a trace
                         the viewer's trace page shows beside the client's (needs --ui);
                         with --clickhouse, the viewer also reads the trace's events and
                         the log lines of \`tracebeam ingest\` from the table
  --sourcemaps <dir>     map stack frames of minified scripts back to their sources
                         with the *.map files under <dir> before writing events
  -h, --help             show this help
`;

const FLAGS = {
  port: { type: 'integer', min: 0, max: 65_535 },
  host: { type: 'string' },
  out: { type: 'string' },
  clickhouse: { type: 'string' },
  table: { type: 'string' },
  'retention-days': { type: 'integer', min: 1 },
  quiet: { type: 'boolean' },
  cors: { type: 'string' },
  'max-body-bytes': { type: 'integer', min: 1 },
  ui: { type: 'boolean' },
  logs: { type: 'string' },
  sourcemaps: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface SinkConfig {
  port: number;
  host: string;
  /** Absolute path of the JSON-lines file, when events also go to one. */
  out?: string;
  /** The ClickHouse HTTP interface, when events also go there (`--clickhouse`). */
  clickhouse?: string;
  table?: string;
  retentionDays?: number;
  /** Events are not printed on stdout (`--quiet`). */
  quiet?: boolean;
  allowedOrigins?: string[] | '*';
  maxBodyBytes: number;
  /** Serve the viewer (`--ui`). */
  ui?: boolean;
  /** Absolute paths of backend log files for the viewer's trace page (`--logs`). */
  logs?: string[];
  /** Absolute path of the directory of source maps (`--sourcemaps`). */
  sourcemaps?: string;
}

export interface RunningSink {
  server: Server;
  /** Where the sink listens, e.g. `http://127.0.0.1:4318`. */
  url: string;
  /** Stops accepting connections and resolves once the open ones are done. */
  close(): Promise<void>;
}

/** Throws a usage error (see `isUsageError`) when the command line is wrong. */
export function parseSinkArgs(argv: readonly string[]): SinkConfig {
  const parsed = parseArgs(argv, FLAGS);
  if (!parsed.ok) throw usageError(parsed.error);
  const { flags, positionals } = parsed;
  if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}"`);
  const config: SinkConfig = {
    port: flags.port ?? 4318,
    host: flags.host ?? '127.0.0.1',
    maxBodyBytes: flags['max-body-bytes'] ?? DEFAULT_MAX_BODY_BYTES,
  };
  if (flags.out !== undefined) config.out = resolve(flags.out);
  if (flags.clickhouse !== undefined) config.clickhouse = checkClickHouseUrl(flags.clickhouse);
  if (flags.table !== undefined || flags['retention-days'] !== undefined) {
    if (flags.clickhouse === undefined)
      throw usageError(`--${flags.table !== undefined ? 'table' : 'retention-days'} is for ClickHouse: add --clickhouse <url>`);
  }
  if (flags.table !== undefined) config.table = checkTable(flags.table);
  if (flags['retention-days'] !== undefined) config.retentionDays = flags['retention-days'];
  if (flags.quiet === true) config.quiet = true;
  if (flags.cors !== undefined) config.allowedOrigins = parseCors(flags.cors);
  if (flags.ui === true) config.ui = true;
  if (flags.logs !== undefined) {
    if (flags.ui !== true) throw usageError('--logs is for the viewer: add --ui');
    const logs = flags.logs
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    if (logs.length === 0) throw usageError('--logs needs a file such as server.log');
    config.logs = logs.map((entry) => resolve(entry));
  }
  if (flags.sourcemaps !== undefined) config.sourcemaps = resolve(flags.sourcemaps);
  return config;
}

/** Starts the sink; the caller owns the returned server and closes it. */
export async function runSink(argv: readonly string[], io: CliIo): Promise<RunningSink> {
  const config = parseSinkArgs(argv);
  const store =
    config.clickhouse === undefined ? undefined : clickHouseWriter({ url: config.clickhouse, table: config.table, retentionDays: config.retentionDays });
  const extras = sinkExtras({ ...config, store }, io);
  const file = config.out === undefined ? undefined : jsonLinesFile(config.out);
  const handler = createSinkHandler({
    write: extras.write(writer(file, store, config.quiet === true, io)),
    allowedOrigins: config.allowedOrigins,
    maxBodyBytes: config.maxBodyBytes,
  });
  const server = createServer(extras.listener(toNodeListener(handler)));
  await listen(server, config.port, config.host);

  const { port } = server.address() as AddressInfo;
  extras.listening(port);
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  io.stderr.write(`tracebeam sink: listening on ${url}, writing events to ${destinations(config)}; ${originNote(config)}\n`);
  for (const note of extras.notes(url)) io.stderr.write(`tracebeam sink: ${note}\n`);
  return {
    server,
    url,
    close: async () => {
      // Live streams never end by themselves; the server waits for open connections.
      extras.close();
      await closeServer(server);
      // Requests cut off by the grace period may still have their batch on its way: drain it.
      await Promise.all([file?.close?.(), store?.close()]);
    },
  };
}

function writer(file: SinkWriter | undefined, store: ClickHouseWriter | undefined, quiet: boolean, io: CliIo): SinkWriter {
  return async (events: TelemetryEvent[]) => {
    // The stores first: if one fails the batch is refused, and the terminal does not show events
    // that were not kept. Both at once, so the slower sets the pace, not their sum.
    await Promise.all([file?.(events), store?.(events)]);
    if (!quiet) io.stdout.write(events.map((event) => `${JSON.stringify(event)}\n`).join(''));
  };
}

/** Whether `value` parses as an http: or https: URL. */
function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

function checkClickHouseUrl(value: string): string {
  if (!isHttpUrl(value)) {
    throw usageError(`--clickhouse: "${value}" is not the URL of ClickHouse's HTTP interface, such as http://127.0.0.1:8123`);
  }
  return value;
}

function checkTable(value: string): string {
  try {
    return checkTableName(value);
  } catch (error) {
    throw usageError(`--table: ${(error as Error).message.replace(/^tracebeam sink: /, '')}`);
  }
}

function parseCors(value: string): string[] | '*' {
  if (value.trim() === '*') return '*';
  const origins = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (origins.length === 0) throw usageError('--cors needs an origin such as http://localhost:5173, or *');
  for (const origin of origins) {
    if (!isHttpUrl(origin)) throw usageError(`--cors: "${origin}" is not an origin such as http://localhost:5173`);
  }
  return origins;
}

function destinations(config: SinkConfig): string {
  const places: string[] = [];
  if (config.out !== undefined) places.push(config.out);
  if (config.clickhouse !== undefined) places.push(`ClickHouse ${new URL(config.clickhouse).origin} table ${config.table ?? DEFAULT_TABLE}`);
  if (config.quiet !== true) places.push('stdout');
  return places.length === 0 ? 'nowhere (--quiet without --out or --clickhouse)' : places.join(' and ');
}

function originNote(config: SinkConfig): string {
  if (config.allowedOrigins === '*') return 'any origin may send';
  if (config.allowedOrigins !== undefined) return `pages on ${config.allowedOrigins.join(', ')} may send`;
  return 'cross-origin pages are refused (allow one with --cors)';
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(new Error(`cannot listen on ${host}:${port}: ${error.message}`));
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolvePromise();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

const CLOSE_GRACE_MS = 2_000;

function closeServer(server: Server): Promise<void> {
  return new Promise((resolvePromise) => {
    if (!server.listening) {
      resolvePromise();
      return;
    }
    // Requests in flight get a moment to finish writing their batch; idle keep-alive
    // connections would otherwise hold the process open.
    const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolvePromise();
    });
    server.closeIdleConnections();
  });
}
