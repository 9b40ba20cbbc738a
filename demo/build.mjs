// Bundles the demo page the way an app ships: minified, with source maps beside it. The sink maps
// the page's minified stack frames back to demo/src with those maps (`--sourcemaps`).
import { build } from 'esbuild';

const ROOT = new URL('..', import.meta.url).pathname;

/** Builds demo/src/main.js into `outdir`/app.js (+ app.js.map) and returns the bundle's path. */
export async function buildDemo(outdir) {
  await build({
    absWorkingDir: ROOT,
    entryPoints: { app: 'demo/src/main.js' },
    // `tracebeam` resolves to the built package (dist/) through package.json's own `exports`, as
    // it would from node_modules in an app.
    bundle: true,
    format: 'esm',
    target: 'es2020',
    minify: true,
    sourcemap: 'linked',
    outdir,
    logLevel: 'warning',
  });
  return `${outdir}/app.js`;
}
