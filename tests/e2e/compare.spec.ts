// Compare layers in the app (issue 18): the files with the same rows are offered, one with other rows is left out
// and named, linear CKA between the ticked ones equals `redundancy-lab compare --json` on the same files, the
// heatmap renders and exports (PNG, SVG, CSV) saying what it shows.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { openApp, screenshot } from '../../scripts/browser/app.mjs';
import { DEMO, ROOT, SHOTS, expect, freshProfile, npyFilled, normals, test, waitForRunIdle } from './fixtures.ts';

const LAYERS = ['mnist-mobilenetv2-layer2-block16.npz', 'mnist-mobilenetv2-layer4-dense.npz'];

test.describe('Compare representations: linear CKA in the app', () => {
  const browser = freshProfile();

  test('two layers of the same 2,000 digits: CKA equals the CLI; a 500-row file is left out; the heatmap exports', async ({ server }) => {
    test.setTimeout(240_000);
    const cli = JSON.parse(execFileSync('node', [path.join(ROOT, 'bin/redundancy-lab.mjs'), 'compare', ...LAYERS.map((f) => path.join(DEMO, f)), '--array', 'features', '--json'], { encoding: 'utf8' })) as {
      linearCka: number[][];
      linearCkaDebiased: number[][];
    };
    const { page } = await openApp(browser.context, server.url, '?demo=0&backend=wasm');
    const z = normals(3);
    const other = { name: 'other-500x16.npy', mimeType: 'application/octet-stream', buffer: npyFilled(500, 16, () => z()) };
    const layers = await Promise.all(LAYERS.map(async (name) => ({ name, mimeType: 'application/octet-stream', buffer: await readFile(path.join(DEMO, name)) })));
    await page.getByTestId('file-input').setInputFiles([...layers, other]);
    const panel = page.getByTestId('compare');
    await expect(panel).toBeVisible({ timeout: 30_000 });
    for (const name of LAYERS) await expect(panel.locator(`input[data-compare-file="${name}"]`)).toBeChecked();
    await expect(page.getByTestId('compare-left-out')).toContainText('other-500x16.npy (500 rows');
    await page.getByTestId('compare-run').click();
    await waitForRunIdle(page, 120_000);
    const figure = page.locator('figure[data-chart="cka"][data-status="ready"]');
    await figure.waitFor({ timeout: 60_000 });
    await expect(figure).toContainText('linear CKA');
    const shown = await page.evaluate(() => (window as unknown as { redundancyLab: { stores: { compare: { result: { linearCka: number[][]; linearCkaDebiased: number[][] } } } } }).redundancyLab.stores.compare.result);
    expect(shown.linearCka[0][1]).toBeCloseTo(cli.linearCka[0][1], 12);
    expect(shown.linearCkaDebiased[0][1]).toBeCloseTo(cli.linearCkaDebiased[0][1], 12);
    expect(shown.linearCka[0][1]).toBeGreaterThan(0.2);

    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, SHOTS, 'compare-cka');

    // the exports say what they show
    const card = page.locator('figure[data-chart="cka"]');
    const [csv] = await Promise.all([page.waitForEvent('download'), card.locator('[data-export="csv"]').click()]);
    const text = await readFile(await csv.path(), 'utf8');
    expect(text.split('\n')[0]).toContain('linear_cka');
    expect(text).toContain(`${LAYERS[0]} › features`);
    const [svg] = await Promise.all([page.waitForEvent('download'), card.locator('[data-export="svg"]').click()]);
    expect(await readFile(await svg.path(), 'utf8')).toContain('<svg');
    const [png] = await Promise.all([page.waitForEvent('download'), card.locator('[data-export^="png"]').first().click()]);
    const bytes = await readFile(await png.path());
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');

    // un-ticking one leaves one: nothing to compare; the result is marked as for another selection
    await panel.locator(`input[data-compare-file="${LAYERS[1]}"]`).uncheck();
    await expect(page.getByTestId('compare-run')).toBeDisabled();
    await expect(page.getByTestId('compare-stale')).toBeVisible();
  });
});
