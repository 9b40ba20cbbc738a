// What `npm test` and `npm run demo` need on a fresh clone: the dependencies, then a build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function sh(command, args) {
  const { status } = spawnSync(command, args, { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}

const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : 0);

function newest(dir) {
  return readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }, 0);
}

/** Installs the locked dependencies when they are missing or older than the lockfile. */
export function ensureInstalled() {
  if (mtime('node_modules/.package-lock.json') >= mtime('package-lock.json')) return;
  console.log('Installing dependencies (npm ci)…');
  sh('npm', ['ci', '--no-audit', '--no-fund']);
}

/** Builds the package when dist/ is missing or older than the sources. */
export function ensureBuilt() {
  if (mtime('dist/index.mjs') >= newest('src') && existsSync('dist/cli.mjs')) return;
  console.log('Building the package (npm run build)…');
  sh('npm', ['run', '--silent', 'build']);
}
