// Nothing finished is lost, as a user meets it (issue 17): bringing one's own files counts as having seen the demo;
// a reload mid-NLR shows the interrupted run (not the demo), with the AAC and LR already saved; Run the rest goes on
// from the NLR dims finished before the reload; a Cancel says what is missing and Run again keeps the dims trained;
// a returning visit shows the last session's results in the table, marked saved.
import type { Page } from '@playwright/test';
import { openApp, runButton, valueCell } from '../../scripts/browser/app.mjs';
import { QUICK_SETTINGS } from '../../src/core/presets.ts';
import { expect, freshProfile, normals, npyFilled, test, waitForRunIdle } from './fixtures.ts';

interface Entry {
  name: string;
  demo: boolean;
  detached: boolean;
  savedAt: string | null;
  nlrFinished: { dims: number[] } | null;
  result: { provisional?: object; cancelled?: object; aac: { value: number } | null; lr: { value: number } | null; nlr: { value: number; evaluatedDims: number[]; reusedDims?: number } | null } | null;
}
type AppWindow = { redundancyLab: { files: Entry[]; run: { active: boolean }; stores: { settings: { current: unknown } } } };

/** 1,500 × 24: a few latent factors through tanh plus noise (structure for LR and NLR alike). */
function structured(seed: number) {
  const z = normals(seed);
  const latents = Array.from({ length: 1500 }, () => [z(), z(), z()]);
  return npyFilled(1500, 24, (r, c) => Math.tanh(latents[r][c % 3] * (1 + (c % 5) / 4)) + 0.4 * z());
}

/** The entry's fields (a Svelte store's fields are accessors: picked one by one, as JSON). */
const entry = (page: Page, name: string) =>
  page.evaluate((n) => {
    const f = (window as unknown as AppWindow).redundancyLab.files.find((x) => x.name === n);
    return f ? (JSON.parse(JSON.stringify({ name: f.name, demo: f.demo, detached: f.detached, savedAt: f.savedAt, nlrFinished: f.nlrFinished, result: f.result })) as Entry) : null;
  }, name);

/** Quick, NLR on 12 dims: long enough to stop in the middle, short enough for CI. */
const SETTINGS = { ...QUICK_SETTINGS, nlrDims: { kind: 'count', count: 12 } };

test.describe('Nothing finished is lost: reload, cancel, return', () => {
  test.describe.configure({ mode: 'serial' });
  const browser = freshProfile();
  const file = { name: 'tanh-1500x24.npy', mimeType: 'application/octet-stream', buffer: structured(11) };
  let aacBefore: number | null = null;

  test('own files while the demo runs mark it seen; a reload mid-NLR shows the interrupted run with its AAC and LR, and Run the rest resumes the NLR dims', async ({ server }) => {
    test.setTimeout(420_000);
    const { page } = await openApp(browser.context, server.url, '?backend=wasm');
    // the demo starts on a first visit
    await page.waitForFunction(() => (window as unknown as AppWindow).redundancyLab.files.some((f) => f.demo), null, { timeout: 60_000 });
    expect(await page.evaluate(() => localStorage.getItem('redundancy-lab:demo-seen'))).toBeNull();
    // the user brings a file: the demo makes way, and counts as seen
    await page.getByTestId('file-input').setInputFiles([file]);
    await page.waitForFunction((n) => (window as unknown as AppWindow).redundancyLab.files.some((f) => f.name === n && !f.demo), file.name);
    await expect.poll(() => page.evaluate(() => localStorage.getItem('redundancy-lab:demo-seen'))).not.toBeNull();
    await waitForRunIdle(page, 60_000);
    await page.evaluate((s) => ((window as unknown as AppWindow).redundancyLab.stores.settings.current = s), SETTINGS);
    await runButton(page).click();
    // AAC and LR are final and shown before NLR; then NLR dims finish one group after another
    aacBefore = await valueCell(page, file.name, 'aac', 120_000);
    await page.waitForFunction((n) => ((window as unknown as AppWindow).redundancyLab.files.find((f) => f.name === n)?.nlrFinished?.dims.length ?? 0) >= 2, file.name, { timeout: 240_000 });
    await page.waitForTimeout(500); // the save of those heads reaches IndexedDB
    const finishedBefore = (await entry(page, file.name))!.nlrFinished!.dims.length;
    expect(finishedBefore).toBeLessThan(12);

    page.on('dialog', (d) => void d.accept());
    await page.reload();
    await page.getByRole('heading', { name: 'Redundancy Lab' }).waitFor();
    const notice = page.getByTestId('interrupted');
    await expect(notice).toBeVisible({ timeout: 15_000 });
    await expect(notice).toContainText(`Not finished: ${file.name}`);
    await expect(page.getByTestId('interrupted-kept')).toContainText('NLR dims');
    // no demo replaced the user's run, and what was finished is on the page
    await page.waitForTimeout(1500);
    const list = await page.evaluate(() => (window as unknown as AppWindow).redundancyLab.files.map((f) => ({ name: f.name, demo: f.demo })));
    expect(list).toEqual([{ name: file.name, demo: false }]);
    expect(await valueCell(page, file.name, 'aac', 15_000)).toBe(aacBefore);
    await expect(page.locator(`td[data-file="${file.name}"][data-pending-measure="nlr"]`)).toBeVisible();
    const saved = (await entry(page, file.name))!;
    expect(saved.result?.provisional).toBeTruthy();
    const kept = saved.nlrFinished?.dims.length ?? 0;
    expect(kept).toBeGreaterThanOrEqual(1);

    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('run-rest').click();
    await (await chooser).setFiles([file]);
    await valueCell(page, file.name, 'nlr', 300_000);
    await waitForRunIdle(page, 60_000);
    const done = (await entry(page, file.name))!;
    expect(done.result?.provisional).toBeUndefined();
    expect(done.result?.nlr?.evaluatedDims).toHaveLength(12);
    expect(done.result?.nlr?.reusedDims, 'the NLR dims finished before the reload were not trained again').toBe(kept);
    expect(done.result?.aac?.value).toBe(aacBefore);
  });

  test('Cancel mid-NLR: the null baseline says it is missing; Run again keeps the NLR dims trained', async ({ server }) => {
    test.setTimeout(420_000);
    for (const p of browser.context.pages()) await p.close();
    const { page } = await openApp(browser.context, server.url, '?backend=wasm');
    const other = { ...file, name: 'tanh-1500x24-b.npy', buffer: structured(12) };
    await page.getByTestId('file-input').setInputFiles([other]);
    await page.waitForFunction((n) => (window as unknown as AppWindow).redundancyLab.files.some((f) => f.name === n && !f.detached), other.name);
    await page.evaluate((s) => ((window as unknown as AppWindow).redundancyLab.stores.settings.current = s), SETTINGS);
    await runButton(page).click();
    await page.waitForFunction((n) => ((window as unknown as AppWindow).redundancyLab.files.find((f) => f.name === n)?.nlrFinished?.dims.length ?? 0) >= 2, other.name, { timeout: 300_000 });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await waitForRunIdle(page, 60_000);
    const cut = (await entry(page, other.name))!;
    expect(cut.result?.cancelled).toBeTruthy();
    const trained = cut.nlrFinished!.dims.length;
    const nullCell = page.locator(`td[data-file="${other.name}"][data-pending-measure="lrNull"]`);
    await expect(nullCell).toBeVisible();
    expect(await nullCell.getAttribute('title')).toMatch(new RegExp(`cancelled before it — Run again measures it \\(the ${trained} NLR dims already trained are kept\\)`));
    await runButton(page).click();
    await valueCell(page, other.name, 'lrNull', 300_000);
    await waitForRunIdle(page, 60_000);
    const done = (await entry(page, other.name))!;
    expect(done.result?.cancelled).toBeUndefined();
    expect(done.result?.nlr?.evaluatedDims).toHaveLength(12);
    expect(done.result?.nlr?.reusedDims).toBe(trained);
  });

  test('a returning visit shows the last session in the table, marked saved; no demo', async ({ server }) => {
    test.setTimeout(120_000);
    for (const p of browser.context.pages()) await p.close();
    const { page } = await openApp(browser.context, server.url, '?backend=wasm');
    const row = page.locator(`tr[data-file="${file.name}"]`);
    await expect(row.locator('.chip.saved')).toBeVisible({ timeout: 15_000 });
    await expect(row.locator('.chip.saved')).toContainText('saved');
    expect(await valueCell(page, file.name, 'aac', 15_000)).toBe(aacBefore);
    expect(await valueCell(page, file.name, 'nlr', 15_000)).not.toBeNull();
    await page.waitForTimeout(1500);
    const list = await page.evaluate(() => (window as unknown as AppWindow).redundancyLab.files.map((f) => ({ name: f.name, demo: f.demo, detached: f.detached })));
    expect(list.some((f) => f.demo), 'no demo on a returning visit').toBe(false);
    expect(list.map((f) => f.name).sort()).toEqual([file.name, 'tanh-1500x24-b.npy'].sort());
    expect(list.every((f) => f.detached)).toBe(true);
  });
});
