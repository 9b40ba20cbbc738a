/**
 * The two builds of `debug: true`. The production files (what `import`, `require` and the script
 * tag get) carry none of the debug output's words and say one line about the development build;
 * an app bundled with the `development` condition (as Vite's dev server and webpack's development
 * mode resolve) gets `dist/*.development.mjs`, which explains each event in the console.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConsoleMessage } from '@playwright/test';
import { build } from 'esbuild';
import { expect, test } from './support/fixtures';

const ROOT = new URL('../../', import.meta.url).pathname;
const DIST = join(ROOT, 'dist');

/** Words of the debug output (src/core/debug.ts and the lines behind the development flag). */
const DEBUG_WORDS = [
  'debug on: service',
  'values redacted',
  'beforeSend returned',
  'the sink refused',
  'not delivered (',
  'by the storm limit',
  'unconfirmed events in the outbox',
  'live in this page only',
];
const NOTE = 'debug: true needs the development build';

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]));
const code = (paths: string[]): string => paths.map((path) => readFileSync(path, 'utf8')).join('\n');
const isCode = (path: string): boolean => /\.(mjs|cjs|js)$/.test(path) && !path.endsWith('cli.mjs');
const [development, production] = [true, false].map((dev) => files(DIST).filter((path) => isCode(path) && path.includes('.development.') === dev));

test('the production files carry none of the debug words, only the note; the development files carry them', () => {
  expect(production.map((path) => path.slice(DIST.length))).toEqual(expect.arrayContaining(['/index.mjs', '/index.cjs', '/tracebeam.min.js', '/react.mjs']));
  const shipped = code(production);
  for (const words of DEBUG_WORDS) expect(shipped, words).not.toContain(words);
  expect(shipped).not.toContain('__DEV__');
  expect(shipped).toContain(NOTE);
  const debugging = code(development);
  for (const words of DEBUG_WORDS) expect(debugging, words).toContain(words);
  expect(debugging).not.toContain(NOTE);
});

/** The app's code, bundled from the package's own name the way its bundler would, with or without the `development` condition. */
async function appBundle(conditions: string[]): Promise<string> {
  const result = await build({
    stdin: {
      contents: `
        import { createClient } from 'tracebeam';
        const client = createClient({ sink: '/api/log', service: 'web', debug: true });
        client.log('info', 'checkout_started', { email: 'ann@example.com' });
        client.flush().then(() => (document.body.dataset.done = '1'));
      `,
      resolveDir: ROOT,
      sourcefile: 'app.js',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text + `\n//${Object.keys(result.metafile.inputs).join(' ')}`;
}

async function consoleOf(app: { page(html: string): string }, tab: import('@playwright/test').Page, bundle: string): Promise<string[]> {
  const messages: ConsoleMessage[] = [];
  tab.on('console', (message) => messages.push(message));
  await tab.goto(app.page(`<!doctype html><html><body><script type="module">${bundle.replace(/<\/script/gi, '<\\/script')}</script></body></html>`));
  await tab.locator('body[data-done="1"]').waitFor({ state: 'attached' });
  return messages.filter((message) => message.text().startsWith('[tracebeam]')).map((message) => `${message.type()}: ${message.text().trim()}`);
}

test('bundled for production, debug: true says one line: where the debug output is', async ({ app, page: tab }) => {
  const bundle = await appBundle([]);
  expect(bundle).toMatch(/dist\/index\.mjs/);
  expect(await consoleOf(app, tab, bundle)).toEqual([
    'info: [tracebeam] debug: true needs the development build: export condition `development` (Vite, webpack dev) or tracebeam.development.js',
  ]);
  await expect.poll(() => app.events().map((event) => event.event)).toEqual(['checkout_started']);
});

test('bundled with the development condition, debug: true explains the client and each event', async ({ app, page: tab }) => {
  const bundle = await appBundle(['development']);
  expect(bundle).toMatch(/dist\/index\.development\.mjs/);
  const lines = await consoleOf(app, tab, bundle);
  expect(lines[0]).toMatch(
    /^info: \[tracebeam\] debug on: service web, sink http:\/\/127\.0\.0\.1:\d+\/api\/log, integrations none; sampleRate 1: this session is sampled in; persist on/,
  );
  expect(lines.slice(1)).toEqual([
    'debug: [tracebeam] queued info checkout_started (1 values redacted)',
    'info: [tracebeam] sent 1 events (manual): checkout_started',
  ]);
  await expect.poll(() => app.events().map((event) => event.event)).toEqual(['checkout_started']);
});

test('the script tag has a development build too: tracebeam.development.js explains, tracebeam.min.js says the note', async ({ app, page: tab }) => {
  const lines: Record<string, string[]> = {};
  for (const file of ['tracebeam.development.js', 'tracebeam.min.js']) {
    const seen: string[] = (lines[file] = []);
    const listener = (message: ConsoleMessage) => void (message.text().startsWith('[tracebeam]') && seen.push(`${message.type()}: ${message.text().trim()}`));
    tab.on('console', listener);
    await tab.goto(
      app.page(
        `<!doctype html><html><head><script src="/dist/${file}" data-sink="/api/log" data-service="web" data-debug="true"></script></head><body>tag</body></html>`,
      ),
    );
    await tab.evaluate(() => (window as unknown as { tracebeam: { flush(): Promise<void> } }).tracebeam.flush());
    tab.off('console', listener);
  }
  expect(lines['tracebeam.development.js'][0]).toMatch(
    /^info: \[tracebeam\] debug on: service web, .*integrations errors, fetchTracing, xhrTracing, webVitals;/,
  );
  expect(lines['tracebeam.min.js']).toEqual([`info: [tracebeam] ${NOTE}: export condition \`development\` (Vite, webpack dev) or tracebeam.development.js`]);
});
