/**
 * The Next.js recipe of docs/edge.md, verbatim, in a fresh Next.js 15 app with the packed package:
 * `next build`, `next start -H 127.0.0.1`, one page load in Chromium. The middleware's own posts to
 * the sink route must not be traced (no loop), the page's events must be accepted as same-origin,
 * and the page-load trace must be the middleware's.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { freePort } from '../free-port';
import { createApp, eventsIn, removeApp, ROOT, run, start, type Started } from './support';

/** The ```ts block under the edge page's "## Next.js middleware". */
function recipeMiddleware(): string {
  const page = readFileSync(`${ROOT}docs/edge.md`, 'utf8');
  const section = page.slice(page.indexOf('## Next.js middleware'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
  expect(block).toContain('// middleware.ts');
  return block;
}

let app: string | undefined;
let server: Started | undefined;
let origin = '';

test.beforeAll(async () => {
  test.setTimeout(600_000);
  app = createApp(
    'next-consumer',
    `${ROOT}test/consumers/nextjs-app`,
    { 'middleware.ts': recipeMiddleware(), 'app/api/log/route.ts': readFileSync(`${ROOT}examples/nextjs/app/api/log/route.ts`, 'utf8') },
    { next: '15.5.29', react: '19.2.9', 'react-dom': '19.2.9', typescript: '5.9.3', '@types/react': '19.2.6', '@types/node': '20.19.25' },
  );
  run(app, 'npx', ['--no-install', 'next', 'build'], { NEXT_TELEMETRY_DISABLED: '1' });
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  server = await start(app, 'npx', ['--no-install', 'next', 'start', '-H', '127.0.0.1', '-p', String(port)], /Ready in|started server/i, {
    NEXT_TELEMETRY_DISABLED: '1',
    TRACEBEAM_SINK: `${origin}/api/log`,
  });
});

test.afterAll(async () => {
  await server?.stop();
  removeApp(app);
});

test('one page load: a bounded number of events, the page’s error accepted, the page-load trace the middleware’s', async ({ page }) => {
  const answers: number[] = [];
  page.on('response', (response) => response.url().endsWith('/api/log') && answers.push(response.status()));
  const document = await page.goto(`${origin}/`);
  const serverTiming = (await document!.allHeaders())['server-timing'];
  // A trace the middleware starts is sampled and has a random id: flags 03 (W3C Trace Context Level 2).
  expect(serverTiming).toMatch(/^traceparent;desc="00-[\da-f]{32}-[\da-f]{16}-03"$/);
  await page.locator('#ready').waitFor();
  await expect.poll(() => page.evaluate(() => typeof (window as any).client)).toBe('object');
  await page.waitForTimeout(500);
  await page.evaluate(() => (window as any).client.flush());
  const pageTrace = await page.evaluate(() => (window as any).client.traceId() as string);

  await expect.poll(() => eventsIn(server!.output()).some((event) => event.event === 'client_error'), { timeout: 15_000 }).toBe(true);
  // Time for a loop to show itself, were there one.
  await page.waitForTimeout(3_000);
  const events = eventsIn(server!.output());

  expect(answers.length).toBeGreaterThan(0);
  expect(answers.every((status) => status === 202)).toBe(true);
  const error = events.find((event) => event.event === 'client_error')!;
  expect(error).toMatchObject({ service: 'next-page', error: { message: expect.stringContaining('checkout failed') } });

  const hops = events.filter((event) => event.service === 'web-middleware');
  // The middleware traced the page (and maybe a few assets), never its own posts to the sink.
  expect(hops.some((event) => event.http?.url === '/')).toBe(true);
  expect(hops.filter((event) => String(event.http?.url).startsWith('/api/log'))).toEqual([]);
  expect(events.length).toBeLessThan(30);

  const documentHop = hops.find((event) => event.http?.url === '/')!;
  expect(serverTiming).toContain(documentHop.trace_id);
  expect(pageTrace).toBe(documentHop.trace_id);
  expect(error.trace_id).toBe(documentHop.trace_id);
});
