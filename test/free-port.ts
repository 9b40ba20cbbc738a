// For servers started as child processes (ClickHouse, Python, Next.js), which can not report the
// port they got: a port of 127.0.0.1 that was free a moment ago.
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
