// The first five minutes and the long runs (issue 12), as a user meets them in a real Chromium:
// a long job says so before Run and offers cheaper settings; a reload mid-run says the run was interrupted and runs
// the rest; the demo's two passes are one job whose bar never goes back, with no "older settings" chip on its rows.
import type { Page } from '@playwright/test';
import { dropFiles, openApp, runButton, valueCell, waitForFileStatus } from '../../scripts/browser/app.mjs';
import { PRESETS } from '../../src/core/presets.ts';
import { PAPER_SETTINGS } from '../../src/core/measures/types.ts';
import { measureSeconds, type MachineRates } from '../../src/core/estimate.ts';
import { expect, freshProfile, runIsActive, test, waitForRunIdle } from './fixtures.ts';

/** A float32 C-order (rows, cols) .npy of seeded low-rank data plus noise (a few MB: real work for every measure). */
function npy(rows: number, cols: number, seed: number): Buffer {
  const header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  const head = Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0]), Buffer.alloc(2), Buffer.from(header + ' '.repeat(pad) + '\n')]);
  head.writeUInt16LE(head.length - 10, 8);
  let s = seed >>> 0;
  const uniform = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const factors = 8;
  const mix = Float32Array.from({ length: factors * cols }, () => uniform() - 0.5);
  const data = new Float32Array(rows * cols);
  const z = new Float32Array(factors);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < factors; k++) z[k] = uniform() - 0.5;
    for (let c = 0; c < cols; c++) {
      let v = 0.3 * (uniform() - 0.5);
      for (let k = 0; k < factors; k++) v += z[k] * mix[k * cols + c];
      data[r * cols + c] = v;
    }
  }
  return Buffer.concat([head, Buffer.from(data.buffer)]);
}

interface AppWindow {
  redundancyLab: {
    stores: { runs: { estimate: { rates: MachineRates | null } } };
    files: { name: string; result: { settings: unknown; summary: { wallMs: number }; nlr: { evaluatedDims: number[] } | null } | null }[];
    settings: unknown;
  };
}

/** Whether leaving the page now would ask first: a cancelable beforeunload, as the browser sends it. */
function leavingAsks(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const e = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(e);
    return e.defaultPrevented;
  });
}

test.describe('A long run says so before Run, and offers cheaper settings', () => {
  const browser = freshProfile();

  test('Paper protocol on 3,000 × 768: the estimate passes 10 minutes, Run asks, choosing Quick runs with Quick', async ({ server }) => {
    test.setTimeout(420_000);
    const { page } = await openApp(browser.context, server.url, '?demo=0&backend=wasm');
    const name = 'big-3000x768.npy';
    await page.getByTestId('file-input').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: npy(3000, 768, 42) });
    await waitForFileStatus(page, name, ['ready']);
    await page.getByRole('button', { name: 'Paper protocol' }).click();
    // the estimate sits next to Run, from the file's shape and the rates this backend measured
    const estimate = page.getByTestId('estimate');
    await expect(estimate).toContainText('on WASM', { timeout: 60_000 });
    const rates = await page.evaluate(() => (window as unknown as AppWindow).redundancyLab.stores.runs.estimate.rates);
    expect(rates?.measured, JSON.stringify(rates)).toBe(true);
    const seconds = Number(await estimate.getAttribute('data-seconds'));
    console.log(`    estimate ${await estimate.textContent()} (${seconds} s); rates ${JSON.stringify(rates)}`);
    expect(seconds, 'the estimate is the cost model of this shape at these rates').toBeCloseTo(measureSeconds(3000, 768, PAPER_SETTINGS, rates!), -1);
    expect(seconds).toBeGreaterThan(600);
    await expect(estimate).toHaveText(/^≈ (\d+ h( \d+ min)?|\d+ min) on WASM$/);

    await runButton(page).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('heading')).toHaveText(/^This run would take about (\d+ h( \d+ min)?|\d+ min)$/);
    // the cheaper ways, each with its own estimate; nothing runs while the question is open
    for (const label of ['Quick preset', 'AAC and LR only']) await expect(dialog.getByRole('button', { name: new RegExp(label) })).toBeVisible();
    await expect(dialog.getByRole('button', { name: /^NLR on \d+ dims/ })).toBeVisible();
    expect(await runIsActive(page)).toBe(false);
    await dialog.getByRole('button', { name: /Quick preset/ }).click();
    await expect(dialog).toBeHidden();
    // the settings changed to Quick and the run went ahead with them
    await expect(page.getByRole('button', { name: 'Quick' })).toHaveAttribute('aria-pressed', 'true');
    expect(await runIsActive(page)).toBe(true);
    const nlr = await valueCell(page, name, 'nlr', 400_000);
    expect(nlr !== null && Number.isFinite(nlr), `NLR ${nlr}`).toBe(true);
    await waitForRunIdle(page, 60_000);
    const result = await page.evaluate((n) => (window as unknown as AppWindow).redundancyLab.files.find((f) => f.name === n)?.result, name);
    expect(result?.settings).toEqual(PRESETS.quick.settings);
    expect(result?.nlr?.evaluatedDims).toHaveLength(16);
  });
});

test.describe('A reload mid-run: asked first, then told, and the rest runs', () => {
  const browser = freshProfile();

  test('run two files, reload while the second runs: "interrupted", the first’s saved result, Run the rest measures the second', async ({ server }) => {
    test.setTimeout(420_000);
    const { page } = await openApp(browser.context, server.url, '?demo=0&backend=wasm');
    const small = { name: 'small-400x16.npy', buffer: npy(400, 16, 1) };
    const long = { name: 'long-3000x384.npy', buffer: npy(3000, 384, 2) };
    await page.getByTestId('file-input').setInputFiles([small, long].map((f) => ({ ...f, mimeType: 'application/octet-stream' })));
    await waitForFileStatus(page, small.name, ['ready']);
    await waitForFileStatus(page, long.name, ['ready']);
    expect(await leavingAsks(page), 'no run: leaving does not ask').toBe(false);
    await runButton(page).click(); // Quick: well under 10 minutes, no question
    await valueCell(page, small.name, 'nlr', 120_000);
    await expect(page.getByTestId('run-progress')).toBeVisible();
    expect(await runIsActive(page)).toBe(true);
    expect(await leavingAsks(page), 'a run: leaving asks first').toBe(true);
    const savedWallMs = await page.evaluate((n) => (window as unknown as AppWindow).redundancyLab.files.find((f) => f.name === n)?.result?.summary.wallMs, small.name);

    // the user reloads anyway: the browser asks (beforeunload), the user leaves
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.type());
      void d.accept();
    });
    await page.reload();
    await page.getByRole('heading', { name: 'Redundancy Lab' }).waitFor();
    expect(dialogs, 'the browser asked before leaving').toEqual(['beforeunload']);

    const notice = page.getByTestId('interrupted');
    await expect(notice).toBeVisible({ timeout: 15_000 });
    await expect(notice).toContainText('A run was interrupted');
    await expect(notice).toContainText(`Not finished: ${long.name}`);
    // what was saved is shown: the first file's result, as measured before the reload
    const aac = await valueCell(page, small.name, 'aac', 15_000);
    expect(aac).not.toBeNull();
    expect(await runIsActive(page)).toBe(false);
    expect(await leavingAsks(page)).toBe(false);

    // Run the rest: the page asks for the files again (it cannot keep them), then measures only the unfinished one
    const chooser = page.waitForEvent('filechooser');
    await notice.getByRole('button', { name: /^Run the rest/ }).click();
    await (await chooser).setFiles([small, long].map((f) => ({ ...f, mimeType: 'application/octet-stream' })));
    await expect(notice).toBeHidden();
    const nlr = await valueCell(page, long.name, 'nlr', 400_000);
    expect(nlr !== null && Number.isFinite(nlr)).toBe(true);
    await waitForRunIdle(page, 60_000);
    const files = await page.evaluate(() => (window as unknown as AppWindow).redundancyLab.files.map((f) => ({ name: f.name, wallMs: f.result?.summary.wallMs ?? null })));
    expect(files).toEqual([
      { name: small.name, wallMs: savedWallMs },
      { name: long.name, wallMs: expect.any(Number) },
    ]);
    // a finished run leaves no marker: the next reload says nothing
    await page.reload();
    await page.getByRole('heading', { name: 'Redundancy Lab' }).waitFor();
    await page.waitForTimeout(1000);
    expect(await page.getByTestId('interrupted').count()).toBe(0);
  });
});

test.describe('The demo is one job: one bar that never goes back', () => {
  const browser = freshProfile();

  test('first look, then NLR: the bar only moves forward and no row says "older settings" while it runs', async ({ server }) => {
    test.setTimeout(600_000);
    // every change of the bar, the pass and the chips, recorded in the page as it happens
    await browser.context.addInitScript(() => {
      const log: { value: number; pass: string; chips: number; rows: number }[] = [];
      (window as unknown as { __bar: typeof log }).__bar = log;
      const record = () => {
        const bar = document.querySelector('[data-testid="run-progress"]');
        if (!bar) return;
        const value = Number(bar.getAttribute('aria-valuenow'));
        const pass = document.querySelector('[data-testid="pass"]')?.textContent?.trim() ?? '';
        const chips = [...document.querySelectorAll('.chip')].filter((c) => c.textContent?.includes('older settings')).length;
        const rows = document.querySelectorAll('td[data-measure="aac"]:not([data-value=""])').length;
        const last = log.at(-1);
        if (!last || last.value !== value || last.pass !== pass || last.chips !== chips || last.rows !== rows) log.push({ value, pass, chips, rows });
      };
      new MutationObserver(record).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    const { page } = await openApp(browser.context, server.url, '');
    const pass = page.getByTestId('pass');
    await expect(pass).toContainText('pass 1 of 2: first look', { timeout: 120_000 });
    // the demo's first minutes: the whole first look, then into the NLR pass until the bar has moved on there
    await expect(pass).toContainText('pass 2 of 2: adding NLR', { timeout: 400_000 });
    type Change = { value: number; pass: string; chips: number; rows: number };
    const read = () => page.evaluate(() => (window as unknown as { __bar: Change[] }).__bar);
    await expect
      .poll(
        async () => {
          const second = (await read()).filter((l) => l.pass.includes('pass 2'));
          return second.length ? second.at(-1)!.value - second[0].value : 0;
        },
        { message: 'the bar moves on in the NLR pass', timeout: 400_000, intervals: [2000] },
      )
      .toBeGreaterThanOrEqual(2);
    const log = await read();
    console.log(`    ${log.length} changes of the bar; first look ended at ${log.filter((l) => l.pass.includes('pass 1')).at(-1)?.value}%, now ${log.at(-1)?.value}%`);
    expect(log.length).toBeGreaterThan(20);
    for (let i = 1; i < log.length; i++) expect(log[i].value, `change ${i}: ${JSON.stringify(log.slice(Math.max(0, i - 3), i + 1))}`).toBeGreaterThanOrEqual(log[i - 1].value);
    expect(log.some((l) => l.pass.includes('pass 2')), 'the NLR pass is part of the same bar').toBe(true);
    expect(Math.max(...log.map((l) => l.rows)), 'rows measured by the first look').toBe(7);
    expect(log.filter((l) => l.chips > 0), 'no "older settings" chip on the rows of the running job').toEqual([]);
  });
});
