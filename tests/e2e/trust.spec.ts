// Numbers a researcher can trust, seen in the page: pure noise at D/N_train = 0.9 is flagged as reading at the
// null, a linear-factor set at the same D/N is not; every warned cell carries data-warning and an icon, the notes
// under the table say why, and the LR null / LR adj. cells are there.
import { chooseMeasures, dropFiles, openApp, runButton, valueCell, waitForFileStatus } from '../../scripts/browser/app.mjs';
import { expect, freshProfile, normals, npyFilled, test } from './fixtures.ts';

test.describe('Trust: warnings, null baseline and population estimate in the table', () => {
  const browser = freshProfile();
  const rows = 267; // 200 train rows
  const cols = 180; // D/N_train = 0.9

  test('noise reads as noise (lr-at-null), a linear-factor set at the same D/N does not; both say D/N is high', async ({ server }) => {
    test.setTimeout(180_000);
    const { page } = await openApp(browser.context, server.url, '?demo=0&backend=wasm');
    const n1 = normals(1);
    const noise = npyFilled(rows, cols, () => n1());
    const n2 = normals(2);
    const w = Array.from({ length: cols * 32 }, () => n2());
    const factors = Array.from({ length: rows }, () => Array.from({ length: 32 }, () => n2()));
    const linear = npyFilled(rows, cols, (r, c) => factors[r].reduce((s, f, k) => s + f * w[c * 32 + k], 0) + 0.5 * n2());

    await dropFiles(page, [
      { name: 'noise.npy', bytes: noise },
      { name: 'linear.npy', bytes: linear },
    ]);
    await waitForFileStatus(page, 'noise.npy', ['ready']);
    await waitForFileStatus(page, 'linear.npy', ['ready']);
    await chooseMeasures(page, ['aac', 'lr']);
    await runButton(page).click();
    for (const name of ['noise.npy', 'linear.npy']) await valueCell(page, name, 'lr', 120_000);
    await page.locator('td[data-file="linear.npy"][data-measure="lrNull"]').waitFor({ timeout: 120_000 });

    const warningOf = (file: string, measure: string) => page.locator(`td[data-file="${file}"][data-measure="${measure}"]`).getAttribute('data-warning');
    const noiseLr = await warningOf('noise.npy', 'lr');
    expect(noiseLr ?? '', `noise LR cell: ${noiseLr}`).toMatch(/\blr-at-null\b/);
    // the D/N regime is context (severity info): said once per file in the notes, never on a cell
    expect(noiseLr ?? '').not.toMatch(/high-d-over-n/);
    const linearLr = await warningOf('linear.npy', 'lr');
    expect(linearLr ?? '', `linear LR cell: ${linearLr}`).not.toMatch(/lr-at-null|high-d-over-n/);
    for (const file of ['noise.npy', 'linear.npy']) {
      const regime = page.locator(`[data-testid="result-notes"] li[data-note-file="${file}"][data-warning="high-d-over-n"]`);
      await expect(regime).toHaveCount(1);
      await expect(regime).toHaveAttribute('data-severity', 'info');
    }
    // the icon is on the cell; the reason is in the notes under the table
    expect(await page.locator('td[data-file="noise.npy"][data-measure="lr"] .warn-icon').count()).toBe(1);
    const note = page.locator('[data-testid="result-notes"] li[data-note-file="noise.npy"][data-warning="lr-at-null"]');
    expect(await note.textContent()).toMatch(/within the null band/);

    const lr = (await valueCell(page, 'noise.npy', 'lr'))!;
    const lrNull = (await valueCell(page, 'noise.npy', 'lrNull'))!;
    const adjusted = (await valueCell(page, 'linear.npy', 'lrAdjusted'))!;
    const linearLrValue = (await valueCell(page, 'linear.npy', 'lr'))!;
    expect(lrNull < -1 && lr < -1, `noise at D/N 0.9 reads far below 0: LR ${lr}, LR null ${lrNull}`).toBe(true);
    expect(adjusted, `the population estimate (${adjusted}) is above the biased held-out LR (${linearLrValue})`).toBeGreaterThan(linearLrValue);
  });
});
