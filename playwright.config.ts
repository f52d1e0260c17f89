// End-to-end tests of the built app (dist/) in Debian's Chromium. `npm run test:e2e` builds first.
// Never downloads a browser: /usr/bin/chromium (apt) is launched by path; see shared/browser.md.
import { defineConfig } from '@playwright/test';
import { CONTEXT_OPTIONS, LAUNCH_OPTIONS } from './scripts/browser/app.mjs';

process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '*.spec.ts',
  outputDir: 'tests/e2e/artifacts',
  globalSetup: './tests/e2e/global-setup.ts',
  // the machine has 2 cores and one tab of the app keeps them busy: one test at a time, in file order
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: true,
  reporter: 'list',
  // each test sets its own limit (test.setTimeout); this one covers hooks (launching a browser, opening the app)
  timeout: 60_000,
  globalTimeout: 45 * 60_000,
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: LAUNCH_OPTIONS,
    ...CONTEXT_OPTIONS,
    // waits without an explicit timeout get playwright-core's default, as before
    actionTimeout: 30_000,
    navigationTimeout: 30_000,
    trace: 'off',
    screenshot: 'off',
    video: 'off',
  },
});
