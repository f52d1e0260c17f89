// Chart exports say what they show (issue 17, item 7): a crowded study (12 models with long names at nearby
// values) whose scatter labels, as Chromium draws them, never overlap; an exported SVG whose title names the file
// and the measure and whose legend names the mean, the median and the null band; a PNG of the same size, drawn.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { chooseMeasures, dropFiles, imageStats, openApp, runButton, waitForFileStatus } from '../../scripts/browser/app.mjs';
import { SHOTS, chartsSettled, expect, expectNoOverlap, expectNoPageProblems, freshProfile, normals, npyFilled, test, chartReady } from './fixtures.ts';
import { pngInfo } from './png.ts';

const PREFIXES = ['dino', 'mae', 'clip', 'ibot', 'msn', 'simclr', 'byol', 'moco', 'swav', 'barlow', 'vicreg', 'supervised'];
const NAMES = PREFIXES.map((p, k) => `${p}-vit_small_patch16_224-proj${k + 1}.npy`);

/** The text of an SVG's `<text>` elements of a class (tspans joined), entities decoded. */
function svgTexts(svg: string, cls: string): string[] {
  const out: string[] = [];
  for (const m of svg.matchAll(new RegExp(`<text[^>]*class="(?:[^"]*\\s)?${cls}(?:\\s[^"]*)?"[^>]*>([\\s\\S]*?)</text>`, 'g'))) {
    out.push(m[1].replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
  }
  return out;
}

test.describe('Exports: a crowded study and self-explanatory PNG/SVG', () => {
  test.describe.configure({ mode: 'serial' });
  const browser = freshProfile();
  let page: Page;
  let problems: string[];

  test.beforeAll(async ({ server }) => {
    ({ page, problems } = await openApp(browser.context, server.url, '?demo=0&backend=wasm'));
  });

  test('12 models with long names at nearby values: no two drawn labels intersect', async () => {
    test.setTimeout(400_000);
    // the same noise in every file, with a little of one shared factor more per model: nearby AAC and LR
    const files = NAMES.map((name, k) => {
      const z = normals(7);
      return { name, bytes: npyFilled(300, 6, (r, c) => z() + (0.3 + 0.01 * k) * Math.sin(r * 0.7 + (c === 0 ? 0 : c * 0.1))) };
    });
    await dropFiles(page, files);
    for (const name of NAMES) await waitForFileStatus(page, name, ['ready']);
    await chooseMeasures(page, ['aac', 'lr']);
    await runButton(page).click();
    const figure = page.locator('figure[data-chart="aac-vs-lr"]');
    await chartReady(page, 'aac-vs-lr', 360_000);
    await page.waitForFunction(() => document.querySelectorAll('figure[data-chart="aac-vs-lr"] .annotation-text').length >= 2, null, { timeout: 60_000 });
    await chartsSettled(page);
    const boxes = await figure.evaluate((el) =>
      [...el.querySelectorAll('.annotation-text')].map((t) => {
        const r = t.getBoundingClientRect();
        return { text: t.textContent ?? '', left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      }),
    );
    const caption = (await figure.locator('.caption').first().textContent()) ?? '';
    const missing = 12 - boxes.length;
    console.log(`    ${boxes.length} of 12 labels drawn${missing ? `; caption: ${caption.split('\n').at(-1)}` : ''}`);
    expect(boxes.length, 'most points are labelled').toBeGreaterThanOrEqual(6);
    if (missing) expect(caption).toContain(`No room to label ${missing} of the 12 points`);
    expectNoOverlap(boxes, 0, 'study scatter');
  });

  test('the exported SVG and PNG of the LR histogram have a title, axis titles and a legend', async () => {
    test.setTimeout(120_000);
    const card = page.locator('figure[data-chart="lr-per-dim"]');
    await chartReady(page, 'lr-per-dim', 60_000);
    const file = await page.getByRole('combobox', { name: 'File to chart' }).evaluate((s) => (s as HTMLSelectElement).selectedOptions[0].textContent!.trim());
    expect(NAMES).toContain(file);
    const [svgDownload] = await Promise.all([page.waitForEvent('download'), card.locator('[data-export="svg"]').click()]);
    const svg = await readFile(await svgDownload.path(), 'utf8');
    const title = [...svgTexts(svg, 'gtitle'), ...svgTexts(svg, 'gtitle-subtitle')].join(' ');
    expect(title, 'the title names the measure and the file').toContain('LR: held-out R² per dimension');
    expect(title).toContain(file);
    const legend = svgTexts(svg, 'legendtext');
    console.log(`    title: ${title}\n    legend: ${legend.join(' | ')}`);
    expect(legend.some((t) => /^LR \(mean over dims\) -?\d\.\d+/.test(t)), 'the mean line').toBe(true);
    expect(legend.some((t) => /^median -?\d\.\d+/.test(t)), 'the median line').toBe(true);
    expect(legend.some((t) => /^null band \(permuted columns\)/.test(t)), 'the null band').toBe(true);
    expect(legend.some((t) => /^dims \(\d+\) by held-out R²/.test(t)), 'the bars').toBe(true);
    expect(svgTexts(svg, 'xtitle')).toEqual(['held-out R²']);
    expect(svgTexts(svg, 'ytitle')).toEqual(['dims']);
    // the on-screen chart stays compact: no legend, no title
    expect(await card.locator('.legend').count()).toBe(0);
    const svgWidth = Number(/<svg[^>]*\swidth="(\d+)"/.exec(svg)![1]);
    const svgHeight = Number(/<svg[^>]*\sheight="(\d+)"/.exec(svg)![1]);
    expect(svgHeight, 'taller than on screen: room for the title and the legend').toBeGreaterThan(320);

    const [pngDownload] = await Promise.all([page.waitForEvent('download'), card.locator('[data-export="png-2x"]').click()]);
    const bytes = await readFile(await pngDownload.path());
    const { width, height } = pngInfo(bytes);
    expect([width, height], 'the PNG at 2× the SVG’s size').toEqual([2 * svgWidth, 2 * svgHeight]);
    await mkdir(SHOTS, { recursive: true });
    await writeFile(path.join(SHOTS, 'export-lr-per-dim@2x.png'), bytes);
    const stats = await imageStats(page, bytes);
    expect(stats.nonWhiteFraction > 0.01 && stats.colours >= 3, `the PNG is drawn (${JSON.stringify(stats)})`).toBe(true);

    // the study scatter's SVG names the study and the measures; its PNG keeps the labels
    const scatter = page.locator('figure[data-chart="aac-vs-lr"]');
    const [scatterSvg] = await Promise.all([page.waitForEvent('download'), scatter.locator('[data-export="svg"]').click()]);
    const scatterText = await readFile(await scatterSvg.path(), 'utf8');
    expect(svgTexts(scatterText, 'gtitle').join(' ')).toBe('LR vs AAC across models — study of 12 models');
    expect(svgTexts(scatterText, 'legendtext').some((t) => /^models \(12\)/.test(t))).toBe(true);
    const [scatterPng] = await Promise.all([page.waitForEvent('download'), scatter.locator('[data-export="png-1x"]').click()]);
    await writeFile(path.join(SHOTS, 'export-aac-vs-lr.png'), await readFile(await scatterPng.path()));
    expectNoPageProblems(problems, 'exports page');
  });
});
