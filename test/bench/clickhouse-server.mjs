// Debian's clickhouse-server for the bench: 127.0.0.1, free ports, a temporary folder removed
// after. (The tests have the same in TypeScript, test/unit/clickhouse/server.ts.)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

export async function startClickHouse() {
  const binary = ['/usr/bin/clickhouse-server', '/usr/sbin/clickhouse-server'].find((path) => existsSync(path));
  if (binary === undefined) throw new Error('clickhouse-server is not installed: apt-get install -y clickhouse-server clickhouse-client');
  const dir = await mkdtemp(join(tmpdir(), 'tracebeam-bench-ch-'));
  const [http, tcp] = [await freePort(), await freePort()];
  await writeFile(
    join(dir, 'config.xml'),
    `<?xml version="1.0"?><yandex><logger><level>warning</level><console>1</console></logger><listen_host>127.0.0.1</listen_host><http_port>${http}</http_port><tcp_port>${tcp}</tcp_port><path>${dir}/data/</path><tmp_path>${dir}/tmp/</tmp_path><users_config>${dir}/users.xml</users_config><mark_cache_size>268435456</mark_cache_size><default_profile>default</default_profile><default_database>default</default_database></yandex>`,
  );
  await writeFile(
    join(dir, 'users.xml'),
    `<?xml version="1.0"?><yandex><profiles><default></default></profiles><users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users><quotas><default></default></quotas></yandex>`,
  );
  const child = spawn(binary, [`--config-file=${join(dir, 'config.xml')}`], { cwd: dir, stdio: 'ignore' });
  const url = `http://127.0.0.1:${http}`;
  const query = async (sql) => {
    const response = await fetch(`${url}/`, { method: 'POST', body: sql });
    const text = await response.text();
    if (!response.ok) throw new Error(text);
    return text;
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (
      await query('SELECT 1').then(
        () => true,
        () => false,
      )
    )
      break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('clickhouse-server did not start');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    query,
    async dispose() {
      await new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
      });
      await rm(dir, { recursive: true, force: true });
    },
  };
}
