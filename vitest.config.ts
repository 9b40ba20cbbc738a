import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  define: { __VERSION__: JSON.stringify(version), __DEV__: true },
  test: {
    include: ['test/unit/**/*.test.{ts,tsx}'],
    setupFiles: ['test/unit/isolate-storage.ts'],
    environment: 'node',
    restoreMocks: true,
    testTimeout: 10_000,
    // Every unit test, then the react entry's once more against React 18.
    projects: [{ extends: true, test: { name: 'unit' } }, 'test/react18/vitest.config.ts'],
  },
});
