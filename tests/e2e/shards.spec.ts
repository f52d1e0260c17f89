// Sharded embeddings (one file per data-parallel rank) measured as ONE set in the app: the name-based suggestion,
// combining by hand, the same AAC/LR as the CLI on the stacked shards, a D mismatch refused on the set's row with
// nothing else lost, "Split back", and saved results found again for the same shards.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { chooseMeasures, dropFiles, openApp, runButton, screenshot, valueCell, waitForFileStatus } from '../../scripts/browser/app.mjs';
import { DEMO, SHOTS, cliMeasure, expect, freshProfile, injectFault, npyBytes, runIsActive, test, waitForRunIdle, type CliNumbers } from './fixtures.ts';

const TOLERANCE = 1e-4;
const SET = 'emb_rank*.npy (3 shards)';
const SHARDS = ['emb_rank0.npy', 'emb_rank1.npy', 'emb_rank2.npy'];

/** The rows of a float32 C-order v1 .npy. */
function npyRows(bytes: Buffer) {
  const headerLen = bytes.readUInt16LE(8);
  const header = bytes.subarray(10, 10 + headerLen).toString('latin1');
  expect(header).toMatch(/'descr': '<f4', 'fortran_order': False, 'shape': \((\d+), (\d+)\)/);
  const [, rows, cols] = /'shape': \((\d+), (\d+)\)/.exec(header)!.map(Number);
  const body = bytes.subarray(10 + headerLen);
  return { rows, cols, values: new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)) };
}

test.describe('Shards: several shards measured as one set', () => {
  test.describe.configure({ mode: 'serial' });
  const browser = freshProfile();
  const other = 'synthetic-nonlinear.npy';
  const files: Record<string, Buffer> = {};
  let dir = '';
  let expected: CliNumbers;
  let otherBytes: Buffer;
  let page: Page;
  let problems: string[];
  let measured: { aac: number | null; lr: number | null; other: number | null };

  test.beforeAll(async ({ server }) => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rl-e2e-shards-'));
    // a real demo set cut into three uneven shards (rows in order); and a pair with different D
    const whole = npyRows(await readFile(path.join(DEMO, 'synthetic-linear.npy')));
    const cuts = [0, 700, 1500, whole.rows];
    SHARDS.forEach((name, k) => {
      files[name] = npyBytes(whole.values.subarray(cuts[k] * whole.cols, cuts[k + 1] * whole.cols), cuts[k + 1] - cuts[k], whole.cols);
    });
    files['left.npy'] = npyBytes(whole.values.subarray(0, 300 * whole.cols), 300, whole.cols);
    files['right.npy'] = npyBytes(Float32Array.from({ length: 300 * 5 }, (_, i) => Math.sin(i * 0.37) + (i % 7)), 300, 5);
    for (const [name, bytes] of Object.entries(files)) await writeFile(path.join(dir, name), bytes);
    expected = cliMeasure(SHARDS.map((n) => path.join(dir, n)));
    console.log(`    CLI on the 3 shards: N ${expected.n}, D ${expected.d}, AAC ${expected.aac}, LR ${expected.lr}`);
    otherBytes = await readFile(path.join(DEMO, other));
    ({ page, problems } = await openApp(browser.context, server.url, '?demo=0&backend=wasm'));
  });

  test.afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('dropped rank files are suggested as one set; one click combines them in rank order; same AAC/LR as the CLI', async () => {
    test.setTimeout(180_000);
    await chooseMeasures(page, ['aac', 'lr']);
    // dropped out of order, next to an unrelated file
    await dropFiles(page, [other, 'emb_rank2.npy', 'emb_rank0.npy', 'emb_rank1.npy'].map((name) => ({ name, bytes: name === other ? otherBytes : files[name] })));
    for (const name of [other, ...SHARDS]) await waitForFileStatus(page, name, ['ready']);
    const suggestion = page.locator('[data-testid="shard-suggestion"][data-template="emb_rank*.npy"]');
    await suggestion.waitFor({ timeout: 5_000 });
    expect(await page.locator(`li[data-file="${SET}"]`).count(), 'never combined without a click').toBe(0);
    await page.locator('section[aria-labelledby="files-heading"]').screenshot({ path: path.join(SHOTS, 'shards-suggested.png') });
    await suggestion.getByRole('button', { name: 'Combine as emb_rank*.npy' }).click();
    await waitForFileStatus(page, SET, ['ready']);
    const item = page.locator(`li[data-file="${SET}"]`);
    expect(await item.getAttribute('data-shards')).toBe('3');
    expect(await item.locator('[data-shard]').evaluateAll((els) => els.map((e) => e.getAttribute('data-shard'))), 'ordered by rank').toEqual(SHARDS);
    expect(await item.locator('.meta').first().textContent(), 'combined rows × D').toMatch(/2,000 × 32/);
    for (const name of SHARDS) expect(await page.locator(`li[data-file="${name}"]`).count(), `${name} is inside the set`).toBe(0);
    expect(await page.locator('[data-testid="shard-suggestion"]').count(), 'the suggestion is gone').toBe(0);

    await runButton(page).click();
    const aac = (await valueCell(page, SET, 'aac', 120_000))!;
    const lr = (await valueCell(page, SET, 'lr', 5_000))!;
    expect(Math.abs(aac - expected.aac), `AAC ${aac} vs CLI ${expected.aac}`).toBeLessThanOrEqual(TOLERANCE);
    expect(Math.abs(lr - expected.lr), `LR ${lr} vs CLI ${expected.lr}`).toBeLessThanOrEqual(TOLERANCE);
    expect(await valueCell(page, SET, 'n')).toBe(expected.n);
    expect(await valueCell(page, SET, 'd')).toBe(expected.d);
    expect(await page.locator(`[data-testid="results"] tr[data-file="${SET}"]`).count(), 'one row in the results').toBe(1);
    await waitForRunIdle(page, 60_000);
    measured = { aac, lr, other: await valueCell(page, other, 'aac') };
    expect(measured.other).not.toBe(null);

    await item.locator('details summary').click();
    await page.locator('section[aria-labelledby="files-heading"]').screenshot({ path: path.join(SHOTS, 'shards-file-list.png') });
  });

  test('the worker crashes mid-run: the fresh worker registers the set again from its shards; same numbers', async () => {
    test.setTimeout(240_000);
    await injectFault(page, 'crash');
    await runButton(page).click();
    await waitForRunIdle(page, 200_000);
    expect(await page.locator('[data-testid="notice"]').textContent()).toMatch(/worker crashed.*restarted on/i);
    expect(await page.locator(`li[data-file="${SET}"]`).getAttribute('data-status')).toBe('done');
    const after = { aac: await valueCell(page, SET, 'aac'), lr: await valueCell(page, SET, 'lr'), other: await valueCell(page, other, 'aac') };
    expect(
      Math.abs(after.aac! - measured.aac!) <= TOLERANCE && Math.abs(after.lr! - measured.lr!) <= TOLERANCE,
      `after the restart ${JSON.stringify(after)}`,
    ).toBe(true);
    measured = after; // the values now shown (and saved)
  });

  test('shards of different D, combined by hand: the error sits on the set; other rows stay; Split back restores the files', async () => {
    test.setTimeout(60_000);
    await dropFiles(page, ['left.npy', 'right.npy'].map((name) => ({ name, bytes: files[name] })));
    for (const name of ['left.npy', 'right.npy']) await waitForFileStatus(page, name, ['ready']);
    await page.getByRole('checkbox', { name: 'Select right.npy to combine as shards' }).check();
    await page.getByRole('checkbox', { name: 'Select left.npy to combine as shards' }).check();
    await page.getByRole('button', { name: 'Combine as shards of one set' }).click();
    const bad = 'left.npy … right.npy (2 shards)';
    await waitForFileStatus(page, bad, ['error']);
    const message = await page.locator(`li[data-file="${bad}"] [role="alert"]`).textContent();
    expect(message).toMatch(/right\.npy: has 5 dims but left\.npy has 32; shards of one set must have the same D/);
    await screenshot(page, SHOTS, 'shards-mismatch');
    expect(await valueCell(page, SET, 'aac'), 'the set measured before keeps its result').toBe(measured.aac);
    expect(await valueCell(page, other, 'aac'), 'the other file keeps its result').toBe(measured.other);
    await page.getByRole('button', { name: `Split ${bad} back into its files` }).click();
    for (const name of ['left.npy', 'right.npy']) await waitForFileStatus(page, name, ['ready']);
    expect(await page.locator(`li[data-file="${bad}"]`).count()).toBe(0);
    // and the good set splits back too: its files return with nothing lost
    await page.getByRole('button', { name: `Split ${SET} back into its files` }).click();
    for (const name of SHARDS) await waitForFileStatus(page, name, ['ready']);
    expect(await valueCell(page, other, 'aac')).toBe(measured.other);
    const serious = problems.filter((p) => !/Failed to load resource|favicon/.test(p));
    expect(serious, 'errors in the page').toEqual([]);
  });

  test('a new tab: the same shards combined again find their saved result (no run)', async ({ server }) => {
    test.setTimeout(60_000);
    const { page: tab } = await openApp(browser.context, server.url, '?demo=0&backend=wasm');
    await chooseMeasures(tab, ['aac', 'lr']);
    await dropFiles(tab, SHARDS.map((name) => ({ name, bytes: files[name] })));
    for (const name of SHARDS) await waitForFileStatus(tab, name, ['ready']);
    await tab.getByRole('button', { name: 'Combine as emb_rank*.npy' }).click();
    expect(await valueCell(tab, SET, 'aac', 10_000)).toBe(measured.aac);
    expect(await valueCell(tab, SET, 'lr')).toBe(measured.lr);
    await tab.locator('[data-testid="notice"]', { hasText: 'saved results' }).waitFor({ timeout: 5_000 });
    expect(await runIsActive(tab), 'nothing was run').toBe(false);
    await tab.close();
  });
});
