/**
 * What `tracebeam sink --ui` and `--sourcemaps` add to the sink server: the viewer beside the
 * endpoint on the same address, and the writer that maps stacks and feeds the viewer.
 */
import { statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename } from 'node:path';
import type { TelemetryEvent } from '../core/types';
import { readRecentEvents, readTraceRows, rowsAsInputs } from '../sink/clickhouse/read';
import type { ClickHouseWriter } from '../sink/clickhouse/writer';
import type { SinkWriter } from '../sink/handler';
import type { NodeListener } from '../sink/node';
import { writeResponse } from '../sink/node-response';
import type { LogObject } from '../log-fields/fields';
import { existingFileLines } from '../timeline/files';
import { sourceMapResolver, type SourceMapResolver } from '../sink/sourcemaps';
import { createRecentEvents, DEFAULT_RECENT, type RecentEvents } from '../viewer/recent';
import { createViewer, type Viewer } from '../viewer/viewer';
import type { CliIo } from './io';

export interface SinkExtrasConfig {
  host: string;
  out?: string;
  ui?: boolean;
  logs?: string[];
  sourcemaps?: string;
  /** Events also kept in ClickHouse: the viewer reads traces and history from there. */
  store?: ClickHouseWriter;
}

export interface SinkExtras {
  /** Wraps the sink's writer: stacks mapped before writing, written events shown live. */
  write(next: SinkWriter): SinkWriter;
  /** Sends GET and HEAD to the viewer when there is one, everything else to the sink. */
  listener(sink: NodeListener): NodeListener;
  /** The port the server got, once it listens: the viewer's host check needs it. */
  listening(port: number): void;
  /** Lines for stderr at start-up, once the server listens at `url`. */
  notes(url: string): string[];
  close(): void;
}

export function sinkExtras(config: SinkExtrasConfig, io: CliIo): SinkExtras {
  const maps: SourceMapResolver | undefined =
    config.sourcemaps === undefined ? undefined : sourceMapResolver(config.sourcemaps, { warn: (message) => io.stderr.write(`${message}\n`) });
  const recent = config.ui === true ? createRecentEvents() : undefined;
  let port = 0;
  const viewer = recent === undefined ? undefined : viewerFor(config, recent, () => port);

  return {
    write(next) {
      return async (events: TelemetryEvent[]) => {
        const mapped = maps === undefined ? events : await maps.resolve(events);
        await next(mapped);
        recent?.add(mapped);
      };
    },
    listener(sink) {
      if (viewer === undefined) return sink;
      const view = toViewerListener(viewer);
      return (req, res) => (req.method === 'GET' || req.method === 'HEAD' ? view(req, res) : sink(req, res));
    },
    listening(actual) {
      port = actual;
    },
    notes(url) {
      const notes: string[] = [];
      if (viewer !== undefined) notes.push(`viewer on ${url}/${isLoopback(config.host) ? '' : exposedNote(config.host)}`);
      if (config.sourcemaps !== undefined) {
        notes.push(`mapping stack frames with the source maps under ${config.sourcemaps}${isDirectory(config.sourcemaps) ? '' : ' (not there yet)'}`);
      }
      return notes;
    },
    close() {
      viewer?.close();
      maps?.close();
    },
  };
}

function viewerFor(config: SinkExtrasConfig, recent: RecentEvents, port: () => number): Viewer {
  const out = config.out;
  const store = config.store;
  return createViewer({
    recent,
    allowHost: (host) => isOwnHost(host, config.host, port()),
    sources: {
      out: out === undefined ? undefined : { input: out, lines: () => existingFileLines(out) },
      recent: () => recent.list(),
      logs: (config.logs ?? []).map((path) => ({ input: path, label: basename(path), lines: () => existingFileLines(path) })),
      store:
        store === undefined
          ? undefined
          : { where: store.client.where, read: async (traceId) => rowsAsInputs(await readTraceRows(store.client, store.table, traceId)) },
    },
    history:
      store !== undefined
        ? () => readRecentEvents(store.client, store.table, DEFAULT_RECENT)
        : out === undefined
          ? undefined
          : () => lastObjects(out, DEFAULT_RECENT),
  });
}

/** The last `count` JSON objects of a JSON-lines file, for the list after a restart. */
async function lastObjects(path: string, count: number): Promise<LogObject[]> {
  const lines = await existingFileLines(path);
  const kept: LogObject[] = [];
  if (lines === undefined) return kept;
  for await (const line of lines) {
    try {
      const value: unknown = JSON.parse(line);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) kept.push(value as LogObject);
    } catch {
      continue;
    }
    if (kept.length > count * 2) kept.splice(0, kept.length - count);
  }
  return kept.slice(-count);
}

/**
 * Whether a `Host` header names this server. A page on any site can point its own name at
 * 127.0.0.1 (DNS rebinding) and then read what the viewer shows; browsers always send the real
 * name in `Host`, so the viewer answers only to loopback names when it listens on loopback.
 * Bound to another address, the user chose to share it, and any name goes.
 */
export function isOwnHost(host: string, bound: string, port: number): boolean {
  if (!isLoopback(bound)) return true;
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host.trim().toLowerCase());
  if (match === null) return false;
  const [, name, givenPort] = match;
  if (givenPort !== undefined && Number(givenPort) !== port) return false;
  return name === 'localhost' || name === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(name!) || name!.endsWith('.localhost');
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function exposedNote(host: string): string {
  // Events hold URLs and user ids: on a shared address everyone who can reach it can read them.
  return ` (reachable by anyone who can reach ${host}: the events it shows are not protected)`;
}

/** A build directory may not exist yet when the sink starts beside `vite build --watch`. */
function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The viewer under node:http. Its requests are built from the path and Host alone: it answers
 * GET and HEAD, and reads no body.
 */
function toViewerListener(viewer: Viewer): NodeListener {
  return (req, res) => void serve(viewer, req, res);
}

async function serve(viewer: Viewer, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let response: Response;
  try {
    const path = (req.url ?? '/').startsWith('/') ? (req.url ?? '/') : '/';
    response = await viewer.handle(new Request(`http://${req.headers.host}${path}`, { method: req.method, headers: { host: req.headers.host ?? '' } }));
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('bad request\n');
    return;
  }
  // A live stream ends only when the sink stops; its connection must not then linger as idle keep-alive.
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) res.shouldKeepAlive = false;
  try {
    // Cancels the stream as soon as the browser goes away: how a live stream learns nobody listens.
    await writeResponse(response, req, res);
  } catch {
    res.destroy();
  }
}
