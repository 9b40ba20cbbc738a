import { checkTableName, clickHouseClient } from '../sink/clickhouse/http';
import { readTraceRows, rowsAsInputs } from '../sink/clickhouse/read';
import { DEFAULT_TABLE } from '../sink/clickhouse/schema';
import { resolveInputs } from '../timeline/files';
import { mergeRecords } from '../timeline/merge';
import { describeSkipped, scanLines, type ScanInput } from '../timeline/scan';
import { parseTraceId } from '../log-fields/trace-id';
import { parseArgs } from './args';
import { usageError, type CliIo } from './io';
import { formatTimeline, toJsonLine, useColour } from './trace-format';

export const TRACE_USAGE = `Usage: tracebeam trace <trace_id> [files...] [options]

Prints the records of one trace, oldest first, as one timeline: the browser's events
(the sink's JSON lines) and the backend's JSON logs (structlog, python-json-logger,
pino, OpenTelemetry, ECS) that carry the same trace id.

Arguments:
  <trace_id>   32 hex digits, in any case; dashes are ignored, and a whole
               traceparent (00-<trace_id>-<span_id>-01) works too
  files        JSON-lines files to read; a directory stands for the *.jsonl,
               *.ndjson, *.json, *.log and *.txt files in it; - is standard input,
               which is also read when no file is given and input is piped

Options:
  --json               print the merged records as JSON lines, for jq and scripts
  --clickhouse <url>   also read the trace from ClickHouse (the sink's --clickhouse
                       table, with the lines of \`tracebeam ingest\`); files are then
                       optional
  --table <name>       the ClickHouse table (default ${DEFAULT_TABLE})
  -h, --help           show this help

Lines that are not JSON objects are skipped and counted on stderr. Exit status:
0 when records were found, 1 when none were or a file can not be read, 2 for a
bad command line. Colour only on a terminal, and never when NO_COLOR is set.

Examples:
  tracebeam trace 4bf92f3577b34da6a3ce929d0e0e4736 events.jsonl server.log
  tracebeam trace 4bf92f3577b34da6a3ce929d0e0e4736 --clickhouse http://127.0.0.1:8123
`;

const FLAGS = {
  json: { type: 'boolean' },
  clickhouse: { type: 'string' },
  table: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Standard input, where the command may read it. */
export interface TraceInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
}

export interface TraceOptions {
  /** Called only when standard input is to be read. */
  stdin?: () => TraceInput;
  env?: Readonly<Record<string, string | undefined>>;
}

/** Resolves to the exit code; throws a usage error for a bad command line. */
export async function runTrace(argv: readonly string[], io: CliIo, options: TraceOptions = {}): Promise<number> {
  const parsed = parseArgs(argv, FLAGS);
  if (!parsed.ok) throw usageError(parsed.error);
  const [id, ...files] = parsed.positionals;
  if (id === undefined) throw usageError('give the trace id to look for');
  const traceId = parseTraceId(id);
  if (traceId === undefined) throw usageError(`"${clip(id)}" is not a trace id: expected 32 hex digits, not all zero`);
  const store = parsed.flags.clickhouse === undefined ? undefined : storeOf(parsed.flags.clickhouse, parsed.flags.table);
  if (store === undefined && parsed.flags.table !== undefined) throw usageError('--table is for ClickHouse: add --clickhouse <url>');
  const stdin = (files.length === 0 && store === undefined) || files.includes('-') ? options.stdin?.() : undefined;
  if (files.length === 0 && store === undefined) {
    // A terminal on stdin means nothing was piped in: waiting on it would look like a hang.
    if (stdin === undefined || stdin.isTTY === true)
      throw usageError("give the files to read (the sink's --out file, the backend's logs), or - for standard input");
    files.push('-');
  }

  const inputs: ScanInput[] = await resolveInputs(files, stdin);
  if (store !== undefined) inputs.push(...rowsAsInputs(await readTraceRows(store.client, store.table, traceId)));
  const lists = [];
  const skipped: string[] = [];
  for (const input of inputs) {
    const result = await scanLines(traceId, input);
    lists.push(result.records);
    const note = describeSkipped(input.input, result);
    if (note !== undefined) skipped.push(note);
  }
  const records = mergeRecords(lists);

  if (parsed.flags.json === true) {
    io.stdout.write(records.map((record) => `${toJsonLine(record, traceId)}\n`).join(''));
  } else if (records.length > 0) {
    io.stdout.write(formatTimeline(records, traceId, { colour: useColour(io, options.env ?? process.env) }));
  }
  for (const note of skipped) io.stderr.write(`tracebeam trace: ${note}\n`);
  if (records.length === 0) {
    io.stderr.write(
      `tracebeam trace: no records of trace ${traceId} in ${[...files.filter((file) => file !== '-'), ...(stdin === undefined ? [] : ['stdin']), ...(store === undefined ? [] : [`ClickHouse ${store.client.where} table ${store.table}`])].join(', ') || 'the given directories'}\n`,
    );
    return 1;
  }
  return 0;
}

function storeOf(url: string, table: string | undefined): { client: ReturnType<typeof clickHouseClient>; table: string } {
  try {
    return { client: clickHouseClient(url, { timeoutMs: 60_000 }), table: checkTableName(table ?? DEFAULT_TABLE) };
  } catch (error) {
    throw usageError((error as Error).message.replace(/^tracebeam sink: /, ''));
  }
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
