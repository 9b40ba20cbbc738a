/**
 * Reading back what the writer and `tracebeam ingest` stored: one trace's rows, or the latest
 * events, as the JSON objects they were, so the timeline and the viewer treat them exactly like
 * lines of files.
 */
import type { LogObject } from '../../log-fields/fields';
import type { ScanInput } from '../../timeline/scan';
import { quote, type ClickHouseClient } from './http';

export interface StoredRow {
  origin: 'client' | 'log';
  /** `sink` for events, the file's name for ingested log lines. */
  input: string;
  raw: string;
}

/**
 * The rows of one trace (canonical id), oldest first. `FINAL` merges the copies a retry through
 * several sinks may have left; 64-bit ids (Jaeger, Datadog) are the low half of a W3C id.
 */
export async function readTraceRows(client: ClickHouseClient, table: string, traceId: string): Promise<StoredRow[]> {
  const sql = `SELECT origin, input, raw FROM ${table} FINAL WHERE trace_id IN (${quote(traceId)}, ${quote(traceId.slice(16))}) ORDER BY time_ms, id FORMAT JSONEachRow`;
  return parseRows(await client.query(sql));
}

/** The latest `limit` events the sinks wrote, oldest first, for the viewer's list. */
export async function readRecentEvents(client: ClickHouseClient, table: string, limit: number): Promise<LogObject[]> {
  // Without FINAL, which would merge the whole table: repeats are dropped by id here instead.
  const sql = `SELECT origin, input, raw FROM ${table} WHERE origin = 'client' ORDER BY time_ms DESC LIMIT ${Math.floor(limit) * 2} FORMAT JSONEachRow`;
  const seen = new Set<string>();
  const objects: LogObject[] = [];
  for (const row of parseRows(await client.query(sql))) {
    const object = parseObject(row.raw);
    if (object === undefined) continue;
    const id = typeof object.id === 'string' ? object.id : undefined;
    if (id !== undefined && seen.has(id)) continue;
    if (id !== undefined) seen.add(id);
    objects.push(object);
    if (objects.length >= limit) break;
  }
  return objects.reverse();
}

/**
 * The rows as inputs of `scanLines`: the sink's events as one, each ingested file as one, named
 * `clickhouse:<input>`, so `tracebeam trace` and the viewer read them like the files they were.
 */
export function rowsAsInputs(rows: readonly StoredRow[]): Array<ScanInput & { origin: StoredRow['origin'] }> {
  const groups = new Map<string, { origin: StoredRow['origin']; label: string; lines: string[] }>();
  for (const row of rows) {
    const key = `${row.origin}\u0000${row.input}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { origin: row.origin, label: row.input, lines: [] };
      groups.set(key, group);
    }
    group.lines.push(row.raw);
  }
  return [...groups.values()].map((group) => ({ origin: group.origin, input: `clickhouse:${group.label}`, label: group.label, lines: group.lines }));
}

function parseRows(text: string): StoredRow[] {
  const rows: StoredRow[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const row = JSON.parse(line) as StoredRow;
    rows.push({ origin: row.origin === 'log' ? 'log' : 'client', input: String(row.input), raw: String(row.raw) });
  }
  return rows;
}

function parseObject(text: string): LogObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as LogObject) : undefined;
  } catch {
    return undefined;
  }
}
