/**
 * Where JSON loggers put the time, level, message, trace and service of a line. Each reader tries
 * the names in order and says which top-level key it used, so that the attributes shown beside a
 * line do not repeat it.
 */
import { readTraceIdValue } from './trace-id';

export type LogObject = Record<string, unknown>;

export interface Found<T> {
  value: T;
  /** The top-level key the value came from. */
  key: string;
}

/**
 * A value at `path`: the literal key first (`"dd.trace_id": ...`, as flat loggers write it), then
 * the nested path (`"dd": {"trace_id": ...}`, as ECS and OpenTelemetry write it).
 */
export function lookup(object: LogObject, path: string): Found<unknown> | undefined {
  if (Object.hasOwn(object, path) && object[path] !== undefined && object[path] !== null) return { value: object[path], key: path };
  const segments = path.split('.');
  if (segments.length === 1) return undefined;
  let current: unknown = object;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, segment)) return undefined;
    current = (current as LogObject)[segment];
  }
  return current === undefined || current === null ? undefined : { value: current, key: segments[0]! };
}

// structlog and python-json-logger write `timestamp` or `asctime` (and `created`, epoch seconds);
// pino `time` (epoch ms); Logstash and ECS `@timestamp`; zap `ts` (epoch seconds); OpenTelemetry
// log records `timeUnixNano`.
const TIME_KEYS = ['timestamp', '@timestamp', 'time', 'ts', 'timeUnixNano', 'created', 'asctime', 'observedTimeUnixNano'];

/** Epoch milliseconds, with the sub-millisecond digits the line had. */
export function readTime(object: LogObject): Found<number> | undefined {
  for (const name of TIME_KEYS) {
    const found = lookup(object, name);
    if (found === undefined) continue;
    const value = name.endsWith('UnixNano') ? fromNanos(found.value) : toEpochMs(found.value);
    if (value !== undefined) return { value, key: found.key };
  }
  return undefined;
}

/**
 * Numbers are told apart by size: epoch seconds, milliseconds, microseconds and nanoseconds of any
 * date between 1973 and 5138 fall in different ranges.
 */
export function toEpochMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? scale(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return scale(Number(text));
  return parseDateTime(text);
}

function scale(value: number): number {
  if (value < 1e11) return value * 1000;
  if (value < 1e14) return value;
  if (value < 1e17) return value / 1000;
  return value / 1e6;
}

function fromNanos(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value / 1e6 : undefined;
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) {
    const nanos = value.trim();
    // Split before converting: 19 digits are past what a double holds exactly.
    return nanos.length > 6 ? Number(nanos.slice(0, -6)) + Number(nanos.slice(-6)) / 1e6 : Number(nanos) / 1e6;
  }
  return undefined;
}

/** ISO 8601 and Python's `asctime` (`2024-05-01 12:00:00,123`), keeping microseconds. */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export function parseDateTime(text: string): number | undefined {
  const match = DATE_TIME.exec(text);
  if (match === null) {
    const parsed = Date.parse(text);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  const [, year, month, day, hour, minute, second = '0', fraction = '', zone] = match;
  const fields = [Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)] as const;
  const ms = fraction === '' ? 0 : Number(`0.${fraction}`) * 1000;
  if (zone === undefined) {
    // No offset: Python's default `asctime` and naive `isoformat()` are the writer's local time,
    // which is this machine's when both run in one place.
    const local = new Date(...fields).getTime();
    return Number.isFinite(local) ? local + ms : undefined;
  }
  const utc = Date.UTC(...fields) + ms;
  if (zone.toUpperCase() === 'Z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offset = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000;
  return Number.isFinite(utc) ? utc - sign * offset : undefined;
}

/** Levels, from the many spellings, for colour and filters; anything else is kept lower-cased. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

const LEVEL_WORDS: Record<string, LogLevel> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  information: 'info',
  notice: 'info',
  default: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  err: 'error',
  exception: 'error',
  critical: 'fatal',
  crit: 'fatal',
  fatal: 'fatal',
  alert: 'fatal',
  emergency: 'fatal',
  emerg: 'fatal',
  panic: 'fatal',
};

// `severity` is Google Cloud's, `log.level` ECS's, `severityText`/`severityNumber` OpenTelemetry's.
const LEVEL_KEYS = ['level', 'levelname', 'severity', 'log.level', 'severityText', 'severityNumber'];

export function readLevel(object: LogObject): Found<string> | undefined {
  for (const name of LEVEL_KEYS) {
    const found = lookup(object, name);
    if (found === undefined) continue;
    const level = name === 'severityNumber' ? fromSeverityNumber(found.value) : toLevel(found.value);
    if (level !== undefined) return { value: level, key: found.key };
  }
  return undefined;
}

export function toLevel(value: unknown): string | undefined {
  // pino: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal.
  if (typeof value === 'number' && Number.isFinite(value)) {
    if (value <= 10) return 'trace';
    if (value <= 20) return 'debug';
    if (value <= 30) return 'info';
    if (value <= 40) return 'warn';
    if (value <= 50) return 'error';
    return 'fatal';
  }
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const word = value.trim().toLowerCase();
  return LEVEL_WORDS[word] ?? word;
}

/** https://opentelemetry.io/docs/specs/otel/logs/data-model/#field-severitynumber */
function fromSeverityNumber(value: unknown): string | undefined {
  if (typeof value !== 'number' || value < 1) return undefined;
  return (['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const)[Math.min(5, Math.floor((value - 1) / 4))];
}

// structlog's `event`, pino's `msg`, python-json-logger's and ECS's `message`, OpenTelemetry's `body`.
const MESSAGE_KEYS = ['event', 'msg', 'message', 'body'];

export function readMessage(object: LogObject): Found<string> | undefined {
  for (const name of MESSAGE_KEYS) {
    const found = lookup(object, name);
    if (found === undefined) continue;
    if (typeof found.value === 'string') return { value: found.value, key: found.key };
    // OTLP JSON wraps a string body as {"stringValue": "..."}.
    const wrapped = (found.value as { stringValue?: unknown }).stringValue;
    if (typeof wrapped === 'string') return { value: wrapped, key: found.key };
  }
  return undefined;
}

const TRACE_KEYS = ['trace_id', 'traceId', 'traceID', 'trace.id', 'otelTraceID', 'dd.trace_id', 'logging.googleapis.com/trace'];

/** The line's trace id in the form of `readTraceIdValue`. */
export function readTraceId(object: LogObject): Found<string> | undefined {
  for (const name of TRACE_KEYS) {
    const found = lookup(object, name);
    if (found === undefined) continue;
    const id = readTraceIdValue(found.value);
    if (id !== undefined) return { value: id, key: found.key };
  }
  return undefined;
}

const SPAN_KEYS = ['span_id', 'spanId', 'spanID', 'span.id', 'otelSpanID', 'dd.span_id', 'logging.googleapis.com/spanId'];
const PARENT_KEYS = ['parent_span_id', 'parentSpanId', 'parentSpanID', 'parent.id'];

export function readSpanId(object: LogObject): Found<string> | undefined {
  return firstString(object, SPAN_KEYS);
}

export function readParentSpanId(object: LogObject): Found<string> | undefined {
  return firstString(object, PARENT_KEYS);
}

/** `service` (the wire format's, and many loggers'), or ECS's and OpenTelemetry's `service.name`. */
export function readService(object: LogObject): Found<string> | undefined {
  return firstString(object, ['service', 'service.name', 'resource.service.name']);
}

function firstString(object: LogObject, names: readonly string[]): Found<string> | undefined {
  for (const name of names) {
    const found = lookup(object, name);
    if (found !== undefined && typeof found.value === 'string' && found.value !== '') return { value: found.value, key: found.key };
  }
  return undefined;
}
