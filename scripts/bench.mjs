// `npm run bench`: every benchmark under test/bench, each printing one JSON line of figures.
// Benchmarks measure; they never pass or fail (the machines they run on are shared and noisy).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { ensureBuilt, ensureInstalled } from './setup.mjs';

ensureInstalled();
ensureBuilt();
for (const file of readdirSync('test/bench')
  .filter((name) => name.endsWith('.bench.mjs'))
  .sort()) {
  spawnSync('node', [`test/bench/${file}`], { stdio: 'inherit' });
}
