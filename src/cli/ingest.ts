import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { checkTableName, clickHouseClient } from '../sink/clickhouse/http';
import { ingestLines } from '../sink/clickhouse/ingest';
import { DEFAULT_TABLE } from '../sink/clickhouse/schema';
import { resolveInputs } from '../timeline/files';
import { parseArgs } from './args';
import { usageError, type CliIo } from './io';

export const INGEST_USAGE = `Usage: tracebeam ingest <files...> --clickhouse <url> [options]

Stores the backend's JSON log lines (structlog, python-json-logger, pino, and every
format \`tracebeam trace\` reads) in the ClickHouse table the sink writes events to,
so that one query by trace id finds both. Each line is stored once however many
times its file is ingested.

Arguments:
  files                JSON-lines files; a directory stands for the *.jsonl, *.ndjson,
                       *.json, *.log and *.txt files in it; - is standard input

Options:
  --clickhouse <url>   ClickHouse's HTTP interface, e.g. http://127.0.0.1:8123
  --table <name>       the table (default ${DEFAULT_TABLE}); created when missing
  -h, --help           show this help

Example:
  tracebeam ingest server.log --clickhouse http://127.0.0.1:8123
`;

const FLAGS = {
  clickhouse: { type: 'string' },
  table: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface IngestOptions {
  stdin?: () => NodeJS.ReadableStream;
}

/** The id of a log line: the first 32 hex digits of its text's SHA-256. */
export function lineId(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

export async function runIngest(argv: readonly string[], io: CliIo, options: IngestOptions = {}): Promise<number> {
  const parsed = parseArgs(argv, FLAGS);
  if (!parsed.ok) throw usageError(parsed.error);
  const files = parsed.positionals;
  if (files.length === 0) throw usageError('give the log files to store, such as server.log');
  if (parsed.flags.clickhouse === undefined) throw usageError('give the store: --clickhouse http://127.0.0.1:8123');
  let table: string;
  let client: ReturnType<typeof clickHouseClient>;
  try {
    table = checkTableName(parsed.flags.table ?? DEFAULT_TABLE);
    client = clickHouseClient(parsed.flags.clickhouse, { timeoutMs: 60_000 });
  } catch (error) {
    throw usageError((error as Error).message.replace(/^tracebeam sink: /, ''));
  }
  const inputs = await resolveInputs(files, files.includes('-') ? options.stdin?.() : undefined);
  let total = 0;
  for (const input of inputs) {
    const label = input.input === 'stdin' ? 'stdin' : basename(input.input);
    const counts = await ingestLines(client, table, label, input.lines, lineId);
    total += counts.rows;
    const skipped =
      counts.skipped === 0
        ? ''
        : `, skipped ${counts.skipped} line${counts.skipped === 1 ? '' : 's'} that ${counts.skipped === 1 ? 'is' : 'are'} not a JSON object`;
    io.stderr.write(`tracebeam ingest: ${input.input}: ${counts.rows} line${counts.rows === 1 ? '' : 's'} stored in ${table}${skipped}\n`);
  }
  return total === 0 ? 1 : 0;
}
