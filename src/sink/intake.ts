/**
 * What the sink decides for a request, apart from how the request arrived: the web-standard
 * handler (`createSinkHandler`) and the node:http path (`node-events.ts`) both ask this module,
 * so they give the same answers and write the same events.
 */
import type { TelemetryEvent } from '../core/types';
import { checkContentType, type HeaderSource } from './content-type';
import { corsHeaders, createOriginPolicy, preflightHeaders, type AllowedOrigins } from './cors';
import { createRecentIds, type RecentIds } from './dedupe';
import { completeErrors } from './error-details';
import { parseBody, SHAPE } from './parse-body';
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

export interface SinkAnswer {
  accepted: number;
  rejected: number;
  duplicates: number;
  errors?: Array<{ index: number; message: string }>;
}

/** What a request is answered: `body` is sent as JSON, or nothing when it is `null`. */
export interface Answer {
  status: number;
  body: object | null;
  headers: Record<string, string>;
}

/** The parts of a request the sink looks at before its body; a web `Request` is one. */
export interface RequestHead {
  readonly method: string;
  /** The URL as the client asked for it; read only when a same-origin check needs it. */
  readonly url: string;
  readonly headers: HeaderSource;
}

/** Before the body: an answer already (a refusal, or the preflight's), or go on and read it. */
export type HeadVerdict = { answer: Answer } | { answer: undefined; cors: Record<string, string> };

export interface Intake {
  readonly maxBodyBytes: number;
  head(request: RequestHead): HeadVerdict;
  /** A body over `maxBodyBytes`, found before or while reading it. */
  tooLarge(cors: Record<string, string>): Answer;
  unreadable(message: string, cors: Record<string, string>): Answer;
  /** Parses, validates, drops repeats, writes; resolves to the answer, never rejects. */
  body(bytes: Uint8Array, cors: Record<string, string>): Promise<Answer>;
}

export const DEFAULT_MAX_BODY_BYTES = 1_048_576;
export const DEFAULT_DEDUPE_SIZE = 100_000;
export { MAX_BODY_DEPTH } from './parse-body';
/** Seconds a client is told to wait when the store could not keep its events. */
export const RETRY_AFTER_SECONDS = 5;
const MAX_REPORTED_ERRORS = 10;
const ALLOW = 'POST, OPTIONS';

/** Throws on bad options, at start-up; what it returns never throws. */
export function createIntake(options: SinkHandlerOptions = {}): Intake {
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

  return {
    maxBodyBytes,
    head(request) {
      const origin = origins.check(request);
      if (origin === false) {
        return { answer: error(403, `origin ${clip(request.headers.get('origin'))} is not allowed to send events`) };
      }
      if (request.method === 'OPTIONS') {
        return { answer: { status: 204, body: null, headers: { ...preflightHeaders(origin), allow: ALLOW } } };
      }
      const cors = corsHeaders(origin);
      if (request.method !== 'POST') {
        return { answer: error(405, `method ${request.method} is not allowed: POST ${SHAPE}`, { ...cors, allow: ALLOW }) };
      }
      const type = checkContentType(request.headers);
      if (!type.ok) return { answer: error(415, type.message, cors) };
      return { answer: undefined, cors };
    },
    tooLarge: (cors) => error(413, `body is larger than ${maxBodyBytes} bytes: send smaller batches`, cors),
    unreadable: (message, cors) => error(400, `could not read the body: ${message}`, cors),
    async body(bytes, cors) {
      const parsed = parseBody(bytes);
      if (!parsed.ok) return error(400, parsed.message, cors);
      const outcome = await ingest(parsed.events, check, seen, write);
      if (outcome === 'write_failed') {
        // Not 202: these events were not kept. The client retries after the pause.
        return error(503, 'could not store the events: retry later', { ...cors, 'retry-after': String(RETRY_AFTER_SECONDS) });
      }
      return { status: 202, body: outcome, headers: cors };
    },
  };
}

export function error(status: number, message: string, headers: Record<string, string> = {}): Answer {
  return { status, body: { error: message }, headers };
}

/** A failure inside the sink: logged where the operator sees it, and a 500 that names no detail. */
export function internalError(what: string, failure: unknown): Answer {
  console.error(`tracebeam sink: ${what}`, failure);
  return error(500, 'internal error in the sink');
}

/**
 * Every header of the answer, names in lowercase and sorted, as a web `Headers` lists them: the
 * two paths send the same set.
 */
export function answerHeaders(answer: Answer): Array<[string, string]> {
  const headers: Record<string, string> = { ...answer.headers };
  if (answer.body !== null) {
    headers['content-type'] = 'application/json; charset=utf-8';
    // Answers describe one request; a cache must never replay them for another.
    headers['cache-control'] = 'no-store';
  }
  return Object.entries(headers).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

async function ingest(events: unknown[], check: EventCheck, seen: RecentIds, write: SinkWriter): Promise<SinkAnswer | 'write_failed'> {
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

function checkCount(name: string, value: number, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new TypeError(`tracebeam sink: ${name} must be an integer of at least ${min}, got ${String(value)}`);
  }
  return value;
}

function clip(text: string | null): string {
  const value = String(text);
  return value.length > 100 ? `${value.slice(0, 100)}…` : value;
}
