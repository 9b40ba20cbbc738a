/**
 * One trace for the viewer, gathered the way `tracebeam trace` gathers it: the sink's own file,
 * the events it holds in memory (which the file may not have, or which may be all there is), and
 * the backend's log files.
 */
import type { LogObject } from '../log-fields/fields';
import { mergeRecords } from '../timeline/merge';
import type { TimelineRecord } from '../timeline/record';
import { describeSkipped, scanLines, scanObjects, type ScanInput } from '../timeline/scan';
import { toViewRecord, type ViewRecord } from './view-record';

export interface TraceSources {
  /** The sink's JSON-lines file, when it writes one: its name and its lines, or `undefined` when it does not exist yet. */
  out?: { input: string; lines: () => Promise<AsyncIterable<string> | undefined> };
  recent: () => LogObject[];
  /** Backend log files, in the order given. */
  logs: Array<{ input: string; label: string; lines: () => Promise<AsyncIterable<string> | undefined> }>;
  /** A store (ClickHouse) holding the trace's events and ingested log lines, read by trace id. */
  store?: { where: string; read: (traceId: string) => Promise<Array<ScanInput & { origin: 'client' | 'log' }>> };
}

export interface TraceData {
  trace_id: string;
  records: ViewRecord[];
  /** What the reader had to say: skipped lines, files not there. */
  notes: string[];
}

export async function collectTraceData(traceId: string, sources: TraceSources): Promise<TraceData> {
  const notes: string[] = [];
  const client: TimelineRecord[] = [];
  const seen = new Set<string>();
  const keep = (record: TimelineRecord): void => {
    // The file and memory overlap: an event is one record however many places hold it.
    const id = record.fields.id;
    if (typeof id === 'string') {
      if (seen.has(id)) return;
      seen.add(id);
    }
    client.push(record);
  };

  if (sources.out !== undefined) {
    const result = await readSafely(traceId, sources.out.input, 'sink', sources.out.lines, notes);
    result.forEach(keep);
  }
  const stored: ScanInput[] = [];
  if (sources.store !== undefined) {
    try {
      for (const input of await sources.store.read(traceId)) {
        if (input.origin === 'log') {
          stored.push(input);
          continue;
        }
        (await scanLines(traceId, input)).records.forEach(keep);
      }
    } catch (error) {
      notes.push(`could not read ${sources.store.where}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  scanObjects(traceId, 'sink', sources.recent()).forEach(keep);

  const logs: TimelineRecord[][] = [];
  for (const input of stored) logs.push((await scanLines(traceId, input)).records);
  for (const log of sources.logs) {
    // A log file may hold the sink's events too (the `--out` file given to `--logs` as well).
    const records = await readSafely(traceId, log.input, log.label, log.lines, notes);
    logs.push(records.filter((record) => !(typeof record.fields.id === 'string' && seen.has(record.fields.id))));
  }

  const origins = new Map<TimelineRecord, ViewRecord['origin']>();
  for (const record of client) origins.set(record, 'client');
  // Sorted by time again: the file and memory were joined, not interleaved.
  const merged = mergeRecords([client.sort((a, b) => (a.time ?? -Infinity) - (b.time ?? -Infinity) || 0), ...logs]);
  return { trace_id: traceId, records: merged.map((record) => toViewRecord(record, origins.get(record) ?? 'log')), notes };
}

async function readSafely(
  traceId: string,
  input: string,
  label: string,
  open: () => Promise<AsyncIterable<string> | undefined>,
  notes: string[],
): Promise<TimelineRecord[]> {
  try {
    const lines = await open();
    if (lines === undefined) {
      notes.push(`${input} does not exist (yet)`);
      return [];
    }
    const result = await scanLines(traceId, { input, label, lines });
    const skipped = describeSkipped(input, result);
    if (skipped !== undefined) notes.push(skipped);
    return result.records;
  } catch (error) {
    notes.push(`could not read ${input}: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  }
}
