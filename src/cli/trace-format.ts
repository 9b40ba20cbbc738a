/** The timeline of `tracebeam trace` as text for people, and as JSON lines for programs. */
import { describeRecord, formatFrame } from '../timeline/details';
import type { TimelineRecord } from '../timeline/record';
import type { CliIo } from './io';

const MAX_SOURCE = 16;
const MAX_EVENT = 28;
const MAX_FRAMES = 5;

/** https://no-color.org: any non-empty NO_COLOR turns colour off; so does output that is not a terminal. */
export function useColour(io: CliIo, env: Readonly<Record<string, string | undefined>>): boolean {
  return (io.stdout as { isTTY?: boolean }).isTTY === true && (env.NO_COLOR ?? '') === '';
}

type Paint = (code: string, text: string) => string;

const LEVEL_COLOURS: Record<string, string> = { trace: '2', debug: '2', info: '32', warn: '33', error: '31', fatal: '1;31' };

export function formatTimeline(records: readonly TimelineRecord[], traceId: string, { colour }: { colour: boolean }): string {
  const paint: Paint = colour ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_code, text) => text;
  const times = records.map((record) => record.time).filter((time): time is number => time !== undefined);
  // Reduced, not spread: Math.min(...list) throws on a few hundred thousand records.
  const first = times.length > 0 ? times.reduce((a, b) => Math.min(a, b)) : undefined;
  const oneDay = times.every((time) => isoOf(time).slice(0, 10) === isoOf(times[0]!).slice(0, 10));
  const sources = [...new Set(records.map((record) => clean(record.source)))];
  const sourceWidth = Math.min(
    MAX_SOURCE,
    records.reduce((width, record) => Math.max(width, clean(record.source).length), 0),
  );
  const eventWidth = Math.min(
    MAX_EVENT,
    records.reduce((width, record) => Math.max(width, clean(record.event).length), 0),
  );

  const day = first === undefined ? '' : oneDay ? `, ${isoOf(first).slice(0, 10)}` : '';
  const lines = [paint('1', `trace ${traceId}: ${records.length} record${records.length === 1 ? '' : 's'} from ${sources.join(', ')}${day} (UTC)`)];
  for (const record of records) {
    const details = describeRecord(record);
    const time =
      record.time === undefined ? '?'.padEnd(oneDay ? 12 : 23) : oneDay ? isoOf(record.time).slice(11, 23) : isoOf(record.time).slice(0, 23).replace('T', ' ');
    const offset = record.time === undefined || first === undefined ? '' : `+${((record.time - first) / 1000).toFixed(3)}s`;
    const level = clean(record.level).padEnd(5);
    const rest = [clean(details.summary), ...details.attributes.map(([name, value]) => `${paint('2', `${clean(name)}=`)}${quote(clean(value))}`)].filter(
      (part) => part !== '',
    );
    lines.push(
      [
        paint('2', time),
        paint('2', offset.padStart(9)),
        paint('36', fit(record.source, sourceWidth)),
        paint(LEVEL_COLOURS[record.level] ?? '0', level),
        paint('1', fit(record.event, eventWidth)),
        rest.join('  '),
      ]
        .join('  ')
        .trimEnd(),
    );
    for (const frame of details.error?.frames.slice(0, MAX_FRAMES) ?? []) lines.push(paint('2', `${' '.repeat(14)}at ${clean(formatFrame(frame))}`));
  }
  return `${lines.join('\n')}\n`;
}

/** One record for programs: the fields the timeline sorted and labelled by, and the line as it was. */
export function toJsonLine(record: TimelineRecord, traceId: string): string {
  return JSON.stringify({
    time: record.time === undefined ? null : isoOf(record.time),
    source: record.source,
    level: record.level,
    event: record.event,
    trace_id: traceId,
    span_id: record.spanId,
    parent_span_id: record.parentSpanId,
    input: record.input,
    line: record.line,
    record: record.fields,
  });
}

function isoOf(time: number): string {
  return new Date(time).toISOString();
}

/**
 * Events come from browsers, so anyone can put terminal escape sequences in them; control
 * characters are shown as escapes instead of being sent to the terminal.
 */
function clean(text: string): string {
  return (
    text
      .replace(/[\t\n\r]/g, ' ')
      // eslint-disable-next-line no-control-regex -- matching them is the point
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`)
  );
}

function fit(raw: string, width: number): string {
  const oneLine = clean(raw).replace(/\s+/g, ' ');
  return oneLine.length > width ? `${oneLine.slice(0, width - 1)}…` : oneLine.padEnd(width);
}

/** Values with spaces are quoted so that `key=value` pairs stay apart. */
function quote(value: string): string {
  return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
}
