// Pins what the browser does today with trace headers on a redirect: a same-origin URL that
// redirects to another origin, one not in propagateTo, delivers traceparent and x-trace-id to it,
// for fetch and for XHR (the browser re-sends the request's headers and no script can stop it).
// `redirect: 'manual'` is what keeps them home. If a browser changes this, these tests say so.
import { expect, modulePage, test } from './support/fixtures';

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;

test('a same-origin URL redirecting to another origin carries the trace headers there (fetch and XHR), unless redirect is manual', async ({ app, page }) => {
  const target = (via: string) => encodeURIComponent(`${app.otherOrigin}/api/echo?via=${via}`);
  await page.goto(
    app.page(
      modulePage(`
        import { createClient, fetchTracing, xhrTracing } from 'tracebeam';
        const client = createClient({ sink: '/api/log', service: 'web', integrations: [fetchTracing(), xhrTracing()] });
        const outcome = {};
        try {
          outcome.traceId = client.traceId();
          outcome.fetched = (await (await fetch('/api/redirect?to=${target('fetch')}')).json()).headers;
          outcome.xhr = await new Promise((resolve, reject) => {
            const request = new XMLHttpRequest();
            request.open('GET', '/api/redirect?to=${target('xhr')}');
            request.onload = () => resolve(JSON.parse(request.responseText).headers);
            request.onerror = () => reject(new Error('xhr failed'));
            request.send();
          });
          outcome.manual = (await fetch('/api/redirect?to=${target('manual')}', { redirect: 'manual' })).type;
          await client.flush();
        } catch (error) {
          outcome.pageError = String(error?.stack ?? error);
        }
        window.outcome = outcome;
      `),
    ),
  );
  const outcome = (await (await page.waitForFunction(() => (window as unknown as { outcome?: unknown }).outcome, null, { timeout: 15_000 })).jsonValue()) as {
    traceId: string;
    fetched: Record<string, string>;
    xhr: Record<string, string>;
    manual: string;
    pageError?: string;
  };
  expect(outcome.pageError).toBeUndefined();
  // Today's behaviour: the other origin got the headers meant for the page's own.
  for (const headers of [outcome.fetched, outcome.xhr]) {
    expect(headers.traceparent).toMatch(TRACEPARENT);
    expect(headers['x-trace-id']).toBe(outcome.traceId);
  }
  // With redirect: 'manual' the browser stops at the redirect: nothing reaches the other origin.
  expect(outcome.manual).toBe('opaqueredirect');
  // The redirects themselves reached the page's origin three times; the other origin got the
  // fetch's and the XHR's follow-ups only, the manual one never went.
  expect(app.apiRequests.map((seen) => seen.path).sort()).toEqual(['/api/echo', '/api/echo', '/api/redirect', '/api/redirect', '/api/redirect']);
});
