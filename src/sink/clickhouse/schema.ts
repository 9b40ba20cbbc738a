/**
 * The table the events and log lines go to, and the row of one of them. The SQL is the part of
 * ClickHouse that 18.16 (Debian 12's) and today's releases share: no DateTime64 (the time is kept
 * in epoch milliseconds beside a DateTime), no JSON type, no table TTL (retention drops whole days,
 * see `retention.ts`).
 */
import { lookup, readLevel, readMessage, readService, readSpanId, readTime, readTraceId, type LogObject } from '../../log-fields/fields';

export const DEFAULT_TABLE = 'tracebeam_events';

/** Where a row came from: the sink's events, or a backend log line given to `tracebeam ingest`. */
export type RowOrigin = 'client' | 'log';

/**
 * ReplacingMergeTree keeps one row per sorting key within a partition; a retried event has the
 * same trace id, id and time (hence day), so however many sinks wrote it, `FINAL` reads it once.
 * Sorted by trace id first: the trace query reads only that trace's granules.
 */
export function createTableSql(table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${table} (
  id String,
  time_ms Int64,
  timestamp DateTime MATERIALIZED toDateTime(intDiv(time_ms, 1000), 'UTC'),
  level String,
  event String,
  service String,
  release String,
  environment String,
  trace_id String,
  span_id String,
  session_id String,
  user_id String,
  error_type String,
  error_fingerprint String,
  http_status UInt16,
  http_duration_ms Float64,
  vital_name String,
  vital_value Float64,
  origin String,
  input String,
  raw String
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMMDD(timestamp)
ORDER BY (trace_id, id)
SETTINGS index_granularity = 8192`;
}

const COLUMNS =
  'id, time_ms, level, event, service, release, environment, trace_id, span_id, session_id, user_id, error_type, error_fingerprint, http_status, http_duration_ms, vital_name, vital_value, origin, input, raw';

export function insertSql(table: string): string {
  return `INSERT INTO ${table} (${COLUMNS}) FORMAT JSONEachRow`;
}

/** The epoch ms a row is sorted by: the object's own time, or `fallback` (the line before's). */
export function rowTime(object: LogObject, fallback = 0): number {
  const time = readTime(object)?.value;
  return time === undefined ? fallback : Math.round(time);
}

/** One row of JSONEachRow, without its line end; `raw` is the object's JSON as it is kept. */
export function toRow(object: LogObject, raw: string, id: string, origin: RowOrigin, input: string, time = rowTime(object)): string {
  const error = lookup(object, 'error')?.value;
  const http = lookup(object, 'http')?.value;
  const vital = lookup(object, 'vital')?.value;
  return JSON.stringify({
    id,
    time_ms: time,
    level: readLevel(object)?.value ?? '',
    event: readMessage(object)?.value ?? '',
    service: readService(object)?.value ?? '',
    release: text(object.release),
    environment: text(object.environment ?? object.env),
    trace_id: readTraceId(object)?.value ?? '',
    span_id: readSpanId(object)?.value ?? '',
    session_id: text(object.session_id),
    user_id: text(object.user_id),
    error_type: text(field(error, 'type')),
    error_fingerprint: text(field(error, 'fingerprint')),
    http_status: whole(field(http, 'status_code'), 65_535),
    http_duration_ms: amount(field(http, 'duration_ms')),
    vital_name: text(field(vital, 'name')),
    vital_value: amount(field(vital, 'value')),
    origin,
    input,
    raw,
  });
}

export function field(value: unknown, name: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as LogObject)[name] : undefined;
}

export function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function whole(value: unknown, max: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max ? value : 0;
}

export function amount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
