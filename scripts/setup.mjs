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

/**
 * Installs React 18 in test/react18 when it is missing or older than its lockfile: the react
 * entry's unit tests run under React 18 and 19, and react-dom 18 can't be installed beside the
 * root's React 19.
 */
export function ensureReact18() {
  const dir = new URL('../test/react18/', import.meta.url).pathname;
  if (mtime(join(dir, 'node_modules/.package-lock.json')) >= mtime(join(dir, 'package-lock.json'))) return;
  console.log('Installing React 18 for the react tests (npm ci in test/react18)…');
  const { status } = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: 'inherit' });
  if (status !== 0) throw new Error(`npm ci in ${dir} failed`);
}
