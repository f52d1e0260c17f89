// A study of models that did not see the same samples (1,200 and 700 rows): the study says so, naming each file
// and its N, instead of plotting them on one axis as if they compared.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chooseMeasures, dropFiles, openApp, runButton, waitForFileStatus } from '../../scripts/browser/app.mjs';
import { SHOTS, expect, expectNoPageProblems, freshProfile, test } from './fixtures.ts';

const REAL = path.resolve('tests/fixtures/real');

test.describe('Study scoping: the N check', () => {
  const browser = freshProfile();

  test('two models of different N: a n-mismatch note names each file and its N; unticking one leaves it out', async ({ server }) => {
    test.setTimeout(300_000);
    const { page, problems } = await openApp(browser.context, server.url, '?demo=0&backend=wasm');
    const files = { 'a_1200.npy': 'mnist1200_mobilenetv2_dense256_f16.npy', 'b_700.npy': 'mnist700_mobilenetv2_block13_576_f16.npy' };
    await dropFiles(page, await Promise.all(Object.entries(files).map(async ([name, f]) => ({ name, bytes: await readFile(path.join(REAL, f)) }))));
    for (const name of Object.keys(files)) await waitForFileStatus(page, name, ['ready']);
    await chooseMeasures(page, ['aac']);
    await runButton(page).click();
    await page.locator('[data-testid="study-table"] td[data-file="b_700.npy"][data-measure="study-lr"]').waitFor({ timeout: 240_000 });
    const note = page.locator('[data-testid="study-notes"] li[data-warning="n-mismatch"]');
    await expect(note).toHaveCount(1, { timeout: 60_000 });
    await expect(note).toContainText('The models do not share N (a_1200.npy: N = 1200, b_700.npy: N = 700)');
    // the split-interval marks are not set by it
    expect(await page.locator('[data-testid="study-table"] [data-warning="split-ci-wide"]').count()).toBe(0);
    // include/exclude: unticking the 700-row model leaves it listed but out of the study, and the note goes
    await page.getByRole('checkbox', { name: 'Include b_700.npy in the study' }).uncheck();
    await expect(page.locator('#study-heading')).toHaveText('Study: 1 of 2 models');
    await expect(page.locator('[data-testid="study-table"] tr[data-file="b_700.npy"]')).toHaveAttribute('data-in-study', 'no');
    await expect(note).toHaveCount(0);
    await page.getByRole('checkbox', { name: 'Include b_700.npy in the study' }).check();
    await expect(page.locator('#study-heading')).toHaveText('Study: 2 models');
    await expect(note).toHaveCount(1);
    await page.getByRole('checkbox', { name: 'Include a_1200.npy in the study' }).uncheck();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.locator('section.study').screenshot({ path: path.join(SHOTS, 'study-n-mismatch.png') });
    expectNoPageProblems(problems, 'study of mixed N');
  });

  test('names of two schemes (proj, layer): one scheme on the tag axis, the other file left off and named; the user can switch', async ({ server }) => {
    test.setTimeout(300_000);
    for (const p of browser.context.pages()) await p.close();
    const { page } = await openApp(browser.context, server.url, '?demo=0&backend=wasm');
    const bytes = await readFile(path.join(REAL, 'mnist1200_mobilenetv2_dense256_f16.npy'));
    const names = ['vit_small_proj1.npy', 'vit_small_proj2.npy', 'layer1.npy'];
    await dropFiles(page, names.map((name) => ({ name, bytes })));
    for (const name of names) await waitForFileStatus(page, name, ['ready']);
    await chooseMeasures(page, ['aac']);
    await runButton(page).click();
    await page.locator('[data-testid="study-table"] td[data-file="layer1.npy"][data-measure="study-aac"]').waitFor({ timeout: 240_000 });
    const note = page.getByTestId('tag-left-off');
    await expect(note).toContainText('Left off the proj axis (their names use another number): layer1.npy (layer = 1)');
    await expect(page.locator('[data-testid="study-table"] thead th').nth(2)).toHaveText('proj');
    await expect(page.locator('[data-testid="study-table"] tr[data-file="layer1.npy"] td').nth(1)).toHaveText('—');
    await page.getByTestId('tag-scheme').selectOption('layer');
    await expect(page.locator('[data-testid="study-table"] thead th').nth(2)).toHaveText('layer');
    await expect(page.locator('[data-testid="study-table"] tr[data-file="layer1.npy"] td').nth(1)).toHaveText('1');
    await expect(note).toContainText('vit_small_proj1.npy (proj = 1), vit_small_proj2.npy (proj = 2)');
  });

  test('each model with its own labels, one with its rows shuffled: a labels-mismatch note names it and says why', async ({ server }) => {
    test.setTimeout(300_000);
    for (const p of browser.context.pages()) await p.close();
    const dir = mkdtempSync(path.join(tmpdir(), 'rl-labels-'));
    // written by NumPy: a and c in the data's order, b with rows and labels permuted together (a shuffled data loader)
    execFileSync('/usr/bin/python3', ['-c', [
      'import numpy as np, sys',
      `r = ${JSON.stringify(REAL)}`,
      "x = np.load(r + '/mnist1200_mobilenetv2_dense256_f16.npy'); y = np.load(r + '/mnist1200_labels.npy'); p = np.random.default_rng(1).permutation(len(y))",
      "np.savez(sys.argv[1] + '/a.npz', features=x, labels=y)",
      "np.savez(sys.argv[1] + '/b.npz', features=x[p], labels=y[p])",
      "np.savez(sys.argv[1] + '/c.npz', features=x, labels=y)",
    ].join('\n'), dir]);
    const { page, problems } = await openApp(browser.context, server.url, '?demo=0&backend=wasm');
    const names = ['a.npz', 'b.npz', 'c.npz'];
    await dropFiles(page, await Promise.all(names.map(async (name) => ({ name, bytes: await readFile(path.join(dir, name)) }))));
    for (const name of names) await waitForFileStatus(page, name, ['ready']);
    await chooseMeasures(page, ['aac']);
    await runButton(page).click();
    for (const name of names) await page.locator(`td[data-file="${name}"][data-measure="probe-accuracy"]:not([data-value=""])`).waitFor({ timeout: 240_000 });
    const note = page.locator('[data-testid="study-notes"] li[data-warning="labels-mismatch"]');
    await expect(note).toHaveCount(1, { timeout: 30_000 });
    await expect(note).toContainText("The models' labels do not agree with those of a.npz, c.npz — b.npz: the same classes and counts in another row order");
    // accuracies are there (the probe ran), LR was not measured: the empty chart says that, not "no accuracies"
    await expect(page.locator('figure[data-chart="lr-vs-accuracy"]')).toContainText('No model has both an accuracy and LR: measure LR');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.locator('section.study').screenshot({ path: path.join(SHOTS, 'study-labels-mismatch.png') });
    // leaving the shuffled model out of the study removes the note
    await page.getByRole('checkbox', { name: 'Include b.npz in the study' }).uncheck();
    await expect(note).toHaveCount(0);
    // the choice is saved with the result: after a reload the row is back, still left out, and the note stays away
    await page.waitForTimeout(500);
    await page.reload();
    const row = page.locator('[data-testid="study-table"] tr[data-file="b.npz"]');
    await expect(row).toHaveAttribute('data-in-study', 'no', { timeout: 30_000 });
    await expect(page.getByRole('checkbox', { name: 'Include b.npz in the study' })).not.toBeChecked();
    await expect(page.locator('[data-testid="study-table"] tr[data-file="a.npz"]')).toHaveAttribute('data-in-study', 'yes');
    await expect(note).toHaveCount(0);
    expectNoPageProblems(problems, 'study with shuffled labels');
  });
});
