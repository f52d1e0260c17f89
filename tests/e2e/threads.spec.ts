// Multi-threaded WASM: on a host that sends COOP/COEP, and on one that does not (the service worker adds them).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { openApp } from '../../scripts/browser/app.mjs';
import { DEMO, DIST, LINEAR, cliMeasure, expect, expectNoPageProblems, freshProfile, measureLikeTheCli, normals, npyFilled, test } from './fixtures.ts';
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
    // the float64 kernel (LR's D×D inverses) runs on 2 nested helper threads too, numbers bitwise those of 1
    await expect(page.locator('[data-float64-threads]')).toHaveAttribute('data-float64-threads', '2');
    expect(badge).toMatch(/float64 step: WASM SIMD, 2 threads/);
    await measureLikeTheCli(page, LINEAR, await readFile(path.join(DEMO, LINEAR)), cliMeasure([path.join(DEMO, LINEAR)]), 'wasm');
    // 1,200 × 96: the Gram and inverses are large enough (≥ 2^23 flop per block) that the helper threads take
    // strips; the page (2 threads) must equal the CLI, and neither may hang
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rl-threads-'));
    try {
      const z = normals(7);
      const factors = Array.from({ length: 1200 }, () => Array.from({ length: 24 }, () => z()));
      const w = Array.from({ length: 96 * 24 }, () => z());
      const bytes = npyFilled(1200, 96, (r, c) => Math.max(0, factors[r].reduce((s, f, k) => s + f * w[c * 24 + k], 0)) + 0.3 * z());
      const file = path.join(dir, 'threaded-96.npy');
      await writeFile(file, bytes);
      await measureLikeTheCli(page, 'threaded-96.npy', bytes, cliMeasure([file]), 'wasm');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
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
    await expect(page.locator('[data-float64-threads]')).toHaveAttribute('data-float64-threads', '1');
    await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 60_000 });
    await page.reload();
    await page.locator('[data-backend="wasm"]').waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => self.crossOriginIsolated), 'the service worker added COOP/COEP').toBe(true);
    expect(await badgeText(page)).toMatch(/SIMD, 2 threads/);
    await expect(page.locator('[data-float64-threads]')).toHaveAttribute('data-float64-threads', '2');
    await measureLikeTheCli(page, LINEAR, await readFile(path.join(DEMO, LINEAR)), cliMeasure([path.join(DEMO, LINEAR)]), 'wasm');
    expectNoPageProblems(problems, 'page on a host without COOP/COEP');
  });
});
