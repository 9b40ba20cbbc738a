// The backend recipes of docs/recipes.md as real servers: Django and FastAPI under Debian's
// python3, Express with pino in this process, and the Next.js route handler called directly. A
// page using tracebeam calls each one; their log lines must carry the page's trace and span ids.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import express from 'express';
import pino from 'pino';
import { expect, test, type Page } from '@playwright/test';
import type { TelemetryEvent } from 'tracebeam';
import { jsonLines } from './demo/demo-process';
import { modulePage, proxyTo, startPageServer, type PageServer } from './recipes/page-server';
import { freePort } from '../free-port';
import { requirePython, startPython, type PythonServer } from './recipes/python';
// @ts-expect-error: the recipe is plain JavaScript, as users copy it
import { createApp, loggerOptions } from '../../examples/express/server.mjs';
import * as nextRoute from '../../examples/nextjs/app/api/log/route';

const ROOT = new URL('../../', import.meta.url).pathname;
const run = promisify(execFile);

type Line = Record<string, unknown>;
interface Answer {
  status: number;
  traceHeader: string | null;
}
interface PageResult {
  traceId: string;
  hello: Answer;
  checkout: Answer;
}

let dir: string;
let web: PageServer | undefined;
let python: PythonServer | undefined;

test.beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tracebeam-recipes-'));
});

test.afterEach(async () => {
  await python?.stop();
  await web?.close();
  python = undefined;
  web = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** structlog's `event`, or pino's `msg`. */
const nameOf = (line: Line): unknown => line.event ?? line.msg;

/**
 * Opens a page that makes one trace of two calls to the recipe at `base` ('' on its own origin),
 * a hello and a checkout that fails, and resolves to the answers' status and `x-trace-id`.
 */
async function callRecipe(page: Page, url: (html: string) => string, options: { sink: string; base: string; propagateTo: string[] }): Promise<PageResult> {
  const json = JSON.stringify;
  await page.goto(
    url(
      modulePage(`
        import { createClient, fetchTracing } from 'tracebeam';
        const client = createClient({ sink: ${json(options.sink)}, service: 'recipe-page', integrations: [fetchTracing()], propagateTo: ${json(options.propagateTo)} });
        const call = async (path, init) => {
          const response = await fetch(${json(options.base)} + path, init);
          return { status: response.status, traceHeader: response.headers.get('x-trace-id') };
        };
        try {
          const hello = await call('/api/hello');
          const checkout = await call('/api/checkout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [1, 2] }) });
          await client.flush();
          window.result = { traceId: client.traceId(), hello, checkout };
        } catch (error) {
          // A refused preflight is a TypeError here: say so rather than time out.
          window.result = { error: String(error) };
        }
      `),
    ),
  );
  const handle = await page.waitForFunction(() => (window as unknown as { result?: PageResult }).result, undefined, { timeout: 30_000 });
  const result = (await handle.jsonValue()) as PageResult & { error?: string };
  expect(result.error, 'the page could not call the recipe').toBeUndefined();
  return result;
}

/**
 * The recipe's lines of the page's trace: each call's lines carry the trace id and the span id of
 * the call's `http_request` event (its `traceparent` parent id), and the failure is logged in the trace.
 */
async function expectJoined(
  result: PageResult,
  events: () => TelemetryEvent[],
  lines: () => Line[],
  service: string,
  isFailure: (line: Line) => boolean,
): Promise<Line[]> {
  const traceId = result.traceId;
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(result.hello).toEqual({ status: 200, traceHeader: traceId });
  expect(result.checkout).toEqual({ status: 500, traceHeader: traceId });

  await expect.poll(() => events().filter((event) => event.event === 'http_request' && event.trace_id === traceId).length, { timeout: 30_000 }).toBe(2);
  const spanOf = (path: string): string | undefined => events().find((event) => event.event === 'http_request' && event.http?.url.endsWith(path))?.span_id;
  const hello = spanOf('/api/hello')!;
  const checkout = spanOf('/api/checkout')!;
  expect(hello).toMatch(/^[0-9a-f]{16}$/);
  expect(checkout).toMatch(/^[0-9a-f]{16}$/);

  const ofTrace = (): Line[] => lines().filter((line) => line.trace_id === traceId);
  await expect.poll(() => ofTrace().filter((line) => nameOf(line) === 'request_finished').length, { timeout: 30_000 }).toBe(2);
  const mine = ofTrace();
  expect(mine.find((line) => nameOf(line) === 'hello_requested')).toEqual(expect.objectContaining({ span_id: hello, service }));
  expect(mine.find((line) => nameOf(line) === 'checkout_received')).toEqual(expect.objectContaining({ span_id: checkout, service, cart_items: 2 }));
  expect(mine.filter((line) => nameOf(line) === 'request_finished').map((line) => [line.path, line.status_code, line.span_id])).toEqual([
    ['/api/hello', 200, hello],
    ['/api/checkout', 500, checkout],
  ]);
  expect(mine.filter(isFailure)).toHaveLength(1);
  for (const line of mine) expect(line.service).toBe(service);
  return mine;
}

/** structlog's shape: ISO UTC time, a level name, an event. */
function expectStructlog(lines: Line[]): void {
  for (const line of lines) {
    expect(line.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/);
    expect(['debug', 'info', 'warning', 'error', 'critical']).toContain(line.level);
    expect(typeof line.event).toBe('string');
  }
}

/**
 * The header rules, by plain requests: a valid `traceparent` wins (later versions too), an invalid
 * one falls back to a 32-hex `x-trace-id`, and without either the server starts a trace, which
 * its answer names.
 */
async function expectHeaderRules(base: string, lines: () => Line[]): Promise<void> {
  const id = (digit: string): string => digit.repeat(32);
  const parent = '00f067aa0ba902b7';
  const cases: Array<{ headers: Record<string, string>; trace?: string; span?: string }> = [
    { headers: { traceparent: `00-${id('a')}-${parent}-01`, 'x-trace-id': id('b') }, trace: id('a'), span: parent },
    { headers: { traceparent: `01-${id('c')}-${parent}-01-what-comes-later` }, trace: id('c'), span: parent },
    { headers: { 'x-trace-id': id('D') }, trace: id('d') },
    { headers: { traceparent: `00-${id('0')}-${parent}-01`, 'x-trace-id': id('e') }, trace: id('e') },
    { headers: { traceparent: `00-${id('A')}-${parent}-01` } },
    { headers: { traceparent: `00-${id('f')}-${parent}-01-extra` } },
    { headers: { traceparent: `ff-${id('f')}-${parent}-01` } },
    { headers: { traceparent: `00-${id('f')}-${'0'.repeat(16)}-01`, 'x-trace-id': id('0') } },
    { headers: {} },
  ];
  for (const { headers, trace, span } of cases) {
    const response = await fetch(`${base}/api/hello`, { headers });
    expect(response.status).toBe(200);
    const answered = response.headers.get('x-trace-id')!;
    if (trace) expect(answered, JSON.stringify(headers)).toBe(trace);
    else expect(answered, JSON.stringify(headers)).toMatch(/^(?!f{32}|a{32}|0{32})[0-9a-f]{32}$/);
    await expect.poll(() => lines().filter((line) => line.trace_id === answered && nameOf(line) === 'hello_requested').length, { timeout: 30_000 }).toBe(1);
    const line = lines().find((candidate) => candidate.trace_id === answered && nameOf(candidate) === 'hello_requested')!;
    expect(line.span_id, JSON.stringify(headers)).toBe(span);
  }
}

/** `tracebeam trace` merges the page's events and the server's lines of the trace. */
async function expectTimeline(traceId: string, files: string[], sources: string[]): Promise<void> {
  const { stdout } = await run(process.execPath, [join(ROOT, 'dist/cli.mjs'), 'trace', traceId, ...files, '--json']);
  const records = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { source: string; event: string; trace_id: string });
  expect(records.every((record) => record.trace_id === traceId)).toBe(true);
  expect(new Set(records.map((record) => record.source))).toEqual(new Set(sources));
  expect(records.map((record) => record.event)).toEqual(expect.arrayContaining(['http_request', 'hello_requested', 'checkout_received']));
}

test.describe('the Python recipes', () => {
  test.beforeAll(() => requirePython());

  test('Django: a structlog middleware binds the page trace, and Django’s own error line carries it', async ({ page }) => {
    test.setTimeout(120_000);
    const port = await freePort();
    python = await startPython(['manage.py', 'runserver', `127.0.0.1:${port}`, '--noreload'], {
      cwd: join(ROOT, 'examples/django'),
      url: `http://127.0.0.1:${port}/api/hello`,
    });
    // The page and the API on one origin, a proxy in front of both.
    web = await startPageServer(proxyTo(python.url.replace('/api/hello', '')));
    const pages = web;
    const result = await callRecipe(page, (html) => pages.page(html), { sink: '/_sink', base: '', propagateTo: [] });

    const lines = await expectJoined(
      result,
      () => pages.events(),
      () => python!.lines(),
      'django-shop',
      (line) => line.logger === 'django.request',
    );
    expectStructlog(lines);
    const failure = lines.find((line) => line.logger === 'django.request')!;
    expect(failure).toEqual(expect.objectContaining({ level: 'error', event: 'Internal Server Error: /api/checkout' }));
    expect(failure.exception).toMatch(/PaymentDeclined: card declined by the issuer$/);

    await expectHeaderRules(python.url.replace('/api/hello', ''), () => python!.lines());

    const events = join(dir, 'events.jsonl');
    const log = join(dir, 'django.log');
    writeFileSync(
      events,
      pages
        .events()
        .map((event) => `${JSON.stringify(event)}\n`)
        .join(''),
    );
    writeFileSync(log, python.output());
    await expectTimeline(result.traceId, [events, log], ['recipe-page', 'django-shop']);
  });

  test('FastAPI: an HTTP middleware binds the page trace, called from another origin by CORS', async ({ page }) => {
    test.setTimeout(120_000);
    web = await startPageServer();
    const pages = web;
    const port = await freePort();
    const api = `http://127.0.0.1:${port}`;
    python = await startPython(['-m', 'uvicorn', 'app:app', '--host', '127.0.0.1', '--port', String(port), '--no-access-log'], {
      cwd: join(ROOT, 'examples/fastapi'),
      url: `${api}/api/hello`,
      env: { CORS_ORIGINS: pages.url },
    });
    const result = await callRecipe(page, (html) => pages.page(html), { sink: '/_sink', base: api, propagateTo: [api] });

    const lines = await expectJoined(
      result,
      () => pages.events(),
      () => python!.lines(),
      'fastapi-shop',
      (line) => line.event === 'request_failed',
    );
    expectStructlog(lines);
    expect(lines.find((line) => line.event === 'request_failed')!.exception).toMatch(/PaymentDeclined: card declined by the issuer$/);

    await expectHeaderRules(api, () => python!.lines());

    const events = join(dir, 'events.jsonl');
    const log = join(dir, 'fastapi.log');
    writeFileSync(
      events,
      pages
        .events()
        .map((event) => `${JSON.stringify(event)}\n`)
        .join(''),
    );
    writeFileSync(log, python.output());
    await expectTimeline(result.traceId, [events, log], ['recipe-page', 'fastapi-shop']);
  });
});

test('Express: pino child loggers carry the page trace, and the sink in the same app keeps the page’s events', async ({ page }) => {
  test.setTimeout(120_000);
  const clientLog = join(dir, 'client.jsonl');
  const serverLog = join(dir, 'server.log');
  const logger = pino(loggerOptions, pino.destination({ dest: serverLog, sync: true }));
  // The recipe's app behind the test's pages, as an app serves its single-page app and its API.
  const app = express();
  app.use(createApp({ logger, clientLog }));
  web = await startPageServer(app);
  const pages = web;
  const result = await callRecipe(page, (html) => pages.page(html), { sink: '/api/log', base: '', propagateTo: [] });

  const events = (): TelemetryEvent[] => jsonLines<TelemetryEvent>(clientLog);
  const lines = await expectJoined(
    result,
    events,
    () => jsonLines(serverLog),
    'express-shop',
    (line) => line.msg === 'request_failed',
  );
  const failure = lines.find((line) => line.msg === 'request_failed')!;
  expect(failure).toEqual(
    expect.objectContaining({ level: 50, err: expect.objectContaining({ type: 'PaymentDeclined', message: 'card declined by the issuer' }) }),
  );
  for (const line of lines) expect(typeof line.time).toBe('number');

  await expectHeaderRules(pages.url, () => jsonLines(serverLog));
  await expectTimeline(result.traceId, [clientLog, serverLog], ['recipe-page', 'express-shop']);
});

test('Next.js: the route handler is the sink, printing accepted events as JSON lines', async () => {
  const route = nextRoute;
  expect(route.OPTIONS).toBe(route.POST);
  const event = {
    id: 'f'.repeat(31) + '1',
    timestamp: new Date().toISOString(),
    level: 'error',
    event: 'client_error',
    service: 'shop-web',
    trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    error: { type: 'TypeError', message: 'cart is undefined' },
    sdk: { name: 'tracebeam', version: '0.1.0' },
  };
  const printed: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void printed.push(args.join(' '));
  try {
    const post = (body: string, origin = 'https://shop.example.com'): Promise<Response> =>
      route.POST(new Request('https://shop.example.com/api/log', { method: 'POST', headers: { 'content-type': 'application/json', origin }, body }));
    const accepted = await post(JSON.stringify({ events: [event] }));
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toEqual(expect.objectContaining({ accepted: 1, rejected: 0 }));
    expect((await post('{"events": [')).status).toBe(400);
    // Other origins are refused until they are listed in `allowedOrigins`.
    expect((await post(JSON.stringify({ events: [event] }), 'https://evil.example')).status).toBe(403);
  } finally {
    console.log = log;
  }
  expect(printed.map((line) => JSON.parse(line) as { id: string; trace_id: string })).toEqual([
    expect.objectContaining({ id: event.id, trace_id: event.trace_id }),
  ]);
});

test('docs/recipes.md and docs/frameworks.md show the files the tests run, byte for byte', async () => {
  const { stdout } = await run(process.execPath, [join(ROOT, 'scripts/recipes-docs.mjs'), '--check']);
  expect(stdout).toContain('show the recipes as they are');
});
