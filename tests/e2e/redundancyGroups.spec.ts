// Redundancy groups in the results table: the cell (data-measure="redundancyGroups") equals the CLI's
// extras.redundancyGroups on the same file (real MobileNetV2 features, which have groups and dead dims).
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { chooseMeasures, dropFiles, imageStats, openApp, runButton, valueCell, waitForFileStatus } from '../../scripts/browser/app.mjs';
import { expect, expectNoPageProblems, freshProfile, test, chartReady } from './fixtures.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FILE = 'mnist1200_mobilenetv2_dense256_f16.npy';

test.describe('redundancy groups', () => {
  test.describe.configure({ mode: 'serial' });
  const browser = freshProfile();
  let page: Page;
  let problems: string[];
  let groups: { count: number; dimsInGroups: number; shareOfDims: number; groups: { dims: number[] }[] };

  test.beforeAll(async ({ server }) => {
    ({ page, problems } = await openApp(browser.context, server.url, '?demo=0&backend=wasm'));
  });

  test('the Groups cell equals the CLI --json count, with the share of dims', async () => {
    test.setTimeout(240_000);
    const file = path.join(ROOT, 'tests/fixtures/real', FILE);
    const json = JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'bin/redundancy-lab.mjs'), 'measure', file, '--json', '--measures', 'aac'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 }));
    groups = json.extras.redundancyGroups;
    expect(groups.count).toBeGreaterThan(0);
    await dropFiles(page, [{ name: FILE, bytes: await readFile(file) }]);
    await waitForFileStatus(page, FILE, ['ready']);
    await chooseMeasures(page, ['aac', 'lr']);
    await runButton(page).click();
    expect(await valueCell(page, FILE, 'redundancyGroups', 200_000)).toBe(groups.count);
    const cell = page.locator(`td[data-file="${FILE}"][data-measure="redundancyGroups"]`);
    expect(((await cell.textContent()) ?? '').trim()).toBe(`${groups.count}${(100 * groups.shareOfDims).toFixed(0)}%`);
    expect(await cell.getByTestId('groups-share').textContent()).toBe(`${(100 * groups.shareOfDims).toFixed(0)}%`);
    expect(await cell.getAttribute('title')).toContain(`${groups.dimsInGroups} of ${json.d} dims in them`);
    expectNoPageProblems(problems, 'redundancy groups');
  });

  test('the groups chart renders, says what it shows, and exports PNG, SVG and CSV (one row per group)', async () => {
    test.setTimeout(90_000);
    const card = page.locator('figure[data-chart="redundancy-groups"]');
    await chartReady(page, 'redundancy-groups', 60_000);
    const caption = (await card.locator('.caption').first().textContent()) ?? '';
    expect(caption).toContain(`${groups.count} groups hold ${groups.dimsInGroups} of 256 dims`);
    expect(caption).toMatch(/mean \|r\| ≥ 0\.\d{3} \(average linkage on 1 − \|r\|\)/);
    const stem = FILE.replace(/\.npy$/, '');
    const [png] = await Promise.all([page.waitForEvent('download'), card.locator('[data-export="png-2x"]').click()]);
    expect(png.suggestedFilename()).toBe(`${stem}-redundancy-groups@2x.png`);
    const stats = await imageStats(page, await readFile(await png.path()));
    expect(stats.nonWhiteFraction).toBeGreaterThan(0.01);
    const [svg] = await Promise.all([page.waitForEvent('download'), card.locator('[data-export="svg"]').click()]);
    expect(svg.suggestedFilename()).toBe(`${stem}-redundancy-groups.svg`);
    expect(await readFile(await svg.path(), 'utf8')).toContain('<svg');
    const [csv] = await Promise.all([page.waitForEvent('download'), card.locator('[data-export="csv"]').click()]);
    const lines = (await readFile(await csv.path(), 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('group,size,mean |r|,mean |partial r|,partial-r links inside,mean LR of its dims,mean NLR of its dims,dims');
    expect(lines.length).toBe(groups.count + 1);
    expect(lines[1].split(',').at(-1)).toBe(groups.groups[0].dims.join(' '));
    expectNoPageProblems(problems, 'groups chart');
  });

  test('the |partial r| heatmap renders beside the |r| one, in the same cluster order, and exports CSV', async () => {
    test.setTimeout(60_000);
    await chartReady(page, 'partial-correlation-heatmap', 30_000);
    await page.getByLabel('heatmap in cluster order').check();
    const card = page.locator('figure[data-chart="partial-correlation-heatmap-clustered"]');
    await chartReady(page, 'partial-correlation-heatmap-clustered', 30_000);
    expect((await card.locator('.caption').first().textContent()) ?? '').toMatch(/\|r\| heatmap’s cluster order.*P the inverse of the correlation matrix/);
    // the same order as the |r| heatmap: the hover's original dims along the first row agree
    const firstRow = (chart: string) =>
      page.locator(`figure[data-chart="${chart}"] .js-plotly-plot`).evaluate((el) => ((el as unknown as { data: { customdata: number[][][] }[] }).data[0].customdata[0] ?? []).map((c) => c[1]));
    expect(await firstRow('partial-correlation-heatmap-clustered')).toEqual(await firstRow('correlation-heatmap-clustered'));
    const [csv] = await Promise.all([page.waitForEvent('download'), card.locator('[data-export="csv"]').click()]);
    expect((await readFile(await csv.path(), 'utf8')).split('\n')[0]).toBe('dim_row_from,dim_row_to,dim_col_from,dim_col_to,mean_abs_partial_r');
    await page.getByLabel('heatmap in cluster order').uncheck();
    expectNoPageProblems(problems, 'partial heatmap');
  });
});
