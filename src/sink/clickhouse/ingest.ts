/**
 * `tracebeam ingest`'s store side: backend JSON log lines (structlog, python-json-logger, pino,
 * and whatever else `tracebeam trace` reads) as rows beside the client's events, with the same
 * field mapping, so the join by trace id runs in ClickHouse.
 */
import { readLogLine } from '../../timeline/scan';
import type { ClickHouseClient } from './http';
import { createTableSql, insertSql, rowTime, toRow } from './schema';

export interface IngestCounts {
  rows: number;
  /** Lines that are not JSON objects; blank lines do not count. */
  skipped: number;
}

/**
 * Writes the lines in INSERTs of `batch` rows. A line's id is a hash of its text: ingesting a file
 * again (or a longer copy of it after the server wrote more) stores each line once.
 */
export async function ingestLines(
  client: ClickHouseClient,
  table: string,
  input: string,
  lines: AsyncIterable<string> | Iterable<string>,
  hash: (text: string) => string,
  batch = 10_000,
): Promise<IngestCounts> {
  await client.query(createTableSql(table));
  const insert = insertSql(table);
  const counts: IngestCounts = { rows: 0, skipped: 0 };
  let rows: string[] = [];
  let previousTime = 0;
  for await (const text of lines) {
    const read = readLogLine(text);
    if (read === undefined) continue;
    if (typeof read !== 'object') {
      counts.skipped += 1;
      continue;
    }
    const { value, trimmed } = read;
    // A line without a time sorts where its file put it, as `tracebeam trace` does, by the time before it.
    const time = rowTime(value, previousTime);
    previousTime = time;
    rows.push(toRow(value, trimmed, hash(trimmed), 'log', input, time));
    counts.rows += 1;
    if (rows.length >= batch) {
      await client.query(insert, rows.join('\n'));
      rows = [];
    }
  }
  if (rows.length > 0) await client.query(insert, rows.join('\n'));
  return counts;
}
