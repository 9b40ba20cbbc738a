/**
 * The Python recipes as real servers: Debian's /usr/bin/python3 (the one that sees the apt
 * packages), on a free port of 127.0.0.1, their stdout collected as JSON log lines.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

const PYTHON = '/usr/bin/python3';
const MODULES = ['django', 'fastapi', 'uvicorn', 'structlog'];

/** Fails, saying what to install, when the recipes' packages are missing. Nothing is skipped. */
export function requirePython(): void {
  const probe = spawnSync(PYTHON, ['-c', `import ${MODULES.join(', ')}`], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(
      `The Django and FastAPI recipes need ${MODULES.join(', ')} for ${PYTHON}, which is missing them:\n` +
        `${probe.error?.message ?? probe.stderr}\n` +
        'Install them with: apt-get install -y python3-django python3-fastapi python3-uvicorn python3-structlog (.ci/run does).',
    );
  }
}

export interface PythonServer {
  url: string;
  /** The JSON objects the server wrote on stdout so far. */
  lines(): Array<Record<string, unknown>>;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `python3 args` in `cwd` and resolves once `url` answers. */
export async function startPython(args: string[], { cwd, url, env = {} }: { cwd: string; url: string; env?: Record<string, string> }): Promise<PythonServer> {
  const child: ChildProcess = spawn(PYTHON, args, {
    cwd,
    // Unbuffered, or lines wait in a pipe buffer; no bytecode files left in examples/.
    env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const output = (): string => `stdout:\n${stdout}\nstderr:\n${stderr}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`python3 ${args.join(' ')} exited with ${child.exitCode}\n${output()}`);
    try {
      await fetch(url);
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`python3 ${args.join(' ')} did not answer at ${url} within 60 s\n${output()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  return {
    url,
    lines: () =>
      stdout
        .split('\n')
        .filter((line) => line.startsWith('{') && line.endsWith('}'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    output,
    stop,
  };
}
