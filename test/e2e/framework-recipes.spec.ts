/**
 * The framework recipes of docs/frameworks.md (examples/frameworks/), bundled as an app would,
 * in real Chromium against the real sink. Vue, SvelteKit and Angular are not installed here: each
 * test calls the recipe's hook the way its framework does (with the error it caught and the
 * arguments it passes) and asserts on what the sink received.
 */
import { build } from 'esbuild';
import type { TelemetryEvent } from 'tracebeam';
import { expect, modulePage, test } from './support/fixtures';
import type { TestApp } from './support/server';

const ROOT = new URL('../../', import.meta.url).pathname;
let recipes = '';

test.beforeAll(async () => {
  const result = await build({
    stdin: {
      contents: `
        export { vueErrorHandler } from './examples/frameworks/vue.ts';
        export { svelteKitErrorHandler, svelteBoundaryErrorHandler } from './examples/frameworks/sveltekit.ts';
        export { TracebeamErrorHandler } from './examples/frameworks/angular.ts';
      `,
      resolveDir: ROOT,
      sourcefile: 'framework-recipes.js',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    // The page's import map resolves it to the package's build, the one the page's client comes from.
    external: ['tracebeam'],
    write: false,
    logLevel: 'silent',
  });
  recipes = result.outputFiles[0]!.text;
});

/** A page that imports the recipes' bundle (a data: URL, so its `tracebeam` import goes through the import map) and puts a client on `window.client`. */
function recipePage(app: TestApp, script: string): string {
  const module = `data:text/javascript;base64,${Buffer.from(recipes).toString('base64')}`;
  return app.page(
    modulePage(`
      import { createClient, errors } from 'tracebeam';
      const recipes = await import(${JSON.stringify(module)});
      const client = createClient({ sink: '/api/log', service: 'framework-shop', integrations: [errors()] });
      window.client = client;
      window.logged = [];
      const log = console.error;
      console.error = (...args) => (window.logged.push(args.map(String).join(' ')), log(...args));
      function renderCart() { throw new TypeError('cart total is not a number'); }
      ${script}
      await client.flush();
      document.body.dataset.done = '1';
    `),
  );
}

type Win = Window & { client: { traceId(): string }; logged: string[] };

async function run(
  app: TestApp,
  page: import('@playwright/test').Page,
  script: string,
  count = 1,
): Promise<{ events: TelemetryEvent[]; traceId: string; logged: string[] }> {
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  await page.goto(recipePage(app, script));
  await page.locator('body[data-done="1"]').waitFor();
  const events = await app.waitForEvents((seen) => seen.length >= count);
  const [traceId, logged] = await page.evaluate(() => [(window as unknown as Win).client.traceId(), (window as unknown as Win).logged] as const);
  expect(pageErrors).toEqual([]);
  return { events, traceId, logged };
}

test('Vue: app.config.errorHandler reports the error with its component and where Vue met it', async ({ app, page }) => {
  const { events, traceId, logged } = await run(
    app,
    page,
    // What Vue's callWithErrorHandling does: catch, then call the app's handler with the instance and the info.
    `const handler = recipes.vueErrorHandler(client);
     try { renderCart(); } catch (error) { handler(error, { $options: { __name: 'CartSummary' } }, 'render function'); }`,
  );
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({
    event: 'client_error',
    level: 'error',
    service: 'framework-shop',
    trace_id: traceId,
    mechanism: 'vue.errorHandler',
    component: 'CartSummary',
    vue_info: 'render function',
    error: { type: 'TypeError', message: 'cart total is not a number', handled: true },
  });
  expect(events[0]!.error!.frames![0]).toMatchObject({ function: 'renderCart' });
  expect(logged).toEqual([expect.stringContaining('cart total is not a number')]);
});

test('SvelteKit: handleError reports unexpected errors with the route, and a missing page as a warning', async ({ app, page }) => {
  const { events, traceId } = await run(
    app,
    page,
    // What SvelteKit passes to the hooks.client handleError: the error, the navigation event, status and message.
    `const handleError = recipes.svelteKitErrorHandler(client);
     try { renderCart(); } catch (error) {
       handleError({ error, event: { url: new URL('/cart/7', location.href), params: { id: '7' }, route: { id: '/cart/[id]' } }, status: 500, message: 'Internal Error' });
     }
     handleError({ error: new Error('Not found: /nowhere'), event: { url: new URL('/nowhere', location.href), params: {}, route: { id: null } }, status: 404, message: 'Not Found' });
     const onerror = recipes.svelteBoundaryErrorHandler(client);
     try { renderCart(); } catch (error) { onerror(error, () => {}); }`,
    3,
  );
  expect(events).toHaveLength(3);
  expect(events[0]).toMatchObject({
    event: 'client_error',
    trace_id: traceId,
    mechanism: 'sveltekit.handleError',
    route: '/cart/[id]',
    status: 500,
    error: { type: 'TypeError', message: 'cart total is not a number', handled: true },
  });
  expect(events[1]).toMatchObject({ event: 'route_not_found', level: 'warn', path: '/nowhere', trace_id: traceId });
  expect(events[1]).not.toHaveProperty('error');
  expect(events[2]).toMatchObject({ event: 'client_error', mechanism: 'svelte.boundary', error: { type: 'TypeError' } });
});

test('Angular: the ErrorHandler reports errors, and the value inside a zone.js rejection wrapper', async ({ app, page }) => {
  const { events, traceId, logged } = await run(
    app,
    page,
    // Angular calls handleError with what it caught; zone.js wraps an unhandled rejection as below.
    `const handler = new recipes.TracebeamErrorHandler(client);
     try { renderCart(); } catch (error) { handler.handleError(error); }
     const rejected = new RangeError('quantity out of range');
     const wrapped = new Error('Uncaught (in promise): ' + rejected + '\\n' + rejected.stack);
     Object.assign(wrapped, { rejection: rejected, promise: {}, zone: {}, task: null });
     handler.handleError(wrapped);`,
    2,
  );
  expect(events).toHaveLength(2);
  expect(events[0]).toMatchObject({
    event: 'client_error',
    trace_id: traceId,
    mechanism: 'angular.ErrorHandler',
    promise_rejection: false,
    error: { type: 'TypeError', message: 'cart total is not a number', handled: true },
  });
  expect(events[1]).toMatchObject({
    event: 'client_error',
    mechanism: 'angular.ErrorHandler',
    promise_rejection: true,
    error: { type: 'RangeError', message: 'quantity out of range' },
  });
  expect(logged).toEqual([expect.stringMatching(/^ERROR TypeError/), expect.stringMatching(/^ERROR Error: Uncaught \(in promise\)/)]);
});
