import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { TelemetryEvent } from '../core/types';
import { jsonLinesFile } from '../sink/file';
import { createSinkHandler, DEFAULT_MAX_BODY_BYTES, type SinkWriter } from '../sink/handler';
import { toNodeListener } from '../sink/node';
import { parseArgs } from './args';
import { usageError, type CliIo } from './io';

export const SINK_USAGE = `Usage: tracebeam sink [options]

Runs the reference log endpoint: accepts POST {"events": [...]} on every path and
prints each accepted event as one JSON line on stdout.

Options:
  --port <n>             port to listen on (default 4318; 0 picks a free port)
  --host <address>       address to bind (default 127.0.0.1)
  --out <file>           also append accepted events to this JSON-lines file
  --cors <origins>|*     comma-separated page origins allowed to send events,
                         e.g. http://localhost:5173, or * for any origin
  --max-body-bytes <n>   largest request body accepted (default ${DEFAULT_MAX_BODY_BYTES})
  -h, --help             show this help
`;

const FLAGS = {
  port: { type: 'integer', min: 0, max: 65_535 },
  host: { type: 'string' },
  out: { type: 'string' },
  cors: { type: 'string' },
  'max-body-bytes': { type: 'integer', min: 1 },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface SinkConfig {
  port: number;
  host: string;
  /** Absolute path of the JSON-lines file, when events also go to one. */
  out?: string;
  allowedOrigins?: string[] | '*';
  maxBodyBytes: number;
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
  if (flags.cors !== undefined) config.allowedOrigins = parseCors(flags.cors);
  return config;
}

/** Starts the sink; the caller owns the returned server and closes it. */
export async function runSink(argv: readonly string[], io: CliIo): Promise<RunningSink> {
  const config = parseSinkArgs(argv);
  const handler = createSinkHandler({
    write: writer(config.out, io),
    allowedOrigins: config.allowedOrigins,
    maxBodyBytes: config.maxBodyBytes,
  });
  const server = createServer(toNodeListener(handler));
  await listen(server, config.port, config.host);

  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  io.stderr.write(`tracebeam sink: listening on ${url}, writing events to ${destinations(config)}; ${originNote(config)}\n`);
  return { server, url, close: () => closeServer(server) };
}

function writer(out: string | undefined, io: CliIo): SinkWriter {
  const file = out === undefined ? undefined : jsonLinesFile(out);
  return async (events: TelemetryEvent[]) => {
    // The file first: if it fails the batch is refused, and the terminal does not show events
    // that were not kept.
    if (file !== undefined) await file(events);
    io.stdout.write(events.map((event) => `${JSON.stringify(event)}\n`).join(''));
  };
}

function parseCors(value: string): string[] | '*' {
  if (value.trim() === '*') return '*';
  const origins = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (origins.length === 0) throw usageError('--cors needs an origin such as http://localhost:5173, or *');
  for (const origin of origins) {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw usageError(`--cors: "${origin}" is not an origin such as http://localhost:5173`);
    }
  }
  return origins;
}

function destinations(config: SinkConfig): string {
  return config.out === undefined ? 'stdout' : `${config.out} and stdout`;
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
