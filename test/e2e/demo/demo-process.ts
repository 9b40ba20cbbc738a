/**
 * `npm run demo` as a person runs it, but on free ports and with its files in a directory of the
 * test's: `node demo/server.mjs` in its own process, stopped with SIGINT as Ctrl-C would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../../../', import.meta.url).pathname;

export interface Demo {
  /** The page's origin, e.g. http://127.0.0.1:41234 */
  app: string;
  /** The sink and its viewer. */
  viewer: string;
  /** The second origin, the inventory API. */
  inventory: string;
  files: { client: string; server: string; bundle: string };
  output(): string;
  /** Sends SIGINT and resolves to the exit code. */
  stop(): Promise<number | null>;
}

export async function startDemo(dir: string): Promise<Demo> {
  const dist = join(dir, 'dist');
  const child: ChildProcess = spawn(
    process.execPath,
    ['demo/server.mjs', '--port', '0', '--api-port', '0', '--sink-port', '0', '--logs', dir, '--dist', dist],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  let output = '';
  const collect = (chunk: string): void => void (output += chunk);
  child.stdout!.setEncoding('utf8').on('data', collect);
  child.stderr!.setEncoding('utf8').on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const [, app, viewer] = await new Promise<RegExpExecArray>((resolve, reject) => {
    const look = (): void => {
      const ready = /open (http:\/\/127\.0\.0\.1:\d+)\/ — traces at (http:\/\/127\.0\.0\.1:\d+)\//.exec(output);
      if (ready) resolve(ready);
    };
    child.stdout!.on('data', look);
    void exited.then((code) => reject(new Error(`the demo exited (${code}) before it was ready:\n${output}`)));
  });
  const inventory = /inventory\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(output)![1]!;

  return {
    app: app!,
    viewer: viewer!,
    inventory,
    files: { client: join(dir, 'client.jsonl'), server: join(dir, 'server.log'), bundle: join(dist, 'app.js') },
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}

/** The JSON objects of a JSON-lines file so far ([] while it does not exist). */
export function jsonLines<T = Record<string, unknown>>(file: string): T[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const lines = text.split('\n');
  // The last piece is '' or a line still being written.
  lines.pop();
  return lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as T);
}
