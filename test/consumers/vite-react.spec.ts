/**
 * A fresh Vite + React 19 app with the packed package, built for production with hidden source
 * maps, served statically on 127.0.0.1, its events sent to the installed `tracebeam sink
 * --sourcemaps dist`. A component throws inside `<ErrorBoundary>`: what the sink wrote must name
 * the component's own file, line and name, in the frames and in the component stack.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { expect, test } from '@playwright/test';
import { freePort } from '../free-port';
import { createApp, eventsIn, removeApp, ROOT, run, start, type Started } from './support';

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };

let app: string | undefined;
let sink: Started | undefined;
let site: Server | undefined;
let origin = '';

test.beforeAll(async () => {
  test.setTimeout(600_000);
  app = createApp(
    'vite-consumer',
    `${ROOT}test/consumers/vite-app`,
    {},
    {
      vite: '8.3.8',
      '@vitejs/plugin-react': '6.3.0',
      react: '19.2.9',
      'react-dom': '19.2.9',
      // The optional peer that `tracebeam sink --sourcemaps` needs, installed as docs/source-maps.md says.
      'source-map': '0.7.5',
    },
  );
  const [sinkPort, sitePort] = [await freePort(), await freePort()];
  origin = `http://127.0.0.1:${sitePort}`;
  run(app, 'npx', ['--no-install', 'vite', 'build', '--sourcemap', 'hidden'], { VITE_SINK: `http://127.0.0.1:${sinkPort}/api/log` });
  sink = await start(
    app,
    'npx',
    ['--no-install', 'tracebeam', 'sink', '--port', String(sinkPort), '--cors', origin, '--sourcemaps', 'dist'],
    /listening|127\.0\.0\.1:\d+/i,
  );
  const dist = join(app, 'dist');
  // Static files only, as a CDN serves them: the maps are not deployed.
  site = createServer((request, response) => {
    const path = normalize(new URL(request.url!, origin).pathname).replace(/^\/+/, '') || 'index.html';
    if (path.endsWith('.map') || path.startsWith('..')) return response.writeHead(404).end();
    try {
      const body = readFileSync(join(dist, path));
      response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => site!.listen(sitePort, '127.0.0.1', resolve));
});

test.afterAll(async () => {
  await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
  await sink?.stop();
  removeApp(app);
});

test('a component that throws inside <ErrorBoundary>: the sink maps its frame and the component stack to Cart in src/Cart.tsx', async ({ page }) => {
  await page.goto(`${origin}/`);
  await page.locator('#fallback').waitFor();
  await page.evaluate(() => (window as any).client.flush());
  await expect.poll(() => eventsIn(sink!.output()).some((event) => event.event === 'client_error'), { timeout: 15_000 }).toBe(true);

  const error = eventsIn(sink!.output()).find((event) => event.event === 'client_error')!;
  expect(error).toMatchObject({ service: 'vite-shop', mechanism: 'react.ErrorBoundary', error: { handled: true } });
  const source = readFileSync(`${ROOT}test/consumers/vite-app/src/Cart.tsx`, 'utf8').split('\n');
  const throwing = source.findIndex((line) => line.includes('lines!.reduce')) + 1;
  const [top] = error.error.frames;
  expect(top).toMatchObject({ function: 'Cart', line: throwing });
  expect(top.file).toMatch(/(^|\/)src\/Cart\.tsx$/);
  expect(top.minified.file).toMatch(/\/assets\/[^/]+\.js$/);

  // React 19's production stack places only components it could locate ("at Shop (<anonymous>)"
  // has no place to map); every line with a place must name the original component.
  const stack = String(error.component_stack)
    .trim()
    .split('\n')
    .map((line) => line.trim());
  expect(String(error.minified_component_stack)).not.toBe(String(error.component_stack));
  const placed = stack.filter((line) => /:\d+:\d+\)$/.test(line));
  expect(placed.map((line) => /^at (\S+)/.exec(line)?.[1])).toEqual(['Cart', 'ErrorBoundary', 'TelemetryProvider']);
  const declared = source.findIndex((line) => line.startsWith('export function Cart')) + 1;
  expect(placed[0]).toMatch(new RegExp(`^at Cart \\((.*/)?src/Cart\\.tsx:${declared}:\\d+\\)$`));
  expect(placed[1]).toMatch(/^at ErrorBoundary \(node_modules\/tracebeam\/dist\/react\.mjs:\d+:\d+\)$/);
});
