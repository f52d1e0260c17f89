// A study: four MobileNetV2 layers with their MNIST labels → probe accuracy per model, measure vs accuracy,
// exports, split-resampling intervals, and an accuracy typed by the user.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { chooseMeasures, dropFiles, imageStats, openApp, runButton, screenshot, waitForFileStatus } from '../../scripts/browser/app.mjs';
import { DEMO, SHOTS, chartsSettled, expect, expectNoPageProblems, freshProfile, test, chartReady } from './fixtures.ts';
import { pngInfo } from './png.ts';

const manifest = JSON.parse(readFileSync(path.join(DEMO, 'manifest.json'), 'utf8')) as { files: { file: string; role: string }[] };
const models = manifest.files.filter((f) => f.role === 'embedding' && f.file.startsWith('mnist-')).map((f) => f.file);

test.describe('Study: four models with labels, probe accuracy, measure vs accuracy', () => {
  test.describe.configure({ mode: 'serial' });
  const browser = freshProfile();
  let page: Page;
  let problems: string[];

  test.beforeAll(async ({ server }) => {
    expect(models.length, `the demo has ${models.length} MNIST models`).toBeGreaterThanOrEqual(4);
    ({ page, problems } = await openApp(browser.context, server.url, '?demo=0&backend=wasm'));
  });

  test('drop 4 models (npz with labels), run AAC + LR + probe, see the study', async () => {
    test.setTimeout(400_000);
    await dropFiles(page, await Promise.all(models.map(async (name) => ({ name, bytes: await readFile(path.join(DEMO, name)) }))));
    for (const name of models) await waitForFileStatus(page, name, ['ready']);
    await chooseMeasures(page, ['aac', 'lr']);
    expect(await page.getByRole('checkbox', { name: 'Linear probe' }).isChecked(), 'the probe is on by default').toBe(true);
    await runButton(page).click();
    await page.locator('[data-testid="study-table"]').waitFor({ timeout: 300_000 });
    for (const name of models) {
      const cell = page.locator(`td[data-file="${name}"][data-measure="probe-accuracy"]:not([data-value=""])`);
      await cell.waitFor({ timeout: 300_000 });
      const acc = Number(await cell.getAttribute('data-value'));
      // 10 MNIST digit classes: chance is 10%; pretrained MobileNetV2 features separate them far better
      expect(acc, `${name}: probe accuracy ${acc}`).toBeGreaterThan(0.5);
      expect(acc, `${name}: probe accuracy ${acc}`).toBeLessThanOrEqual(1);
      expect(await page.locator(`[data-testid="study-table"] tr[data-file="${name}"]`).count()).toBe(1);
    }
    // the spread over dims is named so (not "± sd", which reads as an uncertainty)
    const table = page.locator('[data-testid="study-table"]');
    await expect(table.locator('th', { hasText: /^LR \(sd over dims\)$/ })).toHaveCount(1);
    expect(await table.textContent()).not.toContain('±');
    await chartReady(page, 'lr-vs-accuracy', 60_000);
    const caption = await page.locator('figure[data-chart="lr-vs-accuracy"]').textContent();
    expect(caption, 'r with its bootstrap CI').toMatch(/Pearson r = -?\d\.\d{3}, 95% bootstrap CI \[/);
    await chartReady(page, 'measures-vs-layer', 30_000);
    await chartReady(page, 'aac-vs-lr', 30_000);
    await chartsSettled(page);
    await screenshot(page, SHOTS, '05-study');
  });

  test('export the measure-vs-accuracy chart (PNG) and the study table (CSV); split CI; typed accuracy', async () => {
    test.setTimeout(300_000);
    const card = page.locator('figure[data-chart="lr-vs-accuracy"]');
    const [download] = await Promise.all([page.waitForEvent('download'), card.locator('[data-export="png-2x"]').click()]);
    expect(download.suggestedFilename()).toBe('study-lr-vs-accuracy@2x.png');
    const bytes = await readFile(await download.path());
    pngInfo(bytes);
    const stats = await imageStats(page, bytes);
    expect(stats.nonWhiteFraction > 0.005 && stats.colours >= 3, 'the PNG has a drawn chart').toBe(true);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Study as CSV' }).click()]);
    const lines = (await readFile(await csv.path(), 'utf8')).trim().split('\n');
    expect(lines.length).toBe(1 + models.length);
    expect(lines[0]).toMatch(/accuracy/);
    // a split-resampling interval per model (k = 3 re-drawn splits)
    await page.getByRole('spinbutton', { name: 'Number of splits' }).fill('3');
    await page.getByRole('button', { name: 'Split CI' }).click();
    for (const name of models) {
      const cell = page.locator(`td[data-file="${name}"][data-measure="lr-split-ci"]:not([data-value=""])`);
      await cell.waitFor({ timeout: 240_000 });
      const [lo, hi] = ((await cell.getAttribute('data-value')) ?? '').split(',').map(Number);
      expect(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi, `${name}: split CI [${lo}, ${hi}]`).toBe(true);
    }
    // an accuracy typed by the user overrides the probe's, and says so
    const input = page.getByRole('textbox', { name: `Accuracy of ${models[0]} in percent (overrides the probe)` });
    await input.fill('12.5');
    await page.locator(`td[data-file="${models[0]}"][data-measure="probe-accuracy"][data-source="user"]`).waitFor({ timeout: 5_000 });
    expectNoPageProblems(problems, 'study page');
  });
});
