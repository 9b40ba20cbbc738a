import type { TelemetryEvent } from '../core/types';
import { readLimitedBody } from './body';
import { checkContentType } from './content-type';
import { corsHeaders, createOriginPolicy, preflightHeaders, type AllowedOrigins } from './cors';
import { createRecentIds, type RecentIds } from './dedupe';
import { nestsDeeperThan } from './depth';
import { completeErrors } from './error-details';
import { errorResponse, jsonResponse } from './respond';
import { createEventValidator, type EventCheck } from './validate';

/**
 * Receives the events of one request that passed validation and were not seen before, and
 * resolves once they are kept: the sink answers 202 only then. A writer that throws or rejects
 * makes the sink answer 503 with `Retry-After`, so the client sends the batch again.
 *
 * The file writer (`jsonLinesFile`) and the ClickHouse writer (`clickHouseWriter`) are both of
 * this shape; `close`, when a writer has one, drains what it still holds before the process ends.
 */
export interface SinkWriter {
  (events: TelemetryEvent[]): void | Promise<void>;
  close?(): Promise<void>;
}

export interface SinkHandlerOptions {
  /** Where accepted events go; the default prints one JSON line per event on stdout. */
  write?: SinkWriter;
  /** Cross-origin pages that may send events; the default is the sink's own origin only. */
  allowedOrigins?: AllowedOrigins;
  /** Largest request body read, in bytes; default 1 MiB. */
  maxBodyBytes?: number;
  /** How many recent event ids are remembered to drop repeats; default 100,000. */
  dedupeSize?: number;
}

/** A web-standard request handler: a Next.js route handler, a Worker's fetch, or under `toNodeListener`. */
export type SinkHandler = (request: Request) => Promise<Response>;

export interface SinkAnswer {
  accepted: number;
  rejected: number;
  duplicates: number;
  errors?: Array<{ index: number; message: string }>;
}

export const DEFAULT_MAX_BODY_BYTES = 1_048_576;
export const DEFAULT_DEDUPE_SIZE = 100_000;
/** Deepest nesting of objects and arrays a body may have; an SDK event has fewer than ten levels. */
export const MAX_BODY_DEPTH = 64;
/** Seconds a client is told to wait when the store could not keep its events. */
export const RETRY_AFTER_SECONDS = 5;
const MAX_REPORTED_ERRORS = 10;
const ALLOW = 'POST, OPTIONS';
const SHAPE = 'expected {"events": [...]}';

/** Throws on bad options, at start-up; the returned handler itself never throws. */
export function createSinkHandler(options: SinkHandlerOptions = {}): SinkHandler {
  const write = options.write ?? writeJsonLines;
  if (typeof write !== 'function') throw new TypeError('tracebeam sink: write must be a function');
  const allowed = options.allowedOrigins;
  if (allowed !== undefined && allowed !== '*' && !Array.isArray(allowed)) {
    throw new TypeError(`tracebeam sink: allowedOrigins must be an array of origins or '*'`);
  }
  const maxBodyBytes = checkCount('maxBodyBytes', options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, 1);
  const dedupeSize = checkCount('dedupeSize', options.dedupeSize ?? DEFAULT_DEDUPE_SIZE, 0);

  const origins = createOriginPolicy(allowed);
  const check = createEventValidator();
  const seen = createRecentIds(dedupeSize);

  async function handle(request: Request): Promise<Response> {
    const origin = origins.check(request);
    if (origin === false) {
      discardBody(request);
      return errorResponse(403, `origin ${clip(request.headers.get('origin'))} is not allowed to send events`);
    }
    if (request.method === 'OPTIONS') {
      return new Response(null, { status: 204, headers: { ...preflightHeaders(origin), allow: ALLOW } });
    }
    const cors = corsHeaders(origin);
    if (request.method !== 'POST') {
      discardBody(request);
      return errorResponse(405, `method ${request.method} is not allowed: POST ${SHAPE}`, { ...cors, allow: ALLOW });
    }
    const type = checkContentType(request.headers);
    if (!type.ok) {
      discardBody(request);
      return errorResponse(415, type.message, cors);
    }

    const body = await readLimitedBody(request, maxBodyBytes);
    if (!body.ok) {
      return body.reason === 'too_large'
        ? errorResponse(413, `body is larger than ${maxBodyBytes} bytes: send smaller batches`, cors)
        : errorResponse(400, `could not read the body: ${body.message}`, cors);
    }
    if (nestsDeeperThan(body.bytes, MAX_BODY_DEPTH)) {
      return errorResponse(400, `body nests objects or arrays deeper than ${MAX_BODY_DEPTH} levels`, cors);
    }
    const parsed = parseBody(body.bytes);
    if (!parsed.ok) return errorResponse(400, parsed.message, cors);

    const outcome = await ingest(parsed.events, check, seen, write);
    if (outcome === 'write_failed') {
      // Not 202: these events were not kept. The client retries after the pause.
      return errorResponse(503, 'could not store the events: retry later', { ...cors, 'retry-after': String(RETRY_AFTER_SECONDS) });
    }
    return jsonResponse(202, outcome, cors);
  }

  return async (request) => {
    try {
      return await handle(request);
    } catch (error) {
      console.error('tracebeam sink: unexpected error', error);
      return errorResponse(500, 'internal error in the sink');
    }
  };
}

type Parsed = { ok: true; events: unknown[] } | { ok: false; message: string };

// One decoder for every request, made on first use: without `stream` a decode keeps no state
// from the one before.
let utf8: TextDecoder | undefined;

function parseBody(bytes: Uint8Array): Parsed {
  let text: string;
  try {
    text = (utf8 ??= new TextDecoder('utf-8', { fatal: true })).decode(bytes);
  } catch {
    return { ok: false, message: 'body is not valid UTF-8' };
  }
  if (text.trim() === '') return { ok: false, message: `empty body: ${SHAPE}` };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'parse error';
    return { ok: false, message: `malformed JSON: ${reason.length > 200 ? `${reason.slice(0, 200)}…` : reason}` };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, message: `body must be a JSON object, not ${kind(body)}: ${SHAPE}` };
  }
  if (!('events' in body)) return { ok: false, message: `body has no "events": ${SHAPE}` };
  const { events, shared } = body as { events: unknown; shared?: unknown };
  if (!Array.isArray(events)) {
    return { ok: false, message: `"events" must be an array, not ${kind(events)}: ${SHAPE}` };
  }
  if (shared === undefined) return { ok: true, events };
  if (shared === null || typeof shared !== 'object' || Array.isArray(shared)) {
    return { ok: false, message: `"shared" must be an object of fields common to every event, not ${kind(shared)}` };
  }
  // Page-exit bodies send the fields every event has in common once; each event's own fields win.
  return { ok: true, events: events.map((event) => (isObject(event) ? { ...shared, ...event } : event)) };
}

const isObject = (value: unknown): value is object => value !== null && typeof value === 'object' && !Array.isArray(value);

async function ingest(
  events: unknown[],
  check: EventCheck,
  seen: RecentIds,
  write: SinkWriter,
): Promise<SinkAnswer | 'write_failed'> {
  const fresh: TelemetryEvent[] = [];
  const inBody = new Set<string>();
  const errors: NonNullable<SinkAnswer['errors']> = [];
  let rejected = 0;
  let duplicates = 0;

  events.forEach((value, index) => {
    const problem = check(value);
    if (problem !== null) {
      rejected += 1;
      if (errors.length < MAX_REPORTED_ERRORS) errors.push({ index, message: problem });
      return;
    }
    const event = value as TelemetryEvent;
    if (inBody.has(event.id) || seen.has(event.id)) {
      duplicates += 1;
      return;
    }
    inBody.add(event.id);
    fresh.push(event);
  });

  if (fresh.length > 0) {
    // Reserve the ids before waiting on the writer, so a retry that races this request is not
    // written twice; release them if the write fails, so the client's retry is accepted.
    for (const event of fresh) seen.add(event.id);
    try {
      // Every writer gets an error's frames and fingerprint, which browsers leave to the sink.
      await write(completeErrors(fresh));
    } catch (error) {
      for (const event of fresh) seen.delete(event.id);
      console.error('tracebeam sink: write failed', error);
      return 'write_failed';
    }
  }

  const answer: SinkAnswer = { accepted: fresh.length, rejected, duplicates };
  if (rejected > 0) answer.errors = errors;
  return answer;
}

function writeJsonLines(events: TelemetryEvent[]): void {
  for (const event of events) console.log(JSON.stringify(event));
}

/** Lets the runtime drop an unread body instead of keeping it buffered for nobody. */
function discardBody(request: Request): void {
  if (request.body !== null && !request.bodyUsed && !request.body.locked) {
    request.body.cancel().catch(() => undefined);
  }
}

function checkCount(name: string, value: number, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new TypeError(`tracebeam sink: ${name} must be an integer of at least ${min}, got ${String(value)}`);
  }
  return value;
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function clip(text: string | null): string {
  const value = String(text);
  return value.length > 100 ? `${value.slice(0, 100)}…` : value;
}
