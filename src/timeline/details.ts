/**
 * What a timeline shows of a record besides its time, source, level and event: the key fields of
 * the wire format (http, error, vital, span) said in a few words, the remaining short attributes,
 * and, for durations, the interval a waterfall draws as a bar.
 */
import type { LogObject } from '../log-fields/fields';
import type { TimelineRecord } from './record';

export interface FrameDetails {
  function?: string;
  file?: string;
  line?: number;
  column?: number;
  /** Where the frame was in the minified bundle, when the sink mapped it back (see `sourceMapResolver`). */
  minified?: { function?: string; file?: string; line?: number; column?: number };
}

export interface ErrorDetails {
  type: string;
  message: string;
  frames: FrameDetails[];
  stack?: string;
}

export interface RecordDetails {
  /** http, error, vital or span in words, e.g. `POST /api/cart -> 500 in 120 ms`; '' when there is none. */
  summary: string;
  /** Short scalar attributes not shown otherwise, as `[name, value]`. */
  attributes: Array<[string, string]>;
  /** Epoch ms and duration of what took time: an `http_request` (stamped when it started) or a span. */
  bar?: { start: number; duration: number };
  error?: ErrorDetails;
}

/** Fields of the wire format that are either summarised or noise beside a line. */
const HIDDEN = new Set([
  'id',
  'sdk',
  'session_id',
  'release',
  'environment',
  'http',
  'error',
  'vital',
  'span',
  'err',
  'exc_info',
  'exception',
  'stack_info',
  'pid',
  'hostname',
  'v',
  'taskName',
]);
const MAX_ATTRIBUTES = 12;
const MAX_VALUE = 80;

export function describeRecord(record: TimelineRecord): RecordDetails {
  const fields = record.fields;
  const parts: string[] = [];
  const details: RecordDetails = { summary: '', attributes: [] };

  const http = asObject(fields.http);
  if (http !== undefined) {
    const status = typeof http.status_code === 'number' && http.status_code > 0 ? String(http.status_code) : text(http.error) || 'no answer';
    const duration = finite(http.duration_ms);
    parts.push(`${text(http.method)} ${text(http.url)} -> ${status}${duration === undefined ? '' : ` in ${round(duration)} ms`}`);
    if (duration !== undefined && record.time !== undefined && record.event === 'http_request') {
      // Requests are stamped when they start, in the browser and at the edge alike.
      details.bar = { start: record.time, duration };
    }
  }

  const span = asObject(fields.span);
  if (span !== undefined && record.event === 'span') {
    const duration = finite(span.duration_ms);
    const status = text(span.status);
    parts.push(
      `${text(span.name)}${text(span.kind) ? ` (${text(span.kind)})` : ''}${duration === undefined ? '' : ` ${round(duration)} ms`}${status && status !== 'unset' ? ` ${status}` : ''}`,
    );
    const start = finite(span.start_ms) ?? record.time;
    if (duration !== undefined && start !== undefined) details.bar = { start, duration };
  }

  const vital = asObject(fields.vital);
  if (vital !== undefined) {
    const name = text(vital.name);
    const value = finite(vital.value);
    const shown = value === undefined ? '' : name === 'CLS' ? String(Math.round(value * 1000) / 1000) : `${round(value)} ms`;
    parts.push(`${name} ${shown}${text(vital.rating) ? ` (${text(vital.rating)})` : ''}`.trim());
  }

  const error = readError(fields);
  if (error !== undefined) {
    details.error = error;
    parts.push(`${error.type}: ${error.message}`);
  }

  details.summary = parts.join('; ');
  details.attributes = shortAttributes(record);
  return details;
}

/** `fn (file:line:column)`, as a stack line says it. */
export function formatFrame(frame: FrameDetails): string {
  const place = [frame.file ?? '<unknown>', frame.line, frame.column].filter((part) => part !== undefined).join(':');
  return frame.function ? `${frame.function} (${place})` : place;
}

/**
 * The wire format's `error`, pino's `err` ({type, message, stack}), or the traceback text that
 * structlog (`exception`) and python logging (`exc_info`) write, whose last line names the error.
 */
function readError(fields: LogObject): ErrorDetails | undefined {
  const error = asObject(fields.error) ?? asObject(fields.err);
  if (error !== undefined && (typeof error.message === 'string' || typeof error.type === 'string')) {
    const frames = Array.isArray(error.frames)
      ? error.frames
          .map(asObject)
          .filter((frame) => frame !== undefined)
          .map(toFrame)
      : [];
    const details: ErrorDetails = { type: text(error.type) || text(error.name) || 'Error', message: text(error.message), frames };
    if (typeof error.stack === 'string') details.stack = error.stack;
    return details;
  }
  const traceback = typeof fields.exception === 'string' ? fields.exception : typeof fields.exc_info === 'string' ? fields.exc_info : undefined;
  if (traceback === undefined) return undefined;
  const last = traceback.trim().split('\n').pop()?.trim() ?? '';
  const colon = last.indexOf(': ');
  return {
    type: colon === -1 ? last || 'Exception' : last.slice(0, colon),
    message: colon === -1 ? '' : last.slice(colon + 2),
    frames: [],
    stack: traceback,
  };
}

function toFrame(frame: LogObject): FrameDetails {
  const out: FrameDetails = {};
  if (typeof frame.function === 'string') out.function = frame.function;
  if (typeof frame.file === 'string') out.file = frame.file;
  if (typeof frame.line === 'number') out.line = frame.line;
  if (typeof frame.column === 'number') out.column = frame.column;
  const minified = asObject(frame.minified);
  if (minified !== undefined) out.minified = toFrame(minified);
  return out;
}

function shortAttributes(record: TimelineRecord): Array<[string, string]> {
  const hidden = new Set(record.shown);
  // The page URL is on every browser event; it says nothing about this one.
  if (record.fields.sdk !== undefined) hidden.add('url');
  const out: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(record.fields)) {
    if (hidden.has(name) || HIDDEN.has(name)) continue;
    const shown = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
    if (shown === undefined || shown === '' || shown.length > MAX_VALUE || shown.includes('\n')) continue;
    out.push([name, shown]);
    if (out.length === MAX_ATTRIBUTES) break;
  }
  return out;
}

function asObject(value: unknown): LogObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as LogObject) : undefined;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function round(value: number): string {
  return value >= 10 ? String(Math.round(value)) : String(Math.round(value * 10) / 10);
}
