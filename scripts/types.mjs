// Makes tsc's declarations resolve the way Node resolves the code, for both module formats.
//
// tsc writes `.d.ts` files whose relative imports have no extension (`from './client'`), as the
// sources do. Under `moduleResolution` `node16` and `nodenext` such an import does not resolve, and
// in a `"type": "module"` package every `.d.ts` is read as ESM, also by `require`. So each
// declaration file is written twice, its relative imports spelled as Node needs them:
//   x.d.ts   ESM, imports `./y.js` (or `./y/index.js` for a folder), beside the `.mjs` builds;
//   x.d.cts  CommonJS, imports `./y.cjs`, for `require` and the `.cjs` builds.
// package.json's `exports` points each condition at its own copy.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** `from '…'`, `import('…')`, `import '…'` and `export … from '…'` with a relative specifier. */
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}(?:\/[^'"]*)?)\2/g;

function* declarationFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* declarationFiles(path);
    else if (entry.name.endsWith('.d.ts')) yield path;
  }
}

/** The specifier with its file named: `./y` → `./y.EXT`, a folder `./y` → `./y/index.EXT`. */
function spell(file, written, ext) {
  // Already spelled (a second run over the same files): back to the bare specifier first.
  const specifier = written.replace(/\.c?js$/, '');
  const target = join(dirname(file), specifier);
  if (existsSync(target + '.d.ts')) return specifier + ext;
  if (existsSync(join(target, 'index.d.ts')) && statSync(target).isDirectory()) return specifier.replace(/\/?$/, '/index') + ext;
  throw new Error(`${relative('.', file)}: cannot resolve "${specifier}"`);
}

/**
 * Packages whose types are ESM only. A CommonJS declaration file may still use their types, but
 * TypeScript (moduleResolution node16) asks it to say that it reads them as `import` would.
 */
const ESM_ONLY = /^import (?:type )?\{([^}]*)\} from (['"])(web-vitals)\2;$/gm;

const asCommonJs = (text) =>
  text.replace(
    ESM_ONLY,
    (_, names, quote, name) => `import type {${names.replace(/\btype /g, '')}} from ${quote}${name}${quote} with { 'resolution-mode': 'import' };`,
  );

export function rewriteDeclarations(root) {
  let count = 0;
  for (const file of [...declarationFiles(root)]) {
    const text = readFileSync(file, 'utf8');
    const as = (ext) => text.replace(SPECIFIER, (_, head, quote, specifier) => head + quote + spell(file, specifier, ext) + quote);
    writeFileSync(file, as('.js'));
    writeFileSync(file.replace(/\.d\.ts$/, '.d.cts'), asCommonJs(as('.cjs')));
    count++;
  }
  return count;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = process.argv[2] ?? 'dist/types';
  console.log(`${rewriteDeclarations(root)} declaration files written as .d.ts (ESM) and .d.cts (CommonJS) in ${root}`);
}
