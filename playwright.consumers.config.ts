import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// The consumer apps, in the same Chromium as the browser tests, one at a time.
export default defineConfig({
  testDir: 'test/consumers',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // Each app installs from the registry and builds for production before its tests.
  timeout: 60_000,
  reporter: [['list'], ['json', { outputFile: 'test-results/consumers.json' }]],
  use: base.use,
});
