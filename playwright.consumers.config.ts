import { defineConfig } from '@playwright/test';
// @ts-expect-error: a plain .mjs helper shared with the test runner script
import { findChromium, HOW_TO_GET_ONE } from './scripts/chromium.mjs';

const executablePath: string | undefined = findChromium();
if (!executablePath) throw new Error(HOW_TO_GET_ONE);

export default defineConfig({
  testDir: 'test/consumers',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // Each app installs from the registry and builds for production before its tests.
  timeout: 60_000,
  reporter: [['list'], ['json', { outputFile: 'test-results/consumers.json' }]],
  use: {
    headless: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath,
      // Without the background-networking flags Chromium keeps dialling out, and this network is closed.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
});
