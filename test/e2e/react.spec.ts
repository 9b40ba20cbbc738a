/**
 * A React app, built with rollup against the package's build, in real Chromium, against the real
 * sink: a component that throws shows the boundary's fallback and is delivered once, with its
 * component stack, under the trace of the click that broke it.
 */
import type { Page } from '@playwright/test';
import { buildReactApp, type ReactAppVariant } from './fixtures/react-app/build';
import { expect, test } from './support/fixtures';

const VARIANTS: ReactAppVariant[] = [
  { react: 19, mode: 'production' },
  { react: 19, mode: 'development' },
  { react: 18, mode: 'production' },
  { react: 18, mode: 'development' },
];

const html = (code: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>shop</title></head><body><div id="root"></div>` +
  // `</script` can only stand in strings, comments and regular expressions, where `<\/` means the same.
  `<script>${code.replace(/<\/script/gi, '<\\/script')}</script></body></html>`;

type Win = Window & { client: { flush(): Promise<void>; traceId(): string } };

/**
 * A duplicate would come from the page's global listener (React 18's development build replays the
 * failed render there first); a flush after a pause sends whatever was reported, and the sink has
 * written it by the time the flush resolves.
 */
async function settle(page: Page): Promise<void> {
  await page.waitForTimeout(500);
  await page.evaluate(() => (window as unknown as Win).client.flush());
}

for (const variant of VARIANTS) {
  test.describe(`React ${variant.react}, ${variant.mode} build`, () => {
    let code = '';
    test.beforeAll(async () => {
      test.setTimeout(180_000);
      code = await buildReactApp(variant);
    });

    test('a component that throws shows the fallback and delivers one event with its component stack', async ({ app, page }) => {
      const pageErrors: Error[] = [];
      page.on('pageerror', (error) => pageErrors.push(error));
      await page.goto(app.page(html(code)));
      await page.locator('body[data-ready="1"]').waitFor();
      await expect(page.locator('#cart')).toHaveText('3 items');

      await page.click('#break-cart');
      await expect(page.locator('#fallback')).toContainText('The cart could not be shown.');
      await settle(page);

      const errors = app.events().filter((e) => e.level === 'error');
      expect(errors).toHaveLength(1);
      const [event] = errors;
      expect(event).toMatchObject({
        event: 'client_error',
        service: 'react-shop',
        mechanism: 'react.ErrorBoundary',
        error: { type: 'TypeError', message: 'cart total is not a number', handled: true },
      });
      expect(event.component_stack).toMatch(/^at Cart\b/);
      expect(event.component_stack).toMatch(/\bat ErrorBoundary\b[\s\S]*\bat Shop\b/);
      // One trace for the click: its API call, the app's log line and the error.
      const apiCall = app.apiRequests.find((r) => r.path === '/api/echo')!;
      const clickTrace = String(apiCall.headers.traceparent).split('-')[1];
      expect(event.trace_id).toBe(clickTrace);
      expect(app.events().find((e) => e.event === 'cart_refreshed')?.trace_id).toBe(clickTrace);
      // React 18's development build lets the page see its replays of the failed render as
      // uncaught (that is how it makes DevTools pause on them); the SDK passed over them above.
      if (variant.react === 19 || variant.mode === 'production') expect(pageErrors).toEqual([]);

      // The fallback's reset renders the cart again.
      await page.click('#retry');
      await expect(page.locator('#cart')).toHaveText('3 items');
    });

    if (variant.react === 19) {
      test('an error no boundary catches is delivered once by the root error handler, as unhandled', async ({ app, page }) => {
        await page.goto(app.page(html(code)));
        await page.locator('body[data-ready="1"]').waitFor();
        await page.click('#break-header');
        // React unmounts the whole root on an uncaught error.
        await expect(page.locator('#break-cart')).toHaveCount(0);
        await settle(page);
        const errors = app.events().filter((e) => e.level === 'error');
        expect(errors.map((e) => [e.event, e.mechanism, e.error?.message, e.error?.handled])).toEqual([
          ['client_error', 'react.onUncaughtError', 'header failed', false],
        ]);
        expect(errors[0].component_stack).toMatch(/^at Header\b/);
      });
    }
  });
}
