// The dim inspector (issue 18: "let them click a dim to see its predictors and its LR/NLR"): a file with planted
// groups measured in the page; a click on a group's bar lists its dims, a click on one shows it; its predictors equal
// the CLI's lr.topPredictors[dim] in order and values; a predictor and a typed number move it; at 412 px nothing is
// wider than the screen. Screenshots at 412, 1280 and 1920 px in tests/e2e/screenshots.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { dropFiles, openApp, runButton, valueCell, waitForFileStatus } from '../../scripts/browser/app.mjs';
import { QUICK_SETTINGS } from '../../src/core/presets.ts';
import type { MeasureSettings } from '../../src/core/lite.ts';
import { settingsHash } from '../../src/ui/persist/permalink.ts';
import { ROOT, SHOTS, chartsSettled, expect, expectNoPageProblems, freshProfile, normals, npyFilled, test, waitForRunIdle, chartReady } from './fixtures.ts';

const FILE = 'planted-groups.npy';
const N = 600;
const D = 24;
/** dims 0–4, 5–9 and 10–13 share one latent each (r ≈ 0.8 inside), 14–23 are independent */
const latentOf = (j: number) => (j < 5 ? 0 : j < 10 ? 1 : j < 14 ? 2 : -1);
/** Quick with a light NLR (8 of the 24 dims, 5 epochs): some dims in the NLR sample, some not */
const SETTINGS: MeasureSettings = { ...QUICK_SETTINGS, nlrDims: { kind: 'count', count: 8 }, mlp: { ...QUICK_SETTINGS.mlp, epochs: 5 } };
const TOLERANCE = 1e-9; // LR and its inverses run in float64 in both: the page equals the CLI to rounding

interface Predictor {
  dim: number;
  coef: number;
  partialCorr: number;
}
interface CliResult {
  d: number;
  lr: { perDim: (number | null)[]; alphaPerDim: (number | null)[]; topPredictors: (Predictor[] | null)[] };
  extras: { redundancyGroups: { groups: { dims: number[] }[] } };
}

function plantedBytes() {
  const normal = normals(18);
  let latents: number[] = [];
  return npyFilled(N, D, (row, col) => {
    if (col === 0) latents = [normal(), normal(), normal()];
    const l = latentOf(col);
    return l >= 0 ? latents[l] + 0.5 * normal() : normal();
  });
}

const inspector = (page: Page) => page.getByTestId('dim-inspector');

async function predictorsShown(page: Page): Promise<Predictor[]> {
  return inspector(page)
    .locator('tr[data-predictor-dim]')
    .evaluateAll((rows) =>
      rows.map((r) => {
        const cells = r.querySelectorAll('td[data-value]');
        return { dim: Number(r.getAttribute('data-predictor-dim')), coef: Number(cells[0].getAttribute('data-value')), partialCorr: Number(cells[1].getAttribute('data-value')) };
      }),
    );
}

function expectSamePredictors(shown: Predictor[], cli: Predictor[], what: string) {
  expect(shown.map((p) => p.dim), `${what}: the predictors' dims, in order`).toEqual(cli.map((p) => p.dim));
  shown.forEach((p, i) => {
    expect(Math.abs(p.coef - cli[i].coef), `${what}: coef of dim ${p.dim}`).toBeLessThanOrEqual(TOLERANCE);
    expect(Math.abs(p.partialCorr - cli[i].partialCorr), `${what}: partial r of dim ${p.dim}`).toBeLessThanOrEqual(TOLERANCE);
  });
}

/** The inspector shows `dim`, its LR equals the CLI's, and its predictors are the CLI's lr.topPredictors[dim]. */
async function expectShows(page: Page, cli: CliResult, dim: number, what: string) {
  await expect(inspector(page)).toHaveAttribute('data-dim', String(dim));
  const lr = Number(await inspector(page).getByTestId('inspector-lr').getAttribute('data-value'));
  expect(Math.abs(lr - cli.lr.perDim[dim]!), `${what}: LR of dim ${dim}`).toBeLessThanOrEqual(TOLERANCE);
  expectSamePredictors(await predictorsShown(page), cli.lr.topPredictors[dim]!, `${what} (dim ${dim})`);
}

/** The centre of a drawn element, in page coordinates: Plotly's drag layer covers the bars, so the mouse clicks there. */
async function clickCentre(page: Page, selector: string) {
  await page.locator(selector).first().scrollIntoViewIfNeeded();
  const box = (await page.locator(selector).first().boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

/** Elements (visible, not inside a horizontal scroller) that reach past the window's right edge. */
async function overflowing(page: Page) {
  return page.evaluate(() => {
    const edge = document.documentElement.clientWidth;
    const scrollsSideways = (el: Element) => {
      for (let p = el.parentElement; p; p = p.parentElement) {
        const s = getComputedStyle(p);
        if ((s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden') && p.getBoundingClientRect().right <= edge + 1) return true;
      }
      return false;
    };
    const out: string[] = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= edge + 1 || scrollsSideways(el)) continue;
      out.push(`${el.tagName.toLowerCase()}.${typeof el.className === 'string' ? el.className.trim().split(/\s+/)[0] : ''} right ${Math.round(r.right)}`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, out: out.slice(0, 8) };
  });
}

test.describe('dim inspector', () => {
  test.describe.configure({ mode: 'serial' });
  const browser = freshProfile();
  let page: Page;
  let problems: string[];
  let cli: CliResult;
  let dir: string;

  test.beforeAll(async ({ server }) => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'rl-inspector-'));
    const file = path.join(dir, FILE);
    await writeFile(file, plantedBytes());
    // the CLI's reference on the same file (LR only: the predictors come from LR's ridge inverses)
    cli = JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'bin/redundancy-lab.mjs'), 'measure', file, '--json', '--measures', 'aac,lr'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 }));
    ({ page, problems } = await openApp(browser.context, server.url, `?demo=0&backend=wasm${settingsHash(SETTINGS)}`));
  });

  test.afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('a group\'s bar lists its dims; a dim shows its LR, NLR, group and the CLI\'s top predictors', async () => {
    test.setTimeout(240_000);
    // the planted groups are what the CLI found
    expect(cli.extras.redundancyGroups.groups.map((g) => g.dims)).toEqual([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11, 12, 13]]);
    await dropFiles(page, [{ name: FILE, bytes: plantedBytes() }]);
    await waitForFileStatus(page, FILE, ['ready']);
    await runButton(page).click();
    await valueCell(page, FILE, 'nlr', 200_000);
    await waitForRunIdle(page, 60_000);
    await expect(inspector(page)).toHaveAttribute('data-dim', '');

    // group #2 (dims 5–9): its bar, then its third member
    await chartReady(page, 'redundancy-groups', 60_000);
    await clickCentre(page, 'figure[data-chart="redundancy-groups"] .bars .point path >> nth=1');
    const list = inspector(page).getByTestId('dim-list');
    await expect(list).toContainText('group #2: 5 dims');
    expect(await list.locator('[data-list-dim]').evaluateAll((b) => b.map((x) => Number(x.getAttribute('data-list-dim'))))).toEqual([5, 6, 7, 8, 9]);
    await list.locator('[data-list-dim="7"]').click();
    await expectShows(page, cli, 7, 'a member of group #2');
    await expect(inspector(page).getByTestId('inspector-group')).toHaveAttribute('data-group', '2');
    await expect(inspector(page).getByTestId('inspector-alpha')).toHaveAttribute('title', String(cli.lr.alphaPerDim[7]));
    // the predictors say which matrix they come from
    await expect(inspector(page)).toContainText('(G_train + αI)⁻¹');
    // its strongest predictors are its group's other dims
    expect((await predictorsShown(page)).slice(0, 4).map((p) => p.dim).sort()).toEqual([5, 6, 8, 9]);

    // a predictor moves the inspector to it
    const next = cli.lr.topPredictors[7]![0].dim;
    await inspector(page).locator(`tr[data-predictor-dim="${next}"] button`).click();
    await expectShows(page, cli, next, 'after clicking a predictor');

    // a typed number does the same, for every dim; NLR is shown where trained, else said to be outside the sample
    let inSample = 0;
    let outside = 0;
    for (let dim = 0; dim < D; dim++) {
      await inspector(page).getByLabel('dim #').fill(String(dim));
      await inspector(page).getByLabel('dim #').press('Enter');
      await expectShows(page, cli, dim, 'a typed dim');
      const nlr = inspector(page).getByTestId('inspector-nlr');
      if ((await nlr.getAttribute('data-value')) === '') {
        await expect(nlr).toContainText('not in the NLR sample');
        outside++;
      } else {
        await expect(nlr).toContainText('NLR − LR');
        inSample++;
      }
      await expect(inspector(page).getByTestId('inspector-group')).toHaveAttribute('data-group', latentOf(dim) >= 0 ? String(latentOf(dim) + 1) : '');
    }
    expect(inSample).toBe(8);
    expect(outside).toBe(D - 8);
    // out of range: said, and the dim shown stays
    await inspector(page).getByLabel('dim #').fill('24');
    await inspector(page).getByLabel('dim #').press('Enter');
    await expect(inspector(page).getByRole('alert')).toContainText('from 0 to 23');
    await expect(inspector(page)).toHaveAttribute('data-dim', String(D - 1));
    expectNoPageProblems(problems, 'dim inspector');
  });

  test('a heatmap cell and a point of LR vs NLR pick their dims; keyboard: Enter on a focused predictor moves, focus stays in the panel', async () => {
    test.setTimeout(60_000);
    await chartReady(page, 'correlation-heatmap', 30_000);
    await clickCentre(page, 'figure[data-chart="correlation-heatmap"] .nsewdrag');
    const cell = inspector(page).getByTestId('dim-list');
    await expect(cell).toContainText(/cell dim \d+ × dim \d+/);
    const shown = Number(await inspector(page).getAttribute('data-dim'));
    expect(shown).toBeGreaterThanOrEqual(0);
    await expectShows(page, cli, shown, 'a heatmap cell');

    await chartReady(page, 'lr-vs-nlr-per-dim', 30_000);
    const point = page.locator('figure[data-chart="lr-vs-nlr-per-dim"] .scatterlayer .trace:nth-child(2) .point').first();
    await point.scrollIntoViewIfNeeded();
    const box = (await point.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect(inspector(page).getByTestId('dim-list')).toHaveCount(0); // a single dim: no list
    const picked = Number(await inspector(page).getAttribute('data-dim'));
    await expect(inspector(page).getByTestId('inspector-nlr')).toContainText('NLR − LR');
    await expectShows(page, cli, picked, 'a point of LR vs NLR');

    // keyboard only: focus the first predictor's button and press Enter
    const first = cli.lr.topPredictors[picked]![0].dim;
    await inspector(page).locator(`tr[data-predictor-dim="${first}"] button`).focus();
    await page.keyboard.press('Enter');
    await expectShows(page, cli, first, 'a predictor chosen with the keyboard');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('dim-inspector-heading');
    expectNoPageProblems(problems, 'inspector picks');
  });

  test('at 412, 1280 and 1920 px: nothing wider than the screen (412), screenshots of the inspector', async () => {
    test.setTimeout(90_000);
    await inspector(page).getByLabel('dim #').fill('2');
    await inspector(page).getByLabel('dim #').press('Enter');
    await clickCentre(page, 'figure[data-chart="redundancy-groups"] .bars .point path >> nth=0');
    await inspector(page).locator('[data-list-dim="2"]').click();
    for (const width of [412, 1280, 1920]) {
      await page.setViewportSize({ width, height: width === 412 ? 915 : 1000 });
      await chartsSettled(page);
      if (width === 412) {
        const o = await overflowing(page);
        expect(o.scrollWidth, `at 412 px the page is ${o.scrollWidth} px wide: ${o.out.join(', ')}`).toBeLessThanOrEqual(o.innerWidth);
        expect(o.out, 'elements past the right edge at 412 px').toEqual([]);
        const box = (await inspector(page).boundingBox())!;
        expect(box.x >= 0 && box.x + box.width <= 412, 'the inspector inside the screen').toBe(true);
      }
      await inspector(page).scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `dim-inspector-${width}.png`) });
      await page.screenshot({ path: path.join(SHOTS, `dim-inspector-${width}-full.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    expectNoPageProblems(problems, 'inspector layout');
  });
});
