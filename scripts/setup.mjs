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
  console.log('First run: installing the locked dependencies with npm ci (a minute or two)…');
  const start = Date.now();
  installLocked('.');
  console.log(`Dependencies installed in ${Math.round((Date.now() - start) / 1000)} s.`);
}

/**
 * `npm ci`, or where it refuses the lockfile as out of sync, `npm install` without saving. A
 * registry that serves only this platform's builds leaves the other platforms' optional packages
 * (rollup's, esbuild's) out of the lockfile, and `npm ci` then refuses it; `npm install` still
 * installs the locked versions.
 */
export function installLocked(cwd) {
  const ci = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd, encoding: 'utf8' });
  if (ci.status === 0) return;
  if (!/in sync/.test(ci.stderr)) {
    process.stderr.write(ci.stdout + ci.stderr);
    process.exit(ci.status ?? 1);
  }
  console.log('npm ci found optional packages of other platforms missing from the lockfile; installing with npm install --no-save.');
  const { status } = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund'], { cwd, stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}

/** Builds the package when dist/ is missing or older than the sources. */
export function ensureBuilt() {
  if (mtime('dist/index.mjs') >= newest('src') && existsSync('dist/cli.mjs')) return;
  // Each step says what it does: a first build takes about a minute on two cores.
  const step = (what, command, args) => {
    const start = Date.now();
    console.log(`Building tracebeam: ${what}…`);
    sh(command, args);
    console.log(`  done in ${Math.round((Date.now() - start) / 1000)} s`);
  };
  step('the bundles of every entry, the script tag and the snippet (rollup)', 'npx', ['--no-install', 'rollup', '-c', '--silent']);
  step('the type declarations (tsc)', 'npx', ['--no-install', 'tsc', '-p', 'tsconfig.build.json']);
  step('the declarations for ESM and CommonJS', 'node', ['scripts/types.mjs']);
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
  installLocked(dir);
}
