/** A timeline record as the viewer page gets it: already described, so the page only lays it out. */
import { describeRecord, type ErrorDetails } from '../timeline/details';
import { readTraceId, type LogObject } from '../log-fields/fields';
import type { TimelineRecord } from '../timeline/record';

export interface ViewRecord {
  /** Epoch ms, or null when the line had no time. */
  time: number | null;
  source: string;
  level: string;
  event: string;
  summary: string;
  attributes: Array<[string, string]>;
  /** 'client' for what the sink received, 'log' for lines of the backend's files. */
  origin: 'client' | 'log';
  /** The trace id as the line has it (32 hex, or 16 for 64-bit ids). */
  trace_id?: string;
  span_id?: string;
  parent_span_id?: string;
  bar?: { start: number; duration: number };
  error?: ErrorDetails;
  input: string;
  line: number;
  fields: LogObject;
}

export function toViewRecord(record: TimelineRecord, origin: ViewRecord['origin']): ViewRecord {
  const details = describeRecord(record);
  const view: ViewRecord = {
    time: record.time ?? null,
    source: record.source,
    level: record.level,
    event: record.event,
    summary: details.summary,
    attributes: details.attributes,
    origin,
    input: record.input,
    line: record.line,
    fields: record.fields,
  };
  const trace = readTraceId(record.fields);
  if (trace !== undefined) view.trace_id = trace.value;
  if (record.spanId !== undefined) view.span_id = record.spanId;
  if (record.parentSpanId !== undefined) view.parent_span_id = record.parentSpanId;
  if (details.bar !== undefined) view.bar = details.bar;
  if (details.error !== undefined) view.error = details.error;
  return view;
}
