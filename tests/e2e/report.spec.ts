// The static HTML report: measure three files (AAC, LR, NLR; accuracies typed in for the study), click
// "Report (HTML)", get a download, and open that file from disk (file://) with the network blocked: it renders
// its tables and SVG charts, with the app's numbers, and asks for nothing.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { dropFiles, openApp, runButton, valueCell, waitForFileStatus } from '../../scripts/browser/app.mjs';
import { DEMO, expect, expectNoPageProblems, freshProfile, test, waitForRunIdle } from './fixtures.ts';

// one name with characters the report must escape (and the study reads 'layer1' from it)
const FILES = [
  { name: 'lin <layer1> & co.npy', from: 'synthetic-linear.npy' },
  { name: 'synthetic-nonlinear-layer2.npy', from: 'synthetic-nonlinear.npy' },
  { name: 'synthetic-independent-layer3.npy', from: 'synthetic-independent.npy' },
];
const ACCURACY = ['91.5', '80', '12.25'];
const MEASURES = ['aac', 'lr', 'lrNull', 'lrAdjusted', 'nlr', 'nlr-minus-lr'] as const;
/** the app's column → the report's data-measure */
const REPORT_MEASURE: Record<(typeof MEASURES)[number], string> = { aac: 'aac', lr: 'lr', lrNull: 'lrNull', lrAdjusted: 'lrAdjusted', nlr: 'nlr', 'nlr-minus-lr': 'nlrMinusLr' };

test.describe('Report (HTML): a self-contained file that opens offline', () => {
  test.describe.configure({ mode: 'serial' });
  const browser = freshProfile();
  let page: Page;
  let problems: string[];
  const appValues = new Map<string, Map<string, number | null>>();

  test.beforeAll(async ({ server }) => {
    ({ page, problems } = await openApp(browser.context, server.url, '?demo=0&backend=wasm'));
  });

  test('measure three files (Quick: AAC, LR, NLR) and type their accuracies', async () => {
    test.setTimeout(500_000);
    await dropFiles(page, await Promise.all(FILES.map(async (f) => ({ name: f.name, bytes: await readFile(path.join(DEMO, f.from)) }))));
    for (const f of FILES) await waitForFileStatus(page, f.name, ['ready']);
    await runButton(page).click();
    for (const f of FILES) await page.locator(`td[data-file="${f.name}"][data-measure="nlr"]:not([data-value=""])`).waitFor({ timeout: 450_000 });
    await waitForRunIdle(page, 60_000);
    for (const f of FILES) {
      const values = new Map<string, number | null>();
      for (const m of MEASURES) values.set(m, await valueCell(page, f.name, m, 5_000));
      appValues.set(f.name, values);
    }
    await page.locator('[data-testid="study-table"]').waitFor({ timeout: 30_000 });
    for (const [i, f] of FILES.entries()) await page.getByRole('textbox', { name: `Accuracy of ${f.name} in percent (overrides the probe)` }).fill(ACCURACY[i]);
    await page.locator(`td[data-file="${FILES[2].name}"][data-measure="probe-accuracy"][data-source="user"]`).waitFor({ timeout: 5_000 });
  });

  test('click "Report (HTML)", open the download from disk with the network blocked: tables and SVG charts render', async () => {
    test.setTimeout(120_000);
    const button = page.getByTestId('report-results');
    await expect(button).toHaveText('Report (HTML)');
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toBe('redundancy-report.html');
    // saved under its own name: a file:// page's type comes from its extension
    const file = test.info().outputPath(download.suggestedFilename());
    await download.saveAs(file);
    const text = await readFile(file, 'utf8');
    expect(text).not.toMatch(/<script|https?:\/\//i);

    // the study's button saves the same report
    const [studyDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-study').click()]);
    expect(studyDownload.suggestedFilename()).toBe('redundancy-study-report.html');
    expect((await readFile(await studyDownload.path(), 'utf8')).replace(/<time[^]*?<\/time>/, '')).toBe(text.replace(/<time[^]*?<\/time>/, ''));

    // a page that may not reach the network at all; every request it makes is recorded
    const offline = await browser.context.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    offline.on('request', (r) => requests.push(r.url()));
    offline.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    offline.on('pageerror', (e) => errors.push(e.message));
    await offline.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort('blockedbyclient')));
    const url = `file://${file}`;
    await offline.goto(url);

    await expect(offline.locator('h1')).toHaveText('Redundancy Lab report: 3 files');
    // every file: a row with the app's numbers (full precision) at the report's precision
    const results = offline.locator('table[data-report="results"]');
    await expect(results).toBeVisible();
    for (const f of FILES) {
      const row = results.locator(`tbody tr[data-file="${f.name}"]`);
      await expect(row).toHaveCount(1);
      await expect(row.locator('th')).toHaveText(f.name);
      for (const m of MEASURES) {
        const cell = row.locator(`td[data-measure="${REPORT_MEASURE[m]}"]`);
        const app = appValues.get(f.name)!.get(m)!;
        const value = await cell.getAttribute('data-value');
        // NLR − LR: the app's table takes the worker's mean of differences, the report NLR minus the LR of the same dims
        if (app === null) expect(value, `${f.name} ${m}`).toBe('');
        else expect(Number(value), `${f.name} ${m}`).toBeCloseTo(app, 12);
        expect((await cell.textContent())!.replace('⚠', '').trim(), `${f.name} ${m} shown`).toBe(app === null ? '—' : app.toFixed(4));
      }
    }
    // the warnings, settings and study tables
    await expect(offline.locator('table[data-report="settings"] tbody tr')).toHaveCount(3);
    // every warning the app lists under its table, with its code and message (the independent set reads as noise)
    const notes = page.locator('[data-testid="result-notes"] li[data-warning]');
    const warnings = await notes.count();
    expect(warnings).toBeGreaterThan(0);
    await expect(offline.locator('table[data-report="warnings"] tbody tr')).toHaveCount(warnings);
    for (let i = 0; i < warnings; i++) {
      const note = notes.nth(i);
      const [file, code] = [await note.getAttribute('data-note-file'), await note.getAttribute('data-warning')];
      const message = (await note.textContent())!.replace('⚠', '').replace(`${file}: `, '').trim();
      await expect(offline.locator(`table[data-report="warnings"] tr[data-file="${file}"][data-warning="${code}"] td`).last()).toHaveText(message);
    }
    await expect(offline.locator('table[data-report="study-table"] tbody tr')).toHaveCount(3);
    // at a 1200 px laptop width the per-file tables fit their column: no sideways scrolling inside the report
    await offline.setViewportSize({ width: 1200, height: 900 });
    const overflowing = await offline.evaluate(() =>
      [...document.querySelectorAll('.scroll')]
        .filter((s) => s.scrollWidth > s.clientWidth + 1)
        .map((s) => `${s.querySelector('table')?.getAttribute('data-report')}: ${s.scrollWidth} px in ${s.clientWidth} px`),
    );
    expect(overflowing, 'tables wider than the report at 1200 px').toEqual([]);
    await expect(offline.locator('table[data-report="study-table"] td[data-measure="accuracy"]').first()).toHaveText('91.5% (typed)');

    // the SVG charts: per file LR and NLR histograms and the LR-vs-NLR scatter; five measure-vs-accuracy scatters
    const charts = offline.locator('svg.chart');
    await expect(charts).toHaveCount(3 * 3 + 5);
    for (const id of ['lr-histogram', 'nlr-histogram', 'lr-vs-nlr', 'lr-vs-accuracy']) {
      const chart = offline.locator(`svg[data-chart="${id}"]`).first();
      await expect(chart).toBeVisible();
      const box = (await chart.boundingBox())!;
      expect(box.width > 300 && box.height > 150, `${id} is laid out: ${box.width}×${box.height}`).toBe(true);
      const marks = await chart.locator('rect.bar, circle.point').count();
      expect(marks, `${id} draws its data`).toBeGreaterThan(0);
      // each drawn mark has a real size (the SVG is in the SVG namespace, not unknown HTML elements)
      const drawn = await chart.locator('rect.bar, circle.point').first().evaluate((el) => (el as SVGGraphicsElement).getBBox().width);
      expect(drawn).toBeGreaterThan(0);
    }
    // the lin <layer1> & co file: its name is text, not markup
    await expect(offline.locator(`section.file[data-file="${FILES[0].name}"] h3`)).toContainText(FILES[0].name);

    expect(requests, 'requests are recorded').toContain(url);
    expect(requests.filter((r) => r !== url), 'the report asks for nothing but itself').toEqual([]);
    expect(errors, 'no errors and no CSP violations').toEqual([]);
    await offline.close();
    expectNoPageProblems(problems, 'report page');
  });
});
