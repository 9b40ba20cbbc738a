// `npm test`: build, type check, lint (ESLint, then prettier's check), unit tests, size budgets, the
// packed package's checks (attw, publint, TypeScript consumers; `npm run test:package`), the browser
// tests in real Chromium, then the consumer apps (`npm run test:consumers`).
// Every step runs even when an earlier one failed (but the browser tests need a build), and the
// last line counts every test and budget: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { ensureChromium } from './chromium.mjs';
import { ensureInstalled } from './setup.mjs';

ensureInstalled();

const RESULTS = 'test-results';
mkdirSync(RESULTS, { recursive: true });
const totals = { passed: 0, failed: 0 };
const failedSteps = [];

function run(step, command, args, env = {}) {
  console.log(`\n▶ ${step}: ${command} ${args.join(' ')}`);
  const { status } = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (status !== 0) failedSteps.push(step);
  return status === 0;
}

function count(step, read) {
  try {
    const { passed, failed } = read();
    totals.passed += passed;
    totals.failed += failed;
    console.log(`  ${step}: ${passed} passed, ${failed} failed`);
  } catch {
    // No report means the runner itself failed before testing; the step is already marked failed.
  }
}

const json = (file) => JSON.parse(readFileSync(`${RESULTS}/${file}`, 'utf8'));
const npx = (...args) => ['npx', ['--no-install', ...args]];

const built =
  run('build', ...npx('rollup', '-c', '--silent')) && run('types', ...npx('tsc', '-p', 'tsconfig.build.json')) && run('types', 'node', ['scripts/types.mjs']);
run('typecheck', ...npx('tsc', '--noEmit', '-p', '.'));

// Lint: ESLint's findings and prettier's unformatted files, each one test in the count.
for (const [name, ...args] of [
  ['eslint', 'eslint', '.'],
  ['prettier', 'prettier', '--check', '.'],
]) {
  const passed = run(`lint: ${name}`, ...npx(...args));
  totals[passed ? 'passed' : 'failed'] += 1;
}

run('unit', ...npx('vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${RESULTS}/unit.json`));
count('unit', () => {
  const report = json('unit.json');
  return { passed: report.numPassedTests, failed: report.numFailedTests + report.numPendingTests };
});

if (built) {
  const size = spawnSync('npx', ['--no-install', 'size-limit', '--json'], { encoding: 'utf8' });
  writeFileSync(`${RESULTS}/size.json`, size.stdout);
  console.log(`\n▶ size budgets\n${size.stdout}`);
  if (size.status !== 0) failedSteps.push('size');
  count('size', () => {
    const budgets = JSON.parse(size.stdout);
    return { passed: budgets.filter((b) => b.passed).length, failed: budgets.filter((b) => !b.passed).length };
  });

  // The packed package in fresh folders: attw, publint, TypeScript consumers of every resolution mode.
  run('package', 'node', ['scripts/package-checks.mjs']);
  count('package', () => json('package-checks.json'));

  const chromium = ensureChromium();
  run('e2e', ...npx('playwright', 'test'), { CHROMIUM_PATH: chromium });
  count('e2e', () => {
    const { stats } = json('e2e.json');
    return { passed: stats.expected, failed: stats.unexpected + stats.flaky + stats.skipped };
  });

  // Fresh apps that install the packed package from the registry and build for production.
  run('consumers', ...npx('playwright', 'test', '-c', 'playwright.consumers.config.ts'), { CHROMIUM_PATH: chromium });
  count('consumers', () => {
    const { stats } = json('consumers.json');
    return { passed: stats.expected, failed: stats.unexpected + stats.flaky + stats.skipped };
  });
} else {
  failedSteps.push('size', 'package', 'e2e', 'consumers');
}

if (failedSteps.length) console.log(`\nFailed steps: ${failedSteps.join(', ')}`);
const summary = `${totals.passed} passed, ${totals.failed} failed`;
writeFileSync(`${RESULTS}/summary.txt`, summary + '\n');
console.log(`\n${summary}`);
process.exit(failedSteps.length || totals.failed ? 1 : 0);
