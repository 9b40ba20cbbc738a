import type { LogObject } from '../log-fields/fields';
import { lineTime, toRecord, type TimelineRecord } from './record';

export interface ScanResult {
  records: TimelineRecord[];
  /** Lines that are not JSON (a stack trace, a plain-text log line); blank lines do not count. */
  notJson: number;
  /** Lines that are JSON but not an object (`42`, `[...]`). */
  notObject: number;
}

export interface ScanInput {
  /** As named on the command line; also what records without `service` are attributed to. */
  input: string;
  label: string;
  lines: AsyncIterable<string> | Iterable<string>;
}

/** The records of `traceId` (canonical; `undefined` keeps every object) among JSON lines; anything else is counted, never thrown. */
export async function scanLines(traceId: string | undefined, { input, label, lines }: ScanInput): Promise<ScanResult> {
  const result: ScanResult = { records: [], notJson: 0, notObject: 0 };
  let previousTime: number | undefined;
  let line = 0;
  for await (const text of lines) {
    line += 1;
    const read = readLogLine(text);
    if (read === 'not_json') result.notJson += 1;
    else if (read === 'not_object') result.notObject += 1;
    if (typeof read !== 'object') continue;
    const { value } = read;
    const record = toRecord(value, traceId, { label, input, line, previousTime });
    if (record !== undefined) result.records.push(record);
    previousTime = lineTime(value) ?? previousTime;
  }
  return result;
}

/** One line of a JSON log: its object and trimmed text, or why it holds none; a blank line is `undefined`. */
export function readLogLine(text: string): { value: LogObject; trimmed: string } | 'not_json' | 'not_object' | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return 'not_json';
  }
  return isObject(value) ? { value, trimmed } : 'not_object';
}

/** The same for objects already in memory, such as the events a sink keeps. */
export function scanObjects(traceId: string | undefined, input: string, objects: Iterable<unknown>): TimelineRecord[] {
  const records: TimelineRecord[] = [];
  let previousTime: number | undefined;
  for (const value of objects) {
    if (!isObject(value)) continue;
    const record = toRecord(value, traceId, { label: input, input, line: 0, previousTime });
    if (record !== undefined) records.push(record);
    previousTime = lineTime(value) ?? previousTime;
  }
  return records;
}

/** "skipped 3 lines that are not JSON in server.log", or `undefined` when nothing was skipped. */
export function describeSkipped(input: string, { notJson, notObject }: Pick<ScanResult, 'notJson' | 'notObject'>): string | undefined {
  const parts: string[] = [];
  if (notJson > 0) parts.push(`${lines(notJson)} that ${notJson === 1 ? 'is' : 'are'} not JSON`);
  if (notObject > 0) parts.push(`${lines(notObject)} of JSON that ${notObject === 1 ? 'is' : 'are'} not an object`);
  return parts.length === 0 ? undefined : `skipped ${parts.join(' and ')} in ${input}`;
}

const lines = (count: number): string => `${count} line${count === 1 ? '' : 's'}`;

function isObject(value: unknown): value is LogObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
