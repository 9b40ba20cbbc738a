/**
 * JSON-lines inputs on disk. Node only; node: modules are imported when first used, like
 * `jsonLinesFile` does, so that importing this module stays possible anywhere.
 */
import type { ScanInput } from './scan';

/** File names a directory argument contributes: log-like text, not the binaries beside it. */
const LOG_FILE = /\.(jsonl|ndjson|json|log|txt)$/i;

/**
 * The inputs for command-line arguments: `-` is standard input, a directory stands for the log
 * files in it (not recursively), anything else is a file. Throws one error naming every argument
 * that is missing or unreadable, before anything is read.
 */
export async function resolveInputs(args: readonly string[], stdin?: NodeJS.ReadableStream): Promise<ScanInput[]> {
  const fs = await import('node:fs/promises');
  const { basename, join, resolve } = await import('node:path');
  const inputs: ScanInput[] = [];
  const problems: string[] = [];
  // A file named twice (alone and by its directory, say) is read once: its records would show twice.
  const listed = new Set<string>();
  const add = (path: string, label: string): void => {
    if (listed.has(resolve(path))) return;
    listed.add(resolve(path));
    inputs.push({ input: path, label, lines: fileLines(path) });
  };
  for (const arg of args) {
    if (arg === '-') {
      if (stdin === undefined) throw new Error('standard input is not available here');
      inputs.push({ input: 'stdin', label: 'stdin', lines: lazyLines(() => stdin) });
      continue;
    }
    let stats: Awaited<ReturnType<typeof fs.stat>>;
    try {
      stats = await fs.stat(arg);
    } catch (error) {
      problems.push(describeFsError(arg, error));
      continue;
    }
    if (stats.isDirectory()) {
      const names = (await fs.readdir(arg)).filter((name) => LOG_FILE.test(name) && !name.startsWith('.')).sort();
      for (const name of names) {
        const path = join(arg, name);
        if ((await fs.stat(path)).isFile()) add(path, name);
      }
      continue;
    }
    try {
      await fs.access(arg, fs.constants.R_OK);
    } catch (error) {
      problems.push(describeFsError(arg, error));
      continue;
    }
    add(arg, basename(arg));
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  return inputs;
}

/** The lines of a file, read as they are needed, so a large sink file is never held whole. */
export function fileLines(path: string): AsyncIterable<string> {
  return lazyLines(async () => (await import('node:fs')).createReadStream(path, { encoding: 'utf8' }));
}

/** The lines of a file, or `undefined` when it does not exist (yet): a log a server has not written to. */
export async function existingFileLines(path: string): Promise<AsyncIterable<string> | undefined> {
  const fs = await import('node:fs/promises');
  try {
    return (await fs.stat(path)).isFile() ? fileLines(path) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Lines of a stream opened only when they are read: readline starts consuming its input at once,
 * and what it reads before anyone iterates is lost.
 */
function lazyLines(open: () => NodeJS.ReadableStream | Promise<NodeJS.ReadableStream>): AsyncIterable<string> {
  return {
    async *[Symbol.asyncIterator]() {
      const { createInterface } = await import('node:readline');
      // crlfDelay: a \r\n split across two chunks is still one line end.
      yield* createInterface({ input: await open(), crlfDelay: Infinity });
    },
  };
}

function describeFsError(path: string, error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return `no such file: ${path}`;
  if (code === 'EACCES' || code === 'EPERM') return `permission denied: ${path}`;
  return `cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`;
}
