// The page from a phone to a wide screen (issue 12): the demo measured on a 412 px phone (Run within reach, no
// sideways page scroll, the wide results table with a cue), then the same page at 1024 × 768 (every results and
// study column in view, or a cue) and at 1440 px (sidebar beside the results). Scatter labels neither overlap
// nor leave their chart; the heatmap keeps one axis in both orders; full-page screenshots of each width are kept.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { openApp, runButton } from '../../scripts/browser/app.mjs';
import { QUICK_SETTINGS } from '../../src/core/presets.ts';
import type { MeasureSettings } from '../../src/core/lite.ts';
import { settingsHash } from '../../src/ui/persist/permalink.ts';
import { SHOTS, chartsSettled, expect, expectNoOverlap, expectNoPageProblems, freshProfile, test, waitForRunIdle, chartReady } from './fixtures.ts';

const DEMO_FILES = 7;

/** Quick, with a lighter NLR (4 dims, 5 epochs): every column filled, in a minute or two on two cores. */
const SETTINGS: MeasureSettings = { ...QUICK_SETTINGS, nlrDims: { kind: 'count', count: 4 }, mlp: { ...QUICK_SETTINGS.mlp, epochs: 5 } };

async function pageScroll(page: Page) {
  return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
}

/** The elements that reach past the right edge of the window (for the failure message). */
async function widestElements(page: Page): Promise<string> {
  return page.evaluate(() => {
    const edge = document.documentElement.clientWidth;
    const out: { what: string; right: number }[] = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= edge - 40) continue;
      const cls = typeof el.className === 'string' ? el.className.trim().split(/\s+/).slice(0, 2).join('.') : '';
      out.push({ what: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${cls ? '.' + cls : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`, right: Math.round(r.right) });
    }
    return out.sort((a, b) => b.right - a.right).slice(0, 8).map((o) => `${o.right}: ${o.what}`).join('\n');
  });
}

async function noSidewaysScroll(page: Page, width: number) {
  const { scrollWidth, innerWidth } = await pageScroll(page);
  expect(innerWidth).toBe(width);
  const culprits = scrollWidth > innerWidth ? `; the right-most elements:\n${await widestElements(page)}` : '';
  expect(scrollWidth, `at ${width} px the page is ${scrollWidth} px wide${culprits}`).toBeLessThanOrEqual(innerWidth);
}

/** Every drawn chart is as wide as its card (redrawn after the window changed), by chart: [svg, card] widths. */
async function chartsMisfit(page: Page): Promise<Record<string, [number, number]>> {
  return page.evaluate(() => {
    const misfit: Record<string, [number, number]> = {};
    for (const figure of document.querySelectorAll('figure[data-chart][data-status="ready"]')) {
      const wrap = figure.querySelector('.plot-wrap') as HTMLElement | null;
      const svg = figure.querySelector('svg.main-svg');
      if (!wrap || !svg || wrap.clientWidth === 0) continue;
      const width = Math.round(svg.getBoundingClientRect().width);
      if (Math.abs(width - wrap.clientWidth) > 1) misfit[figure.getAttribute('data-chart')!] = [width, wrap.clientWidth];
    }
    return misfit;
  });
}

/** The header cells of a table that are cut by, or beyond, the edge of its scrolling frame. */
async function hiddenColumns(table: Locator): Promise<string[]> {
  return table.evaluate((el) => {
    const frame = el.parentElement!;
    const right = frame.getBoundingClientRect().right + 1;
    return [...el.querySelectorAll('thead tr:first-child th')].filter((th) => th.getBoundingClientRect().right > right).map((th) => th.textContent!.trim());
  });
}

/** Every column in view, or a visible "N more columns →" cue. Returns the hidden columns. */
async function columnsOrCue(page: Page, table: Locator, frame: string, what: string): Promise<string[]> {
  const hidden = await hiddenColumns(table);
  if (hidden.length) {
    const cue = page.getByTestId(`${frame}-cue`);
    await expect(cue, `${what}: ${hidden.join(', ')} out of view, so a cue must say so`).toBeVisible();
    await expect(cue).toHaveText(new RegExp(`${hidden.length} more columns? →`));
  } else {
    await expect(page.getByTestId(`${frame}-cue`)).toHaveCount(0);
  }
  return hidden;
}

/** No two labels of a scatter overlap, and every label lies inside its chart's card. */
async function labelsApart(page: Page, chart: string) {
  const figure = page.locator(`figure[data-chart="${chart}"]`);
  await chartReady(page, chart);
  const { boxes, card } = await figure.evaluate((el) => ({
    boxes: [...el.querySelectorAll('.annotation')].map((a) => {
      const r = a.querySelector('.annotation-text')!.getBoundingClientRect();
      return { text: a.textContent ?? '', left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    }),
    card: (({ left, right, top, bottom }) => ({ left, right, top, bottom }))(el.getBoundingClientRect()),
  }));
  expect(boxes.length, `${chart}: one label per model`).toBeGreaterThanOrEqual(2);
  for (const b of boxes) {
    expect(b.left >= card.left && b.right <= card.right && b.top >= card.top && b.bottom <= card.bottom, `${chart}: "${b.text}" inside the chart`).toBe(true);
  }
  expectNoOverlap(boxes, 1, chart);
}

/**
 * A full-page screenshot of the page's flow. Below 1260 px the run bar sticks to the bottom of the window; a
 * full-page capture would draw it over the first screen's files, so for this picture it is drawn in its place
 * (the tests check where it is on screen). The wide tables are scrolled back to their start first. Chromium here
 * cannot capture more than 8,192 px at once (a phone's page is taller), so the page is taken in bands, joined
 * in the page's canvas.
 */
async function fullPage(page: Page, name: string) {
  await page.evaluate(() => {
    window.scrollTo(0, 0);
    for (const frame of document.querySelectorAll('[role="region"]')) frame.scrollLeft = 0;
  });
  await chartsSettled(page);
  const style = '#app .runbar { position: static !important; box-shadow: none !important; }';
  const { width, height } = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight }));
  const BAND = 4000;
  const bands: string[] = [];
  for (let y = 0; y < height; y += BAND) {
    const band = await page.screenshot({ fullPage: true, style, clip: { x: 0, y, width, height: Math.min(BAND, height - y) } });
    bands.push(band.toString('base64'));
  }
  const joined = await page.evaluate(
    async ({ bands, width, height }) => {
      const canvas = new OffscreenCanvas(width, height);
      const ctx = canvas.getContext('2d')!;
      let y = 0;
      for (const band of bands) {
        const bin = atob(band);
        const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        ctx.drawImage(bitmap, 0, y);
        y += bitmap.height;
      }
      const png = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
      let out = '';
      for (let i = 0; i < png.length; i += 0x8000) out += String.fromCharCode(...png.subarray(i, i + 0x8000));
      return btoa(out);
    },
    { bands, width, height },
  );
  await writeFile(path.join(SHOTS, name), Buffer.from(joined, 'base64'));
}

test.describe('Layout: a phone, a small laptop, a wide screen', () => {
  test.describe.configure({ mode: 'serial' });
  const browser = freshProfile();
  let page: Page;
  let problems: string[];

  test('on a 412 px phone: the demo, Run within reach, nothing wider than the screen', async ({ server }) => {
    test.setTimeout(420_000);
    ({ page, problems } = await openApp(browser.context, server.url, `?demo=1&backend=wasm${settingsHash(SETTINGS)}`));
    await page.setViewportSize({ width: 412, height: 915 });
    await expect(page.locator('ul.files > li[data-status="ready"]')).toHaveCount(DEMO_FILES, { timeout: 60_000 });
    await noSidewaysScroll(page, 412);
    // Run is on screen as the page opens (the run bar keeps to the bottom of the window), and not off to the side
    const run = runButton(page);
    await expect(run).toBeEnabled();
    const box = (await run.boundingBox())!;
    expect(box.x, 'Run starts inside the screen').toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, 'Run ends inside the screen').toBeLessThanOrEqual(412);
    expect(box.y + box.height, 'Run is in view without scrolling').toBeLessThanOrEqual(915);
    await run.click();
    await expect(page.locator(`td[data-measure="nlr"]:not([data-value=""])`)).toHaveCount(DEMO_FILES, { timeout: 360_000 });
    await waitForRunIdle(page, 60_000);
    await page.getByTestId('study-table').waitFor();
    await chartsSettled(page);

    await noSidewaysScroll(page, 412);
    const afterRun = (await run.boundingBox())!;
    expect(afterRun.x >= 0 && afterRun.x + afterRun.width <= 412, 'Run still inside the width').toBe(true);
    // the results table is wider than a phone: it scrolls inside its frame, says how many columns are out of
    // view, and keeps the file names in view
    const results = page.getByTestId('results');
    const hidden = await columnsOrCue(page, results, 'results-frame', 'results at 412 px');
    expect(hidden.length, 'a phone cannot show 12 columns').toBeGreaterThan(0);
    // the headline numbers are in view before any scrolling: N, D and Dead fold into a line under the file name
    for (const headline of ['AAC', 'LR']) expect(hidden, `${headline} in view on a phone`).not.toContain(headline);
    const shapeLine = page.getByTestId('row-shape').first();
    await expect(shapeLine).toBeVisible();
    await expect(shapeLine).toHaveText(/^[\d,]+ × [\d,]+/);
    await expect(results.locator('th', { hasText: /^N$/ })).toBeHidden();
    await page.getByTestId('results-frame-cue').click();
    await expect.poll(async () => (await hiddenColumns(results)).length, { message: 'the cue scrolls the table' }).toBeLessThan(hidden.length);
    const firstName = page.locator('[data-testid="results"] tbody th.file').first();
    const nameBox = (await firstName.boundingBox())!;
    expect(nameBox.x, 'the file names stay in view').toBeGreaterThanOrEqual(0);
    await columnsOrCue(page, page.getByTestId('study-table'), 'study-frame', 'study at 412 px');
    for (const chart of ['aac-vs-lr', 'lr-vs-nlr', 'lr-vs-accuracy']) await labelsApart(page, chart);
    await fullPage(page, 'layout-412.png');
  });

  test('at 1024 × 768: every results and study column in view (or a cue), accuracies readable', async () => {
    test.setTimeout(60_000);
    await page.setViewportSize({ width: 1024, height: 768 });
    await chartsSettled(page);
    expect(await chartsMisfit(page), 'charts redrawn at their cards\' new width (from 412 px)').toEqual({});
    await noSidewaysScroll(page, 1024);
    const hiddenResults = await columnsOrCue(page, page.getByTestId('results'), 'results-frame', 'results at 1024 px');
    const hiddenStudy = await columnsOrCue(page, page.getByTestId('study-table'), 'study-frame', 'study at 1024 px');
    console.log(`    1024 px: results columns out of view: ${hiddenResults.join(', ') || 'none'}; study: ${hiddenStudy.join(', ') || 'none'}`);
    expect(hiddenResults, 'at 1024 px the results get the full width: all 12 columns fit').toEqual([]);
    await expect(page.getByTestId('results').locator('th', { hasText: /^N$/ }), 'N, D and Dead are columns again').toBeVisible();
    await expect(page.getByTestId('row-shape').first()).toBeHidden();
    // the accuracy inputs show their whole placeholder ("97.7 (probe)"), not "97.7 (probe"
    const cut = await page.locator('[data-testid="study-table"] td.acc input').evaluateAll((inputs) =>
      (inputs as HTMLInputElement[])
        .filter((input) => {
          const style = getComputedStyle(input);
          const ctx = document.createElement('canvas').getContext('2d')!;
          ctx.font = `${style.fontSize} ${style.fontFamily}`;
          const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          return ctx.measureText(input.placeholder).width > room;
        })
        .map((input) => input.placeholder),
    );
    expect(cut, 'accuracy placeholders cut off').toEqual([]);
    // (a file with labels: the demo's MobileNetV2 layers, after its synthetic sets)
    await expect(page.locator('[data-testid="study-table"] td.acc input[aria-label*="mnist-"]').first()).toHaveAttribute('placeholder', /\(probe\)$/);
    // the heatmap: one axis (dims) whether in file order or in cluster order
    const axis = async () =>
      page.locator('figure[data-chart^="correlation-heatmap"] .js-plotly-plot').evaluate((el) => {
        const layout = (el as unknown as { _fullLayout: { xaxis: { range: number[]; title: { text: string } } } })._fullLayout;
        return { range: layout.xaxis.range.map((v) => Math.round(v)), title: layout.xaxis.title.text };
      });
    const before = await axis();
    await page.getByLabel('heatmap in cluster order').check();
    await chartReady(page, 'correlation-heatmap-clustered');
    const after = await axis();
    expect(after.range, 'the same axis range in cluster order').toEqual(before.range);
    expect(after.title).toMatch(/^dim, in cluster order/);
    expect(before.title).toMatch(/^dim/);
    await page.getByLabel('heatmap in cluster order').uncheck();
    for (const chart of ['aac-vs-lr', 'lr-vs-nlr', 'lr-vs-accuracy']) await labelsApart(page, chart);
    await fullPage(page, 'layout-1024.png');
  });

  test('at 1280 and 1440 px: the sidebar beside the results, every column in view', async () => {
    test.setTimeout(60_000);
    // a common laptop: the sidebar narrows a little so that the twelve columns still fit beside it
    await page.setViewportSize({ width: 1280, height: 800 });
    await chartsSettled(page);
    expect(await chartsMisfit(page), 'charts redrawn at their cards\' new width (from 1024 px)').toEqual({});
    await noSidewaysScroll(page, 1280);
    expect(await columnsOrCue(page, page.getByTestId('results'), 'results-frame', 'results at 1280 px')).toEqual([]);
    await page.setViewportSize({ width: 1440, height: 900 });
    await chartsSettled(page);
    expect(await chartsMisfit(page), 'charts redrawn at their cards\' new width (from 1280 px)').toEqual({});
    await noSidewaysScroll(page, 1440);
    const sidebar = (await page.locator('aside.sidebar').boundingBox())!;
    const results = (await page.getByTestId('results').boundingBox())!;
    expect(sidebar.x + sidebar.width, 'the sidebar is beside the results').toBeLessThan(results.x);
    expect(results.width, 'the results use the width').toBeGreaterThan(900);
    expect(await columnsOrCue(page, page.getByTestId('results'), 'results-frame', 'results at 1440 px')).toEqual([]);
    expect(await columnsOrCue(page, page.getByTestId('study-table'), 'study-frame', 'study at 1440 px')).toEqual([]);
    // Run at the top of the results, on screen
    const run = (await runButton(page).boundingBox())!;
    expect(run.y + run.height).toBeLessThanOrEqual(900);
    for (const chart of ['aac-vs-lr', 'lr-vs-nlr', 'lr-vs-accuracy']) await labelsApart(page, chart);
    await fullPage(page, 'layout-1440.png');
    expectNoPageProblems(problems, 'layout');
  });
});
