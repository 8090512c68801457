// End-to-end tests of the editor in Debian's headless Chromium (never a downloaded browser), against
// the real `netwright serve` started by the fixture in test/e2e/support/fixtures.ts.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH } from './test/e2e/support/chromium.ts';

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  // Two shared cores: one worker keeps the engine's training runs from starving each other.
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: [['list']],
  use: {
    viewport: { width: 1440, height: 900 },
    actionTimeout: 15_000,
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: CHROMIUM_LAUNCH,
  },
});
