import { isUsageError, type CliIo } from './io';
import { untilSignal } from './signals';
import { INGEST_USAGE, runIngest } from './ingest';
import { SINK_USAGE, runSink } from './sink';
import { TRACE_USAGE, runTrace } from './trace';
import { readVersion } from './version';

export interface CommandContext {
  /** Resolves when a long-running command should stop (SIGINT or SIGTERM in the real CLI). */
  untilStopped(): Promise<unknown>;
}

export interface Command {
  /** One line for the command list in the main usage. */
  summary: string;
  usage: string;
  /** Resolves to the exit code. Throws a usage error for a bad command line. */
  run(argv: readonly string[], io: CliIo, context: CommandContext): Promise<number>;
}

export interface MainOptions extends Partial<CommandContext> {
  /** Where the version is read from; defaults to the package.json beside `dist/`. */
  packageJson?: URL;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  sink: {
    summary: 'run the reference log endpoint and print the events it receives',
    usage: SINK_USAGE,
    async run(argv, io, context) {
      const sink = await runSink(argv, io);
      await context.untilStopped();
      io.stderr.write('tracebeam sink: stopping\n');
      await sink.close();
      return 0;
    },
  },
  trace: {
    summary: 'merge the client events and backend logs of one trace into a timeline',
    usage: TRACE_USAGE,
    // A getter: touching process.stdin opens it, which only reading from it should do.
    run: (argv, io) => runTrace(argv, io, { stdin: () => process.stdin }),
  },
  ingest: {
    summary: "store backend JSON logs in ClickHouse beside the sink's events",
    usage: INGEST_USAGE,
    run: (argv, io) => runIngest(argv, io, { stdin: () => process.stdin }),
  },
};

export const USAGE = `Usage: tracebeam <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(8)}${command.summary}`)
  .join('\n')}

Options:
  -h, --help       show this help
  -v, --version    print the version

Run "tracebeam <command> --help" for the options of a command.
`;

/** Runs the command line `argv` (without node and the script) and resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo, options: MainOptions = {}): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) return fail(io, 'no command given', USAGE);
  if (name === '-h' || name === '--help' || name === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  if (name === '-v' || name === '--version') {
    const version = readVersion(options.packageJson);
    if (version === undefined) {
      io.stderr.write('tracebeam: could not read the version from package.json\n');
      return 1;
    }
    io.stdout.write(`${version}\n`);
    return 0;
  }
  if (name.startsWith('-')) return fail(io, `unknown flag ${name}`, USAGE);
  if (!Object.hasOwn(COMMANDS, name)) return fail(io, `unknown command "${name}"`, USAGE);

  const command = COMMANDS[name]!;
  if (wantsHelp(rest)) {
    io.stdout.write(command.usage);
    return 0;
  }
  const context: CommandContext = { untilStopped: options.untilStopped ?? (() => untilSignal()) };
  try {
    return await command.run(rest, io, context);
  } catch (error) {
    if (isUsageError(error)) return fail(io, error.message, command.usage);
    io.stderr.write(`tracebeam ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((token) => token === '-h' || token === '--help');
}

function fail(io: CliIo, message: string, usage: string): number {
  io.stderr.write(`tracebeam: ${message}\n\n${usage}`);
  return 2;
}
