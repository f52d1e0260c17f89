// Multi-threaded WASM: on a host that sends COOP/COEP, and on one that does not (the service worker adds them).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { openApp } from '../../scripts/browser/app.mjs';
import { DEMO, DIST, LINEAR, cliMeasure, expect, expectNoPageProblems, freshProfile, measureLikeTheCli, test } from './fixtures.ts';
import { serveStatic, type StaticServer } from '../../scripts/browser/server.mjs';

const badgeText = async (page: Page) => ((await page.locator('.badge').textContent()) ?? '').replace(/\s+/g, ' ');

test.describe('WASM threads: the multi-threaded build, same numbers as the CLI', () => {
  const browser = freshProfile();

  test('?threads=2: the badge says 2 threads, AAC + LR equal the CLI', async ({ server }) => {
    test.setTimeout(120_000);
    // the test server sends COOP/COEP, so the page is cross-origin isolated and tfjs takes its threaded
    // build; on a 2-core machine it would pick 1 thread (it halves the core count), ?threads=2 asks for 2
    const { page, problems } = await openApp(browser.context, server.url, '?demo=0&backend=wasm&threads=2');
    await page.locator('[data-backend="wasm"]').waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => self.crossOriginIsolated), 'the test page is cross-origin isolated').toBe(true);
    const badge = await badgeText(page);
    expect(badge, `badge: ${badge}`).toMatch(/SIMD, 2 threads/);
    await measureLikeTheCli(page, LINEAR, await readFile(path.join(DEMO, LINEAR)), cliMeasure([path.join(DEMO, LINEAR)]), 'wasm');
    expectNoPageProblems(problems, 'WASM threads page');
  });
});

test.describe('Host without COOP/COEP (GitHub Pages): the service worker isolates the page from the second visit', () => {
  const browser = freshProfile();
  let plain: StaticServer;

  test.beforeAll(async () => {
    plain = await serveStatic(DIST, { isolation: false });
  });
  test.afterAll(async () => {
    await plain?.close();
  });

  test('first visit: 1 thread, and the badge says why; after a reload: isolated, 2 threads, same numbers as the CLI', async () => {
    test.setTimeout(180_000);
    const { page, problems } = await openApp(browser.context, plain.url, '?demo=0&backend=wasm&threads=2');
    await page.locator('[data-backend="wasm"]').waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => self.crossOriginIsolated), 'no headers, no service worker yet: not isolated').toBe(false);
    expect(await badgeText(page)).toMatch(/1 thread \(page not cross-origin isolated\)/);
    await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 60_000 });
    await page.reload();
    await page.locator('[data-backend="wasm"]').waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => self.crossOriginIsolated), 'the service worker added COOP/COEP').toBe(true);
    expect(await badgeText(page)).toMatch(/SIMD, 2 threads/);
    await measureLikeTheCli(page, LINEAR, await readFile(path.join(DEMO, LINEAR)), cliMeasure([path.join(DEMO, LINEAR)]), 'wasm');
    expectNoPageProblems(problems, 'page on a host without COOP/COEP');
  });
});
