/**
 * A real ClickHouse for the tests: Debian's clickhouse-server started as a plain process on
 * 127.0.0.1, on free ports, with its data in a temporary folder that is removed after. When the
 * binary is missing the test run fails with the command that installs it: these tests are never
 * skipped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../free-port';

const BINARIES = ['/usr/bin/clickhouse-server', '/usr/sbin/clickhouse-server', '/usr/bin/clickhouse'];

export interface ClickHouse {
  /** The HTTP interface, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Runs one statement over HTTP and resolves to the answer's text; rejects on an error answer. */
  query(sql: string): Promise<string>;
  /** Stops the server, keeping its data, so that `start` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  dispose(): Promise<void>;
}

function binary(): { command: string; args: string[] } {
  const found = BINARIES.find((path) => existsSync(path));
  if (found === undefined) {
    throw new Error('clickhouse-server is not installed: apt-get install -y clickhouse-server clickhouse-client (.ci/run does it)');
  }
  // The single `clickhouse` binary takes the tool's name as its first argument.
  return found.endsWith('/clickhouse') ? { command: found, args: ['server'] } : { command: found, args: [] };
}

function config(dir: string, httpPort: number, tcpPort: number): string {
  // `<yandex>` is the root element up to 20.x; later servers read it as well.
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><console>1</console></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <users_config>${dir}/users.xml</users_config>
  <mark_cache_size>268435456</mark_cache_size>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
</yandex>
`;
}

const USERS = `<?xml version="1.0"?>
<yandex>
  <profiles><default></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default></default></quotas>
</yandex>
`;

export async function startClickHouse(): Promise<ClickHouse> {
  const { command, args } = binary();
  const dir = await mkdtemp(join(tmpdir(), 'tracebeam-clickhouse-'));
  const httpPort = await freePort();
  const tcpPort = await freePort();
  await writeFile(join(dir, 'config.xml'), config(dir, httpPort, tcpPort));
  await writeFile(join(dir, 'users.xml'), USERS);
  const url = `http://127.0.0.1:${httpPort}`;
  let child: ChildProcess | undefined;
  let output = '';

  const query = async (sql: string): Promise<string> => {
    const response = await fetch(`${url}/`, { method: 'POST', body: sql });
    const text = await response.text();
    if (!response.ok) throw new Error(`ClickHouse answered ${response.status}: ${text.slice(0, 300)}`);
    return text;
  };

  const start = async (): Promise<void> => {
    output = '';
    child = spawn(command, [...args, `--config-file=${join(dir, 'config.xml')}`], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    const exited = new Promise<never>((_, reject) => child!.once('exit', (code) => reject(new Error(`clickhouse-server exited with ${code}: ${output}`))));
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ready = await Promise.race([
        query('SELECT 1').then(
          () => true,
          () => false,
        ),
        exited,
      ]);
      if (ready) return;
      if (Date.now() > deadline) throw new Error(`clickhouse-server did not answer within 60 s: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      const running = child;
      child = undefined;
      if (running === undefined || running.exitCode !== null) {
        resolve();
        return;
      }
      running.removeAllListeners('exit');
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
      // A server that does not stop within 20 s is killed: the test run must end.
      setTimeout(() => running.kill('SIGKILL'), 20_000).unref();
    });

  await start();
  return {
    url,
    query,
    stop,
    start,
    dispose: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
