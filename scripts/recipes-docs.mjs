// docs/recipes.md and docs/frameworks.md show the recipes' files byte for byte: each fenced block
// that follows an `<!-- include: <path> -->` line is that file. The files in examples/ are the one
// copy, and the tests run them; this writes them into the pages.
//   node scripts/recipes-docs.mjs           rewrite the blocks from the files
//   node scripts/recipes-docs.mjs --check   exit 1, naming the files, when a block differs
import { readFileSync, writeFileSync } from 'node:fs';

const ROOT = new URL('..', import.meta.url).pathname;
const PAGES = ['docs/recipes.md', 'docs/frameworks.md'];
// The marker, the opening fence (any info string), the body, the closing fence.
const BLOCK = /(<!-- include: (\S+) -->\n(`{3,})[^\n]*\n)([\s\S]*?)(^\3$)/gm;

function syncRecipes(page) {
  const stale = [];
  const text = page.replace(BLOCK, (_match, head, path, _fence, body, close) => {
    const file = readFileSync(`${ROOT}${path}`, 'utf8');
    if (body !== file) stale.push(path);
    return `${head}${file}${close}`;
  });
  return { text, stale };
}

const stale = [];
for (const name of PAGES) {
  const page = readFileSync(`${ROOT}${name}`, 'utf8');
  const synced = syncRecipes(page);
  stale.push(...synced.stale);
  if (!process.argv.includes('--check') && synced.text !== page) {
    writeFileSync(`${ROOT}${name}`, synced.text);
    console.log(`${name}: rewrote ${synced.stale.join(', ')}`);
  }
}
if (process.argv.includes('--check')) {
  if (stale.length > 0) {
    console.error(`${PAGES.join(' and ')} differ from ${stale.join(', ')}: run node scripts/recipes-docs.mjs`);
    process.exit(1);
  }
  console.log('docs/recipes.md and docs/frameworks.md show the recipes as they are');
}
