// End-to-end tests of the built app (dist/) in Debian's Chromium through playwright-core.
// Plain assertions; any failure → exit code 1. Run with `npm run test:e2e` (builds first).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, chooseMeasures, dropFiles, imageStats, launchBrowser, openApp, runButton, screenshot, valueCell, waitForFileStatus } from './app.mjs';
import { pngInfo } from './png.mjs';
import { privacyGroup } from './privacy.mjs';
import { persistenceGroup } from './persistence.mjs';
import { badFilesGroup } from './badFiles.mjs';
import { failuresGroup } from './failures.mjs';
import { shardsGroup } from './shards.mjs';
import { trustGroup } from './trust.mjs';
import { serveStatic } from './server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = path.join(ROOT, 'dist');
const SHOTS = path.join(ROOT, 'tests/e2e/screenshots');
const DEMO = path.join(ROOT, 'public/demo');
// AAC and LR run in float64 on every backend: the page equals the CLI to rounding
const TOLERANCE = 1e-9;

// ------------------------------------------------------------------ a minimal runner

const outcomes = [];
const only = process.env.E2E_ONLY ? new RegExp(process.env.E2E_ONLY) : null;

async function step(name, timeoutMs, fn) {
  const t0 = Date.now();
  let timer;
  try {
    await Promise.race([fn(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs / 1000} s`)), timeoutMs)))]);
    outcomes.push({ name, ok: true, ms: Date.now() - t0 });
    console.log(`  ✓ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  } catch (e) {
    outcomes.push({ name, ok: false, ms: Date.now() - t0, error: e });
    console.log(`  ✗ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n    ${String(e?.stack ?? e).split('\n').slice(0, 6).join('\n    ')}`);
  } finally {
    clearTimeout(timer);
  }
}

/** One Chromium (fresh profile) per group; the group's steps share it. */
async function group(name, fn) {
  if (only && !only.test(name)) return;
  console.log(`\n${name}`);
  const profile = await mkdtemp(path.join(os.tmpdir(), 'rl-e2e-'));
  const context = await launchBrowser(profile);
  try {
    await fn(context);
  } catch (e) {
    outcomes.push({ name: `${name} (group)`, ok: false, error: e });
    console.log(`  ✗ group aborted: ${e?.stack ?? e}`);
  } finally {
    await context.close().catch(() => undefined);
    await rm(profile, { recursive: true, force: true });
  }
}

function assertNoPageProblems(problems, what) {
  const serious = problems.filter((p) => !/Failed to load resource|favicon/.test(p));
  assert.deepEqual(serious, [], `${what}: errors in the page`);
}

// ------------------------------------------------------------------ reference numbers from the CLI

function cliMeasure(file) {
  const out = execFileSync(process.execPath, [path.join(ROOT, 'bin/redundancy-lab.mjs'), 'measure', file, '--json', '--measures', 'aac,lr'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const json = JSON.parse(out);
  return { aac: json.aac.value, lr: json.lr.value };
}

/** Drop → Run (AAC + LR) → compare the table's data-values with the CLI's JSON. */
async function measureLikeTheCli(page, fileName, bytes, expected, backend) {
  await dropFiles(page, [{ name: fileName, bytes }]);
  await waitForFileStatus(page, fileName, ['ready']);
  await chooseMeasures(page, ['aac', 'lr']);
  await page.locator(`[data-backend="${backend}"]`).waitFor({ timeout: 60_000 });
  await runButton(page).click();
  const aac = await valueCell(page, fileName, 'aac', 180_000);
  const lr = await valueCell(page, fileName, 'lr', 5_000);
  assert.ok(Math.abs(aac - expected.aac) <= TOLERANCE, `${backend}: AAC ${aac} vs CLI ${expected.aac}`);
  assert.ok(Math.abs(lr - expected.lr) <= TOLERANCE, `${backend}: LR ${lr} vs CLI ${expected.lr}`);
  const rowBackend = await page.locator('.badge').getAttribute('data-backend');
  assert.equal(rowBackend, backend);
  // LR's float64 inverses ran through the WebAssembly SIMD kernel, not the JS fallback, whatever the backend
  assert.equal(await page.locator('.badge [data-float64-kernel]').getAttribute('data-float64-kernel'), 'wasm-simd');
  return { aac, lr };
}

// ------------------------------------------------------------------ the tests

async function main() {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install chromium (never download a browser)`);
  assert.ok(existsSync(path.join(DIST, 'index.html')), 'dist/ is missing: run vite build first');
  await mkdir(SHOTS, { recursive: true });
  const server = await serveStatic(DIST);
  const started = Date.now();

  const linearName = 'synthetic-linear.npy';
  const linearBytes = await readFile(path.join(DEMO, linearName));
  const expected = cliMeasure(path.join(DEMO, linearName));
  console.log(`CLI reference for ${linearName}: AAC ${expected.aac}, LR ${expected.lr}`);

  try {
    await group('WASM: empty page, drop, run, export, errors, cancel', async (context) => {
      const { page, problems } = await openApp(context, server.url, '?demo=0&backend=wasm');

      await step('loads empty, with the file input and the Run button', 30_000, async () => {
        assert.equal(await page.locator('input[type="file"]').count(), 1);
        assert.equal(await page.locator('input[type="file"]').getAttribute('multiple'), '');
        assert.ok(await runButton(page).isDisabled(), 'Run is disabled with no files');
        await page.locator('[data-backend="wasm"]').waitFor({ timeout: 30_000 });
        await screenshot(page, SHOTS, '01-empty');
      });

      await step('drop a real .npy, run AAC + LR, same numbers as the CLI (WASM)', 120_000, async () => {
        await measureLikeTheCli(page, linearName, linearBytes, expected, 'wasm');
        for (const m of ['n', 'd', 'dead', 'rankme', 'nlr-minus-lr', 'time-ms']) {
          assert.equal(await page.locator(`td[data-file="${linearName}"][data-measure="${m}"]`).count(), 1, `cell ${m}`);
        }
        assert.equal(await valueCell(page, linearName, 'n'), 2000);
        assert.equal(await valueCell(page, linearName, 'd'), 32);
        const shown = await page.locator(`td[data-file="${linearName}"][data-measure="lr"]`).textContent();
        assert.match(shown.trim(), /^−?\d\.\d\d$|^−?0\.\d\d\d$/, `LR shown with 3 significant digits: ${shown}`);
      });

      await step('export a chart as PNG: a valid image with drawn pixels', 60_000, async () => {
        const card = page.locator('figure[data-chart="lr-per-dim"]');
        await page.locator('figure[data-chart="lr-per-dim"][data-status="ready"]').waitFor({ timeout: 60_000 });
        const [download] = await Promise.all([page.waitForEvent('download'), card.locator('[data-export="png-2x"]').click()]);
        assert.equal(download.suggestedFilename(), 'synthetic-linear-lr-per-dim@2x.png');
        const bytes = await readFile(await download.path());
        const info = pngInfo(bytes);
        const stats = await imageStats(page, bytes);
        assert.ok(info.width >= 800, `2× PNG is ${info.width} px wide`);
        assert.ok(stats.nonWhiteFraction > 0.01, `PNG is blank (${(stats.nonWhiteFraction * 100).toFixed(2)}% non-white)`);
        assert.ok(stats.colours >= 3, `PNG has ${stats.colours} colours`);
        const [csv] = await Promise.all([page.waitForEvent('download'), card.locator('[data-export="csv"]').click()]);
        assert.equal(csv.suggestedFilename(), 'synthetic-linear-lr-per-dim.csv');
        const text = await readFile(await csv.path(), 'utf8');
        assert.equal(text.split('\n')[0], 'dim,r2,alpha');
        assert.equal(text.trim().split('\n').length, 33);
      });

      await step('the heatmap can be shown in cluster order', 30_000, async () => {
        await page.getByLabel('heatmap in cluster order').check();
        await page.locator('figure[data-chart="correlation-heatmap-clustered"][data-status="ready"]').waitFor({ timeout: 20_000 });
        const caption = await page.locator('figure[data-chart="correlation-heatmap-clustered"] .caption').first().textContent();
        assert.match(caption, /cluster order/);
        await page.getByLabel('heatmap in cluster order').uncheck();
      });

      await step('a broken file shows a specific error and the page keeps working', 30_000, async () => {
        await dropFiles(page, [{ name: 'broken.npy', bytes: Buffer.from('\x93NUMPY\x01\x00garbage that is not a header') }]);
        await waitForFileStatus(page, 'broken.npy', ['error']);
        const message = await page.locator('li[data-file="broken.npy"] [role="alert"]').textContent();
        assert.match(message, /broken\.npy/, 'the error names the file');
        assert.ok(message.length > 20, `a specific message: ${message}`);
        assert.notEqual(await valueCell(page, linearName, 'aac'), null, 'earlier results stay');
        await screenshot(page, SHOTS, '04-error');
        await page.getByRole('button', { name: 'Remove broken.npy' }).click();
      });

      await step('cancel a long job within a second; the page answers, earlier results remain', 120_000, async () => {
        const before = await valueCell(page, linearName, 'aac');
        const longName = 'mnist-mobilenetv2-layer3-pool.npz';
        await dropFiles(page, [{ name: longName, bytes: await readFile(path.join(DEMO, longName)) }]);
        await waitForFileStatus(page, longName, ['ready']);
        await page.getByRole('button', { name: 'Paper protocol' }).click();
        await runButton(page).click();
        await page.locator('[data-testid="stage"]', { hasText: 'NLR' }).waitFor({ timeout: 90_000 });
        await page.waitForTimeout(1500);
        await screenshot(page, SHOTS, '03-running');
        const t0 = Date.now();
        await page.getByRole('button', { name: 'Cancel' }).click();
        await page.getByRole('button', { name: /^Cancel/ }).waitFor({ state: 'detached', timeout: 5_000 });
        const stopMs = Date.now() - t0;
        console.log(`    cancel took ${stopMs} ms`);
        assert.ok(stopMs < 1500, `cancel took ${stopMs} ms`);
        await page.locator('[data-testid="notice"]', { hasText: 'Cancelled' }).waitFor({ timeout: 2_000 });
        // the page answers: settings open, and a new short job runs on the (possibly fresh) worker
        const t1 = Date.now();
        await page.getByText('Edit settings').click();
        assert.ok(Date.now() - t1 < 1000, 'the page answers at once');
        assert.equal(await valueCell(page, linearName, 'aac'), before, 'earlier results remain');
        await chooseMeasures(page, ['aac']);
        await runButton(page).click();
        const aac = await valueCell(page, longName, 'aac', 90_000);
        assert.ok(aac > 0 && aac < 1, `AAC of ${longName} after the cancel: ${aac}`);
        assertNoPageProblems(problems, 'WASM page');
      });
    });

    await group('WASM threads: the multi-threaded build, same numbers as the CLI', async (context) => {
      // the test server sends COOP/COEP, so the page is cross-origin isolated and tfjs takes its threaded
      // build; on a 2-core machine it would pick 1 thread (it halves the core count), ?threads=2 asks for 2
      const { page, problems } = await openApp(context, server.url, '?demo=0&backend=wasm&threads=2');
      await step('?threads=2: the badge says 2 threads, AAC + LR equal the CLI', 120_000, async () => {
        await page.locator('[data-backend="wasm"]').waitFor({ timeout: 60_000 });
        assert.ok(await page.evaluate(() => self.crossOriginIsolated), 'the test page is cross-origin isolated');
        const badge = (await page.locator('.badge').textContent()).replace(/\s+/g, ' ');
        assert.match(badge, /SIMD, 2 threads/, `badge: ${badge}`);
        await measureLikeTheCli(page, linearName, linearBytes, expected, 'wasm');
        assertNoPageProblems(problems, 'WASM threads page');
      });
    });

    await group('Host without COOP/COEP (GitHub Pages): the service worker isolates the page from the second visit', async (context) => {
      const plain = await serveStatic(DIST, { isolation: false });
      try {
        const { page, problems } = await openApp(context, plain.url, '?demo=0&backend=wasm&threads=2');
        const badge = async () => (await page.locator('.badge').textContent()).replace(/\s+/g, ' ');
        await step('first visit: 1 thread, and the badge says why; after a reload: isolated, 2 threads, same numbers as the CLI', 180_000, async () => {
          await page.locator('[data-backend="wasm"]').waitFor({ timeout: 60_000 });
          assert.equal(await page.evaluate(() => self.crossOriginIsolated), false, 'no headers, no service worker yet: not isolated');
          assert.match(await badge(), /1 thread \(page not cross-origin isolated\)/);
          await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 60_000 });
          await page.reload();
          await page.locator('[data-backend="wasm"]').waitFor({ timeout: 60_000 });
          assert.equal(await page.evaluate(() => self.crossOriginIsolated), true, 'the service worker added COOP/COEP');
          assert.match(await badge(), /SIMD, 2 threads/);
          await measureLikeTheCli(page, linearName, linearBytes, expected, 'wasm');
          assertNoPageProblems(problems, 'page on a host without COOP/COEP');
        });
      } finally {
        await plain.close();
      }
    });

    await group('WebGL (SwiftShader): same numbers as the CLI', async (context) => {
      const { page, problems } = await openApp(context, server.url, '?demo=0&backend=webgl');
      await step('drop, run AAC + LR on WebGL, compare with the CLI', 240_000, async () => {
        await measureLikeTheCli(page, linearName, linearBytes, expected, 'webgl');
        assertNoPageProblems(problems, 'WebGL page');
      });
    });

    await group('WebGPU (SwiftShader): same numbers as the CLI', async (context) => {
      const { page, problems } = await openApp(context, server.url, '?demo=0&backend=webgpu');
      await step('drop, run AAC + LR on WebGPU, compare with the CLI', 240_000, async () => {
        await measureLikeTheCli(page, linearName, linearBytes, expected, 'webgpu');
        assertNoPageProblems(problems, 'WebGPU page');
      });
    });

    await group('Study: four models with labels, probe accuracy, measure vs accuracy', async (context) => {
      const { page, problems } = await openApp(context, server.url, '?demo=0&backend=wasm');
      const manifest = JSON.parse(await readFile(path.join(DEMO, 'manifest.json'), 'utf8'));
      const models = manifest.files.filter((f) => f.role === 'embedding' && f.file.startsWith('mnist-')).map((f) => f.file);
      assert.ok(models.length >= 4, `the demo has ${models.length} MNIST models`);
      await step('drop 4 models (npz with labels), run AAC + LR + probe, see the study', 400_000, async () => {
        await dropFiles(page, await Promise.all(models.map(async (name) => ({ name, bytes: await readFile(path.join(DEMO, name)) }))));
        for (const name of models) await waitForFileStatus(page, name, ['ready']);
        await chooseMeasures(page, ['aac', 'lr']);
        assert.ok(await page.getByRole('checkbox', { name: 'Linear probe' }).isChecked(), 'the probe is on by default');
        await runButton(page).click();
        await page.locator('[data-testid="study-table"]').waitFor({ timeout: 300_000 });
        for (const name of models) {
          const cell = page.locator(`td[data-file="${name}"][data-measure="probe-accuracy"]:not([data-value=""])`);
          await cell.waitFor({ timeout: 300_000 });
          const acc = Number(await cell.getAttribute('data-value'));
          // 10 MNIST digit classes: chance is 10%; pretrained MobileNetV2 features separate them far better
          assert.ok(acc > 0.5 && acc <= 1, `${name}: probe accuracy ${acc}`);
          assert.equal(await page.locator(`[data-testid="study-table"] tr[data-file="${name}"]`).count(), 1);
        }
        const chart = page.locator('figure[data-chart="lr-vs-accuracy"][data-status="ready"]');
        await chart.waitFor({ timeout: 60_000 });
        const caption = await page.locator('figure[data-chart="lr-vs-accuracy"]').textContent();
        assert.match(caption, /Pearson r = -?\d\.\d{3}, 95% bootstrap CI \[/, 'r with its bootstrap CI');
        await page.locator('figure[data-chart="measures-vs-layer"][data-status="ready"]').waitFor({ timeout: 30_000 });
        await page.locator('figure[data-chart="aac-vs-lr"][data-status="ready"]').waitFor({ timeout: 30_000 });
        await page.waitForTimeout(300);
        await screenshot(page, SHOTS, '05-study');
      });
      await step('export the measure-vs-accuracy chart (PNG) and the study table (CSV); split CI; typed accuracy', 300_000, async () => {
        const card = page.locator('figure[data-chart="lr-vs-accuracy"]');
        const [download] = await Promise.all([page.waitForEvent('download'), card.locator('[data-export="png-2x"]').click()]);
        assert.equal(download.suggestedFilename(), 'study-lr-vs-accuracy@2x.png');
        const bytes = await readFile(await download.path());
        pngInfo(bytes);
        const stats = await imageStats(page, bytes);
        assert.ok(stats.nonWhiteFraction > 0.005 && stats.colours >= 3, 'the PNG has a drawn chart');
        const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Study as CSV' }).click()]);
        const lines = (await readFile(await csv.path(), 'utf8')).trim().split('\n');
        assert.equal(lines.length, 1 + models.length);
        assert.match(lines[0], /accuracy/);
        // a split-resampling interval per model (k = 3 re-drawn splits)
        await page.getByRole('spinbutton', { name: 'Number of splits' }).fill('3');
        await page.getByRole('button', { name: 'Split CI' }).click();
        for (const name of models) {
          const cell = page.locator(`td[data-file="${name}"][data-measure="lr-split-ci"]:not([data-value=""])`);
          await cell.waitFor({ timeout: 240_000 });
          const [lo, hi] = (await cell.getAttribute('data-value')).split(',').map(Number);
          assert.ok(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi, `${name}: split CI [${lo}, ${hi}]`);
        }
        // an accuracy typed by the user overrides the probe's, and says so
        const input = page.getByRole('textbox', { name: `Accuracy of ${models[0]} in percent (overrides the probe)` });
        await input.fill('12.5');
        await page.locator(`td[data-file="${models[0]}"][data-measure="probe-accuracy"][data-source="user"]`).waitFor({ timeout: 5_000 });
        assertNoPageProblems(problems, 'study page');
      });
    });

    await group('First open: the demo loads and runs by itself', async (context) => {
      const { page, problems } = await openApp(context, server.url, '');
      await step('demo files appear: AAC + LR + probe for all first, then NLR (Quick preset)', 560_000, async () => {
        const manifest = JSON.parse(await readFile(path.join(DEMO, 'manifest.json'), 'utf8'));
        const names = manifest.files.filter((f) => f.role === 'embedding').map((f) => f.file);
        for (const name of names) {
          const v = await valueCell(page, name, 'lr', 280_000);
          assert.ok(v !== null && Number.isFinite(v), `${name}: LR ${v}`);
        }
        await page.locator('figure[data-chart="correlation-heatmap"][data-status="ready"]').waitFor({ timeout: 60_000 });
        await page.locator('figure[data-chart="measures-by-file"][data-status="ready"]').waitFor({ timeout: 60_000 });
        // the demo is also a real study: MobileNetV2 layers with their labels → probe accuracy per layer
        await page.locator('[data-testid="study-table"]').waitFor({ timeout: 60_000 });
        for (const name of names.filter((n) => n.startsWith('mnist-'))) {
          const cell = page.locator(`td[data-file="${name}"][data-measure="probe-accuracy"]:not([data-value=""])`);
          await cell.waitFor({ timeout: 120_000 });
          assert.ok(Number(await cell.getAttribute('data-value')) > 0.5, `${name}: demo probe accuracy`);
        }
        await page.locator('figure[data-chart="lr-vs-accuracy"][data-status="ready"]').waitFor({ timeout: 60_000 });
        // then NLR follows for every file; the non-linear set is the paper's point: NLR finds what LR cannot
        const nlrCell = page.locator('td[data-file="synthetic-nonlinear.npy"][data-measure="nlr"]:not([data-value=""])');
        await nlrCell.waitFor({ timeout: 400_000 });
        await page.waitForFunction(() => !window.redundancyLab.run.active, null, { timeout: 60_000 });
        await page.waitForTimeout(500);
        await screenshot(page, SHOTS, '02-demo-results');
        await page.screenshot({ path: path.join(SHOTS, '02-demo-viewport.png') }); // what a newcomer sees first (docs/screenshot.png)
        const nlrNonlinear = await valueCell(page, 'synthetic-nonlinear.npy', 'nlr');
        const lrNonlinear = await valueCell(page, 'synthetic-nonlinear.npy', 'lr');
        console.log(`    synthetic-nonlinear: LR ${lrNonlinear}, NLR ${nlrNonlinear}`);
        assert.ok(Math.abs(lrNonlinear) < 0.1 && nlrNonlinear > lrNonlinear + 0.3, `products of dims: LR ≈ 0 but NLR clearly higher (LR ${lrNonlinear}, NLR ${nlrNonlinear})`);
        // the 1,280-d layer: held-out LR below 0 is flagged (D/N_train ≈ 0.6, dims below −1), with the null beside it
        const pool = 'mnist-mobilenetv2-layer3-pool.npz';
        const poolWarnings = await page.locator(`td[data-file="${pool}"][data-measure="lr"]`).getAttribute('data-warning');
        assert.match(poolWarnings ?? '', /\bhigh-d-over-n\b/, `${pool} LR cell: ${poolWarnings}`);
        const poolNull = await valueCell(page, pool, 'lrNull');
        assert.ok(poolNull < (await valueCell(page, pool, 'lr')), `${pool}: LR above its null (${poolNull})`);
        assert.match(await page.locator(`li[data-file="${pool}"]`).first().textContent(), /held-out LR is negative here/);
        assertNoPageProblems(problems, 'demo page');
      });
    });

    await privacyGroup({ group, step, server, DIST, DEMO });
    await persistenceGroup({ group, step, server, DIST, DEMO, SHOTS });
    await badFilesGroup({ group, step, server, ROOT, DEMO, SHOTS });
    await failuresGroup({ group, step, server, DEMO });
    await shardsGroup({ group, step, server, ROOT, DEMO, SHOTS });
    await trustGroup({ group, step, server });
  } finally {
    await server.close();
  }

  const failed = outcomes.filter((o) => !o.ok);
  console.log(`\n${outcomes.length - failed.length} passed, ${failed.length} failed, ${((Date.now() - started) / 1000).toFixed(0)} s; screenshots in ${path.relative(ROOT, SHOTS)}/`);
  process.exitCode = failed.length ? 1 : 0;
}

await main();
