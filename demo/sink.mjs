// The demo's sink is the real command, `tracebeam sink`, in a child process: what the terminal
// shows is what a user gets by running it themselves.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { say, summarize } from './terminal.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const CLI = `${ROOT}dist/cli.mjs`;

/**
 * Starts `tracebeam sink` with `args` on 127.0.0.1:`port` (0 picks a free port) and resolves, once
 * it listens, to `{ url, command, close() }`. Each accepted event is echoed as a `client` line.
 */
export async function startSink(port, args) {
  const argv = ['sink', '--port', String(port), '--host', '127.0.0.1', ...args];
  // From the repository root, so that mapped frames name their files as demo/src/...
  const child = spawn(process.execPath, [CLI, ...argv], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // Should this process end without stopping the sink (a crash), the sink ends with it.
  const orphan = () => child.kill('SIGTERM');
  process.once('exit', orphan);

  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      say('client', summarize(JSON.parse(line)));
    } catch {
      say('sink', line);
    }
  });

  const url = await new Promise((resolve, reject) => {
    let early = '';
    createInterface({ input: child.stderr }).on('line', (line) => {
      early += `${line}\n`;
      say('sink', line);
      const listening = /listening on (http:\/\/\S+?),/.exec(line);
      if (listening) resolve(listening[1]);
    });
    child.once('exit', (code) => reject(new Error(`tracebeam sink exited (${code}) before it listened:\n${early}`)));
  });

  return {
    url,
    command: `tracebeam ${argv.join(' ')}`,
    async close() {
      process.off('exit', orphan);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
