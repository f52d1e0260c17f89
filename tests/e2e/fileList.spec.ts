// The file list as a user meets it (issue 12): a labels file of the wrong length is said on the rows, not silently
// ignored; a file with several arrays is measured array by array ("Measure every array", rows named
// `layers.npz › layer1`, the array as the study tag, each equal to the CLI's --array); the same file dropped
// again is refused with a warning.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import type { Page } from '@playwright/test';
import { chooseMeasures, dropFiles, openApp, runButton, screenshot, valueCell, waitForFileStatus } from '../../scripts/browser/app.mjs';
import { CLI_TOLERANCE, DEMO, LINEAR, ROOT, SHOTS, expect, expectNoPageProblems, freshProfile, test, waitForRunIdle, chartReady } from './fixtures.ts';

/** A C-order .npy (format v1, header written by hand as NumPy does): float32 2-D or int64 1-D. */
function npy(values: Float32Array | BigInt64Array, shape: number[]): Buffer {
  const descr = values instanceof Float32Array ? '<f4' : '<i8';
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const pre = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0, 0]);
  pre.writeUInt16LE(header.length, 8);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(values.buffer, values.byteOffset, values.byteLength)]);
}

/** A seeded uniform generator (mulberry32): the same file every run. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ROWS = 400;
const DIMS = 12;
const ARRAYS = ['layer0', 'layer1', 'layer2'];

/**
 * Three "layers" of one model, each ROWS × DIMS float32, more linearly redundant layer by layer: in layer k,
 * the last 4k dims are mixtures of the first ones plus a little noise. Saved as an uncompressed .npz.
 */
function layersNpz(): Buffer {
  const next = random(12);
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const entries: Record<string, Uint8Array> = {};
  ARRAYS.forEach((name, k) => {
    const mixed = 4 * k;
    const values = new Float32Array(ROWS * DIMS);
    for (let r = 0; r < ROWS; r++) {
      for (let c = 0; c < DIMS - mixed; c++) values[r * DIMS + c] = normal();
      for (let c = DIMS - mixed; c < DIMS; c++) {
        const a = values[r * DIMS + (c % (DIMS - mixed))];
        const b = values[r * DIMS + ((c + 3) % (DIMS - mixed))];
        values[r * DIMS + c] = 0.8 * a - 0.6 * b + 0.1 * normal();
      }
    }
    entries[`${name}.npy`] = npy(values, [ROWS, DIMS]);
  });
  return Buffer.from(zipSync(entries, { level: 0 }));
}

/** `redundancy-lab measure FILE --array NAME --json --measures aac,lr`: the CLI's numbers for one array. */
function cliArray(file: string, array: string): { aac: number; lr: number } {
  const out = execFileSync(process.execPath, [path.join(ROOT, 'bin/redundancy-lab.mjs'), 'measure', file, '--array', array, '--json', '--measures', 'aac,lr', '--quiet'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const json = JSON.parse(out);
  return { aac: json.aac.value, lr: json.lr.value };
}

test.describe('File list: labels of the wrong length, files with several arrays, the same file twice', () => {
  test.describe.configure({ mode: 'serial' });
  const browser = freshProfile();
  let page: Page;
  let problems: string[];

  test.beforeAll(async ({ server }) => {
    ({ page, problems } = await openApp(browser.context, server.url, '?demo=0&backend=wasm'));
  });

  test('a labels.npy with 7 rows too many: the rows say which file, how many rows each, and what to do', async () => {
    test.setTimeout(90_000);
    const embedding = await readFile(path.join(DEMO, LINEAR));
    const rows = 2000;
    const labels = npy(BigInt64Array.from({ length: rows + 7 }, (_, i) => BigInt(i % 10)), [rows + 7]);
    await dropFiles(page, [
      { name: LINEAR, bytes: embedding },
      { name: 'labels.npy', bytes: labels },
    ]);
    await waitForFileStatus(page, LINEAR, ['ready']);
    await waitForFileStatus(page, 'labels.npy', ['labels-only']);
    const problem = `labels.npy: 2,007 labels (the array), but ${LINEAR} has 2,000 rows; they must match row for row`;
    const fix = `drop a labels file with exactly 2,000 labels, one per row of ${LINEAR} in the same order`;
    // on the labels file's row: its status says it is not used, and why
    const labelsRow = page.locator('li[data-file="labels.npy"]');
    await expect(labelsRow.locator('.status')).toHaveText('labels: wrong length');
    const onLabels = labelsRow.getByTestId('labels-mismatch');
    await expect(onLabels).toBeVisible();
    await expect(onLabels).toContainText(problem);
    await expect(onLabels).toContainText(fix);
    // on the embedding's row, where the probe would be
    const onEmbedding = page.locator(`li[data-file="${LINEAR}"] [data-testid="probe-status"]`);
    await expect(onEmbedding).toContainText(problem);
    await expect(onEmbedding).toContainText(fix);
    await screenshot(page, SHOTS, 'fileList-labels-mismatch');

    // the user drops labels of the right length: they are used, and the message goes
    const good = npy(BigInt64Array.from({ length: rows }, (_, i) => BigInt(i % 10)), [rows]);
    await dropFiles(page, [{ name: 'labels_ok.npy', bytes: good }]);
    await waitForFileStatus(page, 'labels_ok.npy', ['labels-only']);
    await expect(onEmbedding).toContainText('labels: labels_ok.npy');
    await expect(page.getByTestId('labels-mismatch')).toHaveCount(0);
    await expect(page.locator('li[data-file="labels_ok.npy"] [data-testid="labels-use"]')).toHaveText(`labels for ${LINEAR}`);
    for (const name of [LINEAR, 'labels.npy', 'labels_ok.npy']) await page.getByRole('button', { name: `Remove ${name}` }).click();
    await expect(page.locator('ul.files > li')).toHaveCount(0);
  });

  test('an .npz whose own labels array is 10 rows short: said on its row when added, and Run measures it without a probe', async () => {
    test.setTimeout(120_000);
    const next = random(5);
    const features = Float32Array.from({ length: ROWS * DIMS }, () => next() - 0.5);
    const bytes = Buffer.from(
      zipSync({ 'features.npy': npy(features, [ROWS, DIMS]), 'labels.npy': npy(BigInt64Array.from({ length: ROWS - 10 }, (_, i) => BigInt(i % 3)), [ROWS - 10]) }, { level: 0 }),
    );
    const name = 'short-labels.npz';
    await dropFiles(page, [{ name, bytes }]);
    await waitForFileStatus(page, name, ['ready']);
    const probe = page.locator(`li[data-file="${name}"] [data-testid="probe-status"]`);
    await expect(probe).toContainText(`${name}: 390 labels (array 'labels'), but array 'features' has 400 rows; they must match row for row`);
    await expect(probe).toContainText('pick another labels array');
    await chooseMeasures(page, ['aac']);
    await runButton(page).click();
    expect(await valueCell(page, name, 'aac', 60_000)).not.toBeNull();
    await waitForRunIdle(page, 30_000);
    await expect(page.locator(`li[data-file="${name}"] [role="alert"]`), 'no failed probe at Run').toHaveCount(0);
    await page.getByRole('button', { name: `Remove ${name}` }).click();
    await expect(page.locator('ul.files > li')).toHaveCount(0);
  });

  test('layers.npz with three arrays: "Measure every array" → three rows `layers.npz › layerK`, each the CLI’s numbers; dropped again → a warning', async () => {
    test.setTimeout(240_000);
    const bytes = layersNpz();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rl-e2e-layers-'));
    const file = path.join(dir, 'layers.npz');
    await writeFile(file, bytes);
    const expected = Object.fromEntries(ARRAYS.map((a) => [a, cliArray(file, a)]));
    await rm(dir, { recursive: true, force: true });

    await dropFiles(page, [{ name: 'layers.npz', bytes }]);
    // one row, named with the array it measures (the file has several)
    const rows = page.locator('ul.files > li');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute('data-status', 'ready');
    expect(await rows.first().getAttribute('data-file')).toMatch(/^layers\.npz › layer\d$/);
    await page.getByRole('button', { name: 'Measure every array of layers.npz' }).click();
    const names = ARRAYS.map((a) => `layers.npz › ${a}`);
    await expect(rows).toHaveCount(3);
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-file')))).toEqual(names);
    // each row offers only its own array (the others have their rows)
    const picker = page.getByRole('combobox', { name: `Embedding array of ${names[1]}` });
    expect(await picker.locator('option:disabled').allTextContents()).toEqual([expect.stringContaining('layer0'), expect.stringContaining('layer2')]);

    await chooseMeasures(page, ['aac', 'lr']);
    await runButton(page).click();
    for (const [k, name] of names.entries()) {
      const aac = (await valueCell(page, name, 'aac', 180_000))!;
      const lr = (await valueCell(page, name, 'lr', 5_000))!;
      const cli = expected[ARRAYS[k]];
      console.log(`    ${name}: AAC ${aac}, LR ${lr} (CLI --array ${ARRAYS[k]}: ${cli.aac}, ${cli.lr})`);
      expect(Math.abs(aac - cli.aac), `${name}: AAC vs the CLI`).toBeLessThanOrEqual(CLI_TOLERANCE);
      expect(Math.abs(lr - cli.lr), `${name}: LR vs the CLI`).toBeLessThanOrEqual(CLI_TOLERANCE);
    }
    await waitForRunIdle(page, 60_000);
    // three rows in the results, names unique; more mixed dims, more linear redundancy
    const resultRows = page.locator('[data-testid="results"] tbody tr[data-file]');
    expect(await resultRows.evaluateAll((els) => els.map((e) => e.getAttribute('data-file')))).toEqual(names);
    const lrs = await Promise.all(names.map((n) => valueCell(page, n, 'lr')));
    expect(lrs[0]!).toBeLessThan(lrs[1]!);
    expect(lrs[1]!).toBeLessThan(lrs[2]!);
    // the study: three models, the array name as the tag (layer 0, 1, 2)
    const study = page.getByTestId('study-table');
    await expect(study).toBeVisible();
    await expect(study.locator('thead th').nth(2)).toHaveText('layer'); // after the In and Model columns
    for (const [k, name] of names.entries()) await expect(study.locator(`tr[data-file="${name}"] td`).nth(1)).toHaveText(String(k)); // td 0: the In box
    // the scatter of the models labels each point by its array (what the three names do not share)
    await chartReady(page, 'aac-vs-lr');
    await expect(page.locator('figure[data-chart="aac-vs-lr"][data-status="ready"] .annotation-text')).toHaveText(ARRAYS);

    // the same file dropped again: refused, with a warning naming it
    await dropFiles(page, [{ name: 'layers.npz', bytes }]);
    const warning = page.getByTestId('duplicate-warning');
    await expect(warning).toBeVisible();
    await expect(warning).toContainText('layers.npz is already in the list with every array of it (same file): not added again.');
    await expect(rows).toHaveCount(3);
    await screenshot(page, SHOTS, 'fileList-layers');
    await warning.getByRole('button', { name: 'OK' }).click();
    await expect(warning).toHaveCount(0);
    expectNoPageProblems(problems, 'file list');
  });
});
