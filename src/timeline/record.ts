import { readLevel, readMessage, readParentSpanId, readService, readSpanId, readTime, readTraceId, type LogObject } from '../log-fields/fields';
import { sameTrace } from '../log-fields/trace-id';

/** One line of one input, as the timeline shows it. */
export interface TimelineRecord {
  /** Epoch milliseconds; `undefined` when neither the line nor any line before it in its input had a time. */
  time: number | undefined;
  /** Whether `time` was the line's own, rather than the one of the line before it. */
  ownTime: boolean;
  /** The line's `service`, or else the name of its input (a file's basename). */
  source: string;
  level: string;
  /** structlog's `event`, pino's `msg`, python-json-logger's `message`: what happened. */
  event: string;
  spanId?: string;
  parentSpanId?: string;
  /** The input it came from, as named on the command line, and its line there (1-based; 0 when not from a file). */
  input: string;
  line: number;
  fields: LogObject;
  /** Top-level keys already shown as time, level, event, trace or source. */
  shown: string[];
}

export interface RecordPlace {
  /** What to call the input when a line has no `service`. */
  label: string;
  input: string;
  line: number;
  /** The time of the input's previous line, for a line that has none. */
  previousTime: number | undefined;
}

/**
 * The time of a line, whatever trace it belongs to: lines without one take it from the line
 * before, so a record that is not timed stays where its input put it.
 */
export function lineTime(object: LogObject): number | undefined {
  return readTime(object)?.value;
}

/** The record for `object` when it belongs to `traceId` (canonical, see `parseTraceId`), else `undefined`. */
export function toRecord(object: LogObject, traceId: string | undefined, place: RecordPlace): TimelineRecord | undefined {
  const trace = readTraceId(object);
  if (traceId !== undefined && (trace === undefined || !sameTrace(trace.value, traceId))) return undefined;
  return describeObject(object, place, trace?.key);
}

function describeObject(object: LogObject, place: RecordPlace, traceKey: string | undefined): TimelineRecord {
  const time = readTime(object);
  const level = readLevel(object);
  const message = readMessage(object);
  const service = readService(object);
  const span = readSpanId(object);
  const parent = readParentSpanId(object);
  const shown = [time?.key, level?.key, message?.key, service?.key, traceKey, span?.key, parent?.key].filter((key): key is string => key !== undefined);
  const record: TimelineRecord = {
    time: time?.value ?? place.previousTime,
    ownTime: time !== undefined,
    source: service?.value ?? place.label,
    level: level?.value ?? 'info',
    event: message?.value ?? '',
    input: place.input,
    line: place.line,
    fields: object,
    shown,
  };
  if (span !== undefined) record.spanId = span.value;
  if (parent !== undefined) record.parentSpanId = parent.value;
  return record;
}
