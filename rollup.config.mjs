// One build for every entry: ESM and CommonJS for bundlers and Node, an IIFE for the script tag.
// The ESM files of the entries that run in a page or at the edge are minified, with source maps;
// the CommonJS files, the Node-only sink and CLI, and the development builds stay readable.
// The browser entries once more as `*.development.mjs` (and the script tag as tracebeam.development.js),
// with `__DEV__` true: what `debug: true` prints. Everywhere else `__DEV__` is false, and rollup drops
// the code behind it. Types come from `tsc -p tsconfig.build.json` (see the build script).
import { readFileSync, rmSync } from 'node:fs';
import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import resolve from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';

// Chunk names carry a content hash: without a clean start, the chunks of earlier builds would stay
// in dist/ and ship in the package.
rmSync(new URL('./dist', import.meta.url), { recursive: true, force: true });

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

/** Package entries: `exports` subpath → source file. */
const entries = {
  index: 'src/index.ts',
  edge: 'src/edge/index.ts',
  sink: 'src/sink/index.ts',
  react: 'src/react/index.ts',
  otel: 'src/otel/index.ts',
  'vitals-attribution': 'src/browser/vitals-attribution.ts',
  // Not subpaths: tracebeam/otel's two halves, built apart (and without hoisted imports, below) so
  // that an app importing only `otlpTransport` never loads zone.js, which `otelTracing` brings.
  'otel/tracing': 'src/otel/tracing.ts',
  'otel/otlp': 'src/otel/otlp/transport.ts',
};

/** The entries that run in a page, built a second time for the `development` export condition. */
const browserEntries = Object.fromEntries(Object.entries(entries).filter(([name]) => !['edge', 'sink'].includes(name)));

// Dependencies stay imports in the library builds; the app's bundler resolves them once.
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})].map((name) => new RegExp(`^${name}(/|$)`));

const plugins = ({ dev = false } = {}) => [
  replace({ preventAssignment: true, values: { __VERSION__: JSON.stringify(pkg.version), __DEV__: String(dev) } }),
  json({ preferConst: true }),
  resolve({ browser: true }),
  commonjs(),
  typescript({
    tsconfig: './tsconfig.build.json',
    compilerOptions: { declaration: false, emitDeclarationOnly: false, sourceMap: true, outDir: 'dist', rootDir: 'src' },
  }),
];

/**
 * Terser over the production ESM chunks of the browser and edge entries: a page or a Worker that
 * loads `dist/*.mjs` without bundling it again (a CDN, an import map) gets minified code, and
 * an app's bundler starts from smaller files. `/*#__PURE__*\/` annotations are kept, so bundlers
 * still drop what an app does not import. The sink is for Node, where readable frames are worth
 * more than bytes; it shares no chunk with the browser entries.
 */
const minifiedEsm = () => {
  // No `reduce_funcs`: a function used once, inlined where it is called, can no longer be dropped
  // with an export the app does not import; with it, every size budget grew (up to 110 B gzip).
  // Names kept: a class's or function's `name` is what React prints in component stacks
  // (`at ErrorBoundary`) and what an error's `type` is; the app's own minifier may still rename.
  const minify = terser({
    ecma: 2020,
    compress: { passes: 2, reduce_funcs: false },
    keep_classnames: true,
    keep_fnames: true,
    format: { comments: false, preserve_annotations: true },
  });
  return {
    ...minify,
    name: 'minified-esm',
    renderChunk(code, chunk, outputOptions, meta) {
      return chunk.name === 'sink' ? null : minify.renderChunk.call(this, code, chunk, outputOptions, meta);
    },
  };
};

/** The JSON Schema of the wire format ships beside the code. */
const schemaFile = {
  name: 'event-schema',
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'event.schema.json', source: readFileSync('src/core/event.schema.json', 'utf8') });
  },
};

/**
 * Packages bundled into the sink and the CLI rather than installed beside them (they are
 * devDependencies), so that an app that installs tracebeam for the browser does not get them. Their
 * licenses ask that the notice travel with the code: each chunk that holds one starts with it.
 */
const bundledLicenses = {
  name: 'bundled-licenses',
  banner(chunk) {
    const cfworker = chunk.moduleIds.some((id) => id.includes('/node_modules/@cfworker/json-schema/'));
    return cfworker ? CFWORKER_NOTICE : '';
  },
};

// @cfworker/json-schema ships no LICENSE file; its package.json names the license and the author.
const CFWORKER_NOTICE = `/*!
 * @cfworker/json-schema ${JSON.parse(readFileSync('node_modules/@cfworker/json-schema/package.json', 'utf8')).version}, https://github.com/cfworker/cfworker
 * MIT License. Copyright (c) Jeremy Danyow
 *
 * Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
 * associated documentation files (the "Software"), to deal in the Software without restriction,
 * including without limitation the rights to use, copy, modify, merge, publish, distribute,
 * sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
 * furnished to do so, subject to the following conditions:
 *
 * The above copyright notice and this permission notice shall be included in all copies or
 * substantial portions of the Software.
 *
 * THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
 * NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
 * NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES
 * OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
 * CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
 */`;

/** The pre-load snippet: a readable copy and the minified one that pages inline. */
const snippet = {
  input: 'src/snippet/snippet.ts',
  plugins: plugins(),
  output: [
    // No wrapper of rollup's: the snippet is its own function expression, called at once.
    { file: 'dist/snippet.js', format: 'es' },
    { file: 'dist/snippet.min.js', format: 'es', plugins: [terser({ ecma: 2015, compress: { passes: 2 }, format: { comments: false } })] },
  ],
};

export default [
  {
    input: entries,
    external: [...external, /^node:/],
    plugins: [...plugins(), schemaFile, bundledLicenses],
    output: [
      {
        dir: 'dist',
        format: 'es',
        entryFileNames: '[name].mjs',
        chunkFileNames: 'chunks/[name]-[hash].mjs',
        sourcemap: true,
        hoistTransitiveImports: false,
        plugins: [minifiedEsm()],
      },
      { dir: 'dist', format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs', sourcemap: true, exports: 'named' },
    ],
  },
  {
    input: browserEntries,
    external,
    plugins: plugins({ dev: true }),
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: '[name].development.mjs',
      chunkFileNames: 'chunks/[name]-[hash].development.mjs',
      sourcemap: true,
      hoistTransitiveImports: false,
    },
  },
  {
    input: { cli: 'src/cli/index.ts' },
    external: [...external, /^node:/],
    plugins: [...plugins(), bundledLicenses],
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].mjs', banner: '#!/usr/bin/env node', sourcemap: true },
  },
  {
    // The script-tag entry: the package entry plus the data-attribute auto-init.
    input: 'src/script/index.ts',
    plugins: plugins(),
    output: {
      file: 'dist/tracebeam.min.js',
      format: 'iife',
      name: 'tracebeam',
      // One file for the script tag, should a module ever load something on demand.
      inlineDynamicImports: true,
      sourcemap: true,
      // Four passes: each of the third and fourth still saves bytes here (a fifth none), and nothing
      // bundles this file again.
      plugins: [terser({ ecma: 2020, compress: { passes: 4 }, format: { comments: false } })],
    },
  },
  {
    // The same for a page that debugs: readable, with what `debug: true` prints.
    input: 'src/script/index.ts',
    plugins: plugins({ dev: true }),
    output: { file: 'dist/tracebeam.development.js', format: 'iife', name: 'tracebeam', inlineDynamicImports: true, sourcemap: true },
  },
  snippet,
];
