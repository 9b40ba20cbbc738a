/**
 * The three ways to load the SDK under a strict CSP with Trusted Types enforced: the pre-load
 * snippet, a plain script tag and the ESM build. Events reach the sink and the page sees no
 * violation. The page allows the `tracebeam` policy, as docs/script-tag.md says it must for the snippet.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { IMPORT_MAP } from './support/http';
import { expect, test } from './support/fixtures';

const SNIPPET = readFileSync(new URL('../../dist/snippet.min.js', import.meta.url), 'utf8');
const NONCE = 'tb-test';

/** A strict policy: same-origin and nonce'd scripts only, Trusted Types required for script sinks. */
const csp = (policies: string) =>
  `<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'nonce-${NONCE}'; connect-src 'self'; require-trusted-types-for 'script'; trusted-types ${policies}">`;

/** First in <head>, after the policy: records every violation the page reports. */
const WATCH = `<script nonce="${NONCE}">window.violations = []; document.addEventListener('securitypolicyviolation', (e) => window.violations.push(e.violatedDirective + ' ' + e.blockedURI));</script>`;

const page = (head: string, body = '') => `<!doctype html><html><head><meta charset="utf-8">${head}</head><body><h1>trusted types</h1>${body}</body></html>`;

/** Logs one event once the SDK's global has a client, then flushes. */
const LOG_WHEN_READY = (service: string) => `<script nonce="${NONCE}">
  const ready = () => typeof tracebeam !== 'undefined' && tracebeam.traceId && tracebeam.traceId();
  const wait = setInterval(() => { if (!ready()) return; clearInterval(wait); tracebeam.log('info', 'tt_${service}'); tracebeam.flush(); }, 20);
</script>`;

async function violations(p: Page): Promise<string[]> {
  return p.evaluate(() => (window as unknown as { violations: string[] }).violations);
}

test.describe('under Trusted Types', () => {
  test('the pre-load snippet loads the SDK through its policy', async ({ app, page: p }) => {
    const messages: string[] = [];
    p.on('console', (m) => messages.push(m.text()));
    const head =
      csp('tracebeam') +
      WATCH +
      `<script nonce="${NONCE}" data-src="/dist/tracebeam.min.js" data-sink="/api/log" data-service="tt-snippet">${SNIPPET}</script>`;
    await p.goto(app.page(page(head, LOG_WHEN_READY('snippet'))));
    const events = await app.waitForEvents((e) => e.some((event) => event.event === 'tt_snippet'));
    expect(events.find((e) => e.event === 'tt_snippet')!.service).toBe('tt-snippet');
    expect(await violations(p)).toEqual([]);
    expect(messages.filter((m) => /Trusted Type|Content Security Policy/i.test(m))).toEqual([]);
  });

  test('a page that allows no such policy reports the violation (the check above can fail)', async ({ app, page: p }) => {
    const head =
      csp('other') + WATCH + `<script nonce="${NONCE}" data-src="/dist/tracebeam.min.js" data-sink="/api/log" data-service="tt-denied">${SNIPPET}</script>`;
    await p.goto(app.page(page(head)));
    await expect.poll(() => violations(p)).not.toEqual([]);
  });

  test('a script tag', async ({ app, page: p }) => {
    const head = csp("'none'") + WATCH + `<script src="/dist/tracebeam.min.js" data-sink="/api/log" data-service="tt-tag"></script>`;
    await p.goto(app.page(page(head, LOG_WHEN_READY('tag'))));
    await app.waitForEvents((e) => e.some((event) => event.event === 'tt_tag'));
    expect(await violations(p)).toEqual([]);
  });

  test('the ESM build', async ({ app, page: p }) => {
    const head = csp("'none'") + WATCH + IMPORT_MAP.replace('<script ', `<script nonce="${NONCE}" `);
    const body = `<script type="module" nonce="${NONCE}">
      import { init } from 'tracebeam';
      const client = init({ sink: '/api/log', service: 'tt-esm' });
      client.log('info', 'tt_esm');
      await fetch('/api/echo');
      client.captureError(new Error('under trusted types'));
      await client.flush();
    </script>`;
    await p.goto(app.page(page(head, body)));
    const events = await app.waitForEvents(
      (e) =>
        e.some((event) => event.event === 'tt_esm') && e.some((event) => event.event === 'client_error') && e.some((event) => event.event === 'http_request'),
    );
    expect(events.filter((e) => e.service === 'tt-esm').length).toBeGreaterThanOrEqual(3);
    expect(await violations(p)).toEqual([]);
  });
});
