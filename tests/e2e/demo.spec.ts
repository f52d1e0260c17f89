// First open: the demo files load and run by themselves (Quick preset): AAC + LR + probe for all, then NLR.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openApp, screenshot, valueCell } from '../../scripts/browser/app.mjs';
import { DEMO, SHOTS, chartsSettled, expect, expectNoPageProblems, freshProfile, test, waitForRunIdle, chartReady } from './fixtures.ts';

test.describe('First open: the demo loads and runs by itself', () => {
  const browser = freshProfile();

  test('demo files appear: AAC + LR + probe for all first, then NLR (Quick preset)', async ({ server }) => {
    test.setTimeout(560_000);
    const { page, problems } = await openApp(browser.context, server.url, '');
    const manifest = JSON.parse(readFileSync(path.join(DEMO, 'manifest.json'), 'utf8')) as { files: { file: string; role: string }[] };
    const names = manifest.files.filter((f) => f.role === 'embedding').map((f) => f.file);
    for (const name of names) {
      const v = await valueCell(page, name, 'lr', 280_000);
      expect(v !== null && Number.isFinite(v), `${name}: LR ${v}`).toBe(true);
    }
    await chartReady(page, 'correlation-heatmap', 60_000);
    await chartReady(page, 'measures-by-file', 60_000);
    // the demo is also a real study: MobileNetV2 layers with their labels → probe accuracy per layer
    await page.locator('[data-testid="study-table"]').waitFor({ timeout: 60_000 });
    for (const name of names.filter((n) => n.startsWith('mnist-'))) {
      const cell = page.locator(`td[data-file="${name}"][data-measure="probe-accuracy"]:not([data-value=""])`);
      await cell.waitFor({ timeout: 120_000 });
      expect(Number(await cell.getAttribute('data-value')), `${name}: demo probe accuracy`).toBeGreaterThan(0.5);
    }
    await chartReady(page, 'lr-vs-accuracy', 60_000);
    // then NLR follows for every file; the non-linear set is the paper's point: NLR finds what LR cannot
    // (the last file of the demo's order last: the small synthetic sets come first, see manifest.json)
    for (const name of ['synthetic-nonlinear.npy', names.at(-1)!]) {
      await page.locator(`td[data-file="${name}"][data-measure="nlr"]:not([data-value=""])`).waitFor({ timeout: 400_000 });
    }
    await waitForRunIdle(page, 60_000);
    await chartsSettled(page);
    await screenshot(page, SHOTS, '02-demo-results');
    await page.screenshot({ path: path.join(SHOTS, '02-demo-viewport.png') }); // what a newcomer sees first (docs/screenshot.png)
    const nlrNonlinear = (await valueCell(page, 'synthetic-nonlinear.npy', 'nlr'))!;
    const lrNonlinear = (await valueCell(page, 'synthetic-nonlinear.npy', 'lr'))!;
    console.log(`    synthetic-nonlinear: LR ${lrNonlinear}, NLR ${nlrNonlinear}`);
    const products = `products of dims: LR ≈ 0 but NLR clearly higher (LR ${lrNonlinear}, NLR ${nlrNonlinear})`;
    expect(Math.abs(lrNonlinear), products).toBeLessThan(0.1);
    expect(nlrNonlinear, products).toBeGreaterThan(lrNonlinear + 0.3);
    // the 1,280-d layer: held-out LR below 0 is flagged (D/N_train ≈ 0.6, dims below −1), with the null beside it
    const pool = 'mnist-mobilenetv2-layer3-pool.npz';
    // the D/N regime is context: one info note for the file, not a mark on its cells
    const regime = page.locator(`[data-testid="result-notes"] li[data-note-file="${pool}"][data-warning="high-d-over-n"]`);
    await expect(regime).toHaveAttribute('data-severity', 'info');
    const poolWarnings = await page.locator(`td[data-file="${pool}"][data-measure="lr"]`).getAttribute('data-warning');
    expect(poolWarnings ?? '', `${pool} LR cell: ${poolWarnings}`).not.toMatch(/high-d-over-n/);
    const poolNull = (await valueCell(page, pool, 'lrNull'))!;
    expect(poolNull, `${pool}: LR above its null (${poolNull})`).toBeLessThan((await valueCell(page, pool, 'lr'))!);
    expect(await page.locator(`li[data-file="${pool}"]`).first().textContent()).toMatch(/held-out LR is negative here/);
    expectNoPageProblems(problems, 'demo page');
  });
});
