/**
 * Fresh apps that install the packed package (`npm pack` of this build) from the registry, as a
 * user's would: one temporary folder per app, removed afterwards.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = new URL('../../', import.meta.url).pathname;

/** `npm pack` of dist/ as it is (the build runs before the consumer tests); the tarball's path. */
export function pack(into: string): string {
  const result = spawnSync('npm', ['pack', '--silent', '--pack-destination', into], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm pack failed: ${result.stderr}`);
  return join(
    into,
    readdirSync(into).find((name) => name.endsWith('.tgz'))!,
  );
}

/** A temporary app: `template` copied, then `files` written, then `npm install` with the tarball. */
export function createApp(name: string, template: string, files: Record<string, string>, dependencies: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), `tracebeam-${name}-`));
  cpSync(template, dir, { recursive: true });
  const tarball = pack(mkdtempSync(join(tmpdir(), 'tracebeam-pack-')));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, dependencies: { ...dependencies, tracebeam: `file:${tarball}` } }, null, 2));
  run(dir, 'npm', ['install', '--no-audit', '--no-fund', '--loglevel=error']);
  return dir;
}

export function run(cwd: string, command: string, args: string[], env: Record<string, string> = {}): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

export function removeApp(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** A long-running server of the app; `output` is everything it printed so far. */
export interface Started {
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export async function start(cwd: string, command: string, args: string[], ready: RegExp, env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let text = '';
  child.stdout!.on('data', (chunk) => (text += chunk));
  child.stderr!.on('data', (chunk) => (text += chunk));
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // The whole group: `next start` runs its server in a child process.
    process.kill(-child.pid!, 'SIGTERM');
    const timer = setTimeout(() => child.exitCode === null && process.kill(-child.pid!, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 30_000;
  while (!ready.test(text)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`${command} ${args.join(' ')} did not start:\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { process: child, output: () => text, stop };
}

/** The JSON lines of a sink's stdout that are events. */
export function eventsIn(output: string): Array<Record<string, any>> {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{"'))
    .map((line) => JSON.parse(line) as Record<string, any>)
    .filter((event) => typeof event.event === 'string' && typeof event.trace_id === 'string');
}
