import { test as base } from '@playwright/test';
import { IMPORT_MAP } from './http';
import { startTestApp, type TestApp } from './server';

/** Every test gets a fresh view of one app per worker: events and requests start empty. */
export const test = base.extend<{ app: TestApp }, { server: TestApp }>({
  server: [
    // Playwright reads a fixture's dependencies from an object pattern, and this one has none.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const app = await startTestApp();
      await use(app);
      await app.close();
    },
    { scope: 'worker' },
  ],
  app: async ({ server }, use) => {
    server.reset();
    await use(server);
  },
});

export { expect } from '@playwright/test';

/**
 * A page that loads the ESM build the way an app's bundler would resolve it, with an import map for
 * the package's own dependency, then runs `script` as a module.
 */
export function modulePage(script: string, head = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8">${head}
${IMPORT_MAP}
</head><body><h1>tracebeam test page</h1><button id="go">go</button><a id="away" href="/api/echo">away</a>
<script type="module">${script}</script></body></html>`;
}
