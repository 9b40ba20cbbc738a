/**
 * `tracebeam sink` as users run it: the built CLI in its own process, on a free port of 127.0.0.1.
 * Stopped with SIGTERM, as Ctrl-C would.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const CLI = new URL('../../../dist/cli.mjs', import.meta.url).pathname;

export interface CliSink {
  url: string;
  stdout(): string;
  stderr(): string;
  stop(): Promise<void>;
}

export async function startCliSink(args: readonly string[]): Promise<CliSink> {
  const child: ChildProcess = spawn(process.execPath, [CLI, 'sink', '--port', '0', '--host', '127.0.0.1', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const look = (): void => {
      const match = /listening on (http:\/\/\S+?),/.exec(err);
      if (match) resolve(match[1]!);
    };
    child.stderr!.on('data', look);
    child.once('exit', (code) => reject(new Error(`tracebeam sink exited with ${code}: ${err}`)));
  });
  return {
    url,
    stdout: () => out,
    stderr: () => err,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
