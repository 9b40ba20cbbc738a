/**
 * The transparency matrix: every call shape runs in a fresh page without the SDK and in one with
 * fetch and XHR tracing, and what the page can observe must be the same, but for the trace headers
 * themselves (which must be there on the page's own origin, and nowhere else). Each shape runs
 * against both builds a page can load: the ESM entry and the script tag (`dist/tracebeam.min.js`,
 * configured by its data attributes, as a page without a bundler uses it).
 */
import type { Browser } from '@playwright/test';
import type { TestApp } from './support/server';
import { expect, modulePage, test } from './support/fixtures';
import { type Case, type Context, FETCH_CASES, XHR_CASES } from './tracing/cases';
import { PAGE_HELPERS } from './tracing/page-helpers';

const TRACE_HEADERS = ['traceparent', 'tracestate', 'x-trace-id'];

test.describe.configure({ mode: 'parallel' });

/** How a page loads the SDK; `page(sdk)` is the same page with the SDK (true) or without it. */
interface Build {
  name: string;
  page(sdk: boolean): string;
}

const BUILDS: Build[] = [
  {
    name: 'esm',
    page: (sdk) =>
      modulePage(`
        ${sdk ? "import { createClient, fetchTracing, xhrTracing } from 'tracebeam';" : ''}
        ${PAGE_HELPERS}
        ${sdk ? "window.client = createClient({ sink: '/api/log', service: 'web', integrations: [fetchTracing(), xhrTracing()] });" : ''}
        document.body.dataset.ready = '1';
      `),
  },
  {
    name: 'script tag',
    // The tag's client is `init`'s: errors, fetch, XHR and web vitals, all at work.
    page: (sdk) =>
      `<!doctype html><html><head><meta charset="utf-8">` +
      (sdk ? '<script src="/dist/tracebeam.min.js" data-sink="/api/log" data-service="web"></script>' : '') +
      `</head><body><h1>tracebeam test page</h1><script>${PAGE_HELPERS}\ndocument.body.dataset.ready = '1';</script></body></html>`,
  },
];

interface Observed {
  /** The outcome with the trace headers taken out of every echoed request. */
  outcome: unknown;
  /** For each echoed request to the page's origin, whether it carried the trace headers. */
  traced: boolean[];
}

/**
 * Takes the trace headers out of every echoed request, and the values that differ between any two
 * page loads: the page's own address (in Referer) and FormData's random boundary.
 */
function normalize(raw: unknown, app: TestApp): Observed {
  const host = new URL(app.url).host;
  const json = JSON.stringify(raw ?? null)
    .replace(/\/page-\d+\.html/g, '/<page>')
    .replace(/----WebKitFormBoundary[\w]+/g, '<boundary>');
  const traced: boolean[] = [];
  const outcome = JSON.parse(json, (key, value) => {
    if (key === 'headers' && value && typeof value === 'object' && !Array.isArray(value) && 'host' in value) {
      if (value.host === host) traced.push(TRACE_HEADERS.filter((name) => name !== 'tracestate').every((name) => name in value));
      return Object.fromEntries(Object.entries(value).filter(([name]) => !TRACE_HEADERS.includes(name)));
    }
    return value;
  });
  return { outcome, traced };
}

async function observe(browser: Browser, app: TestApp, html: string, run: Case['run']): Promise<Observed> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(app.page(html));
    await page.locator('body[data-ready="1"]').waitFor();
    const ctx: Context = { other: app.otherOrigin, closed: 'http://127.0.0.1:1' };
    return normalize(await page.evaluate(`(${run.toString()})(window.h, ${JSON.stringify(ctx)})`), app);
  } finally {
    await context.close();
  }
}

for (const build of BUILDS) {
  for (const [kind, cases] of [
    ['fetch', FETCH_CASES],
    ['xhr', XHR_CASES],
  ] as const) {
    for (const { name, run, traced = true } of cases) {
      test(`${build.name}, ${kind}: ${name}`, async ({ app, browser }) => {
        const without = await observe(browser, app, build.page(false), run);
        const withSdk = await observe(browser, app, build.page(true), run);
        expect(withSdk.outcome).toEqual(without.outcome);
        // The comparison means something only if the SDK was at work: the page's own requests carried the trace.
        expect(without.traced.every((carried) => !carried)).toBe(true);
        expect(withSdk.traced).toEqual(without.traced.map(() => traced));
      });
    }
  }
}
