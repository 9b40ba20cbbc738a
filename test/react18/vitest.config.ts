/**
 * The react entry's unit tests once more, against React 18 (a project of the root vitest.config.ts).
 * React 18 is installed in this folder, apart from the root's React 19 (react-dom 18's peer range
 * forbids it beside react 19), and every `react`, `react-dom` and `react/jsx-runtime` import of the
 * run resolves here: the tests, the SDK and react-dom's own `require('react')` all meet the one
 * copy in test/react18/node_modules.
 */
import { readFileSync } from 'node:fs';
import { defineProject } from 'vitest/config';

const here = new URL('.', import.meta.url).pathname;
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export default defineProject({
  define: { __VERSION__: JSON.stringify(version), __DEV__: true },
  resolve: { alias: [{ find: /^(react|react-dom)(\/.*)?$/, replacement: `${here}node_modules/$1$2` }] },
  test: {
    name: 'react18',
    // A project's root is its config's folder; its tests live in the repository's test/unit/react.
    dir: new URL('../..', import.meta.url).pathname,
    include: ['test/unit/react/**/*.test.{ts,tsx}'],
    // React 19's root error callbacks have nothing to test under React 18.
    exclude: ['**/node_modules/**', '**/*.react19.test.*'],
    environment: 'node',
    restoreMocks: true,
    testTimeout: 10_000,
    // Installs React 18 here on a fresh clone (a no-op once installed).
    globalSetup: [`${here}global-setup.ts`],
    setupFiles: [new URL('../unit/isolate-storage.ts', import.meta.url).pathname],
  },
});
