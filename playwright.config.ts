import { defineConfig } from '@playwright/test';
// @ts-expect-error: a plain .mjs helper shared with the test runner script
import { CHROMIUM_ARGS, findChromium, HOW_TO_GET_ONE } from './scripts/chromium.mjs';

const executablePath: string | undefined = findChromium();
if (!executablePath) throw new Error(HOW_TO_GET_ONE);

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 2,
  retries: 0,
  timeout: 30_000,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    headless: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath,
      args: CHROMIUM_ARGS,
    },
  },
});
