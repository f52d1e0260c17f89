// The suite's shared pieces: paths, the `test` object with a worker-scoped static server, a fresh Chromium profile
// per describe block, the CLI's reference numbers, and the waits and checks several spec files use.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, type BrowserContext, type BrowserType, type LaunchOptions, type Page, type TestInfo } from '@playwright/test';
import { chooseMeasures, dropFiles, launchBrowser, runButton, valueCell, waitForFileStatus } from '../../scripts/browser/app.mjs';
import { DEMO, DIST, ROOT, SHOTS } from './paths.ts';
import { serveStatic, type StaticServer } from '../../scripts/browser/server.mjs';

export { expect };

export { DEMO, DIST, ROOT, SHOTS };
/** The demo's small linear set: the file most tests drop. */
export const LINEAR = 'synthetic-linear.npy';

/** `server`: dist/ on 127.0.0.1 with COOP/COEP (and the CSP of index.html), one per worker process. */
export const test = base.extend<object, { server: StaticServer }>({
  server: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await serveStatic(DIST);
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
});

/** A Chromium with its own fresh profile folder, launched with the config's launch and context options. */
export async function launchProfile(chromium: BrowserType, launchOptions: LaunchOptions, testInfo: TestInfo, prefix = 'rl-e2e-') {
  const profile = await mkdtemp(path.join(os.tmpdir(), prefix));
  const { viewport, acceptDownloads } = testInfo.project.use;
  const context = await launchBrowser(profile, { chromiumType: chromium, launchOptions, contextOptions: { viewport, acceptDownloads } });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * One Chromium with a fresh profile (service worker, IndexedDB, cache) for the describe block that calls this,
 * as a persistent context: its tests share it, as the steps of one group did. On a failure, every open page of
 * it is attached to the report as a full-page screenshot.
 */
export function freshProfile(prefix = 'rl-e2e-') {
  let opened: Awaited<ReturnType<typeof launchProfile>> | undefined;
  test.beforeAll(async ({ playwright, launchOptions }, testInfo) => {
    opened = await launchProfile(playwright.chromium, launchOptions, testInfo, prefix);
  });
  // eslint-disable-next-line no-empty-pattern
  test.afterEach(async ({}, testInfo) => {
    if (!opened || testInfo.status === testInfo.expectedStatus) return;
    for (const [i, page] of opened.context.pages().entries()) {
      const body = await page.screenshot({ fullPage: true, timeout: 10_000 }).catch(() => null);
      if (body) await testInfo.attach(`page-${i}-at-failure`, { body, contentType: 'image/png' });
    }
  });
  test.afterAll(async () => {
    await opened?.close();
    opened = undefined;
  });
  return {
    get context(): BrowserContext {
      if (!opened) throw new Error('the profile is opened in beforeAll');
      return opened.context;
    },
  };
}

// ------------------------------------------------------------------ reference numbers from the CLI

export interface CliNumbers {
  n: number;
  d: number;
  aac: number;
  lr: number;
  /** α-ReQ (extras; null where the fit range is too short) */
  alphaReq: number | null;
}

const cliCache = new Map<string, CliNumbers>();

/** `redundancy-lab measure FILES --json --measures aac,lr` (several files: shards of one set); cached per process. */
export function cliMeasure(files: string[]): CliNumbers {
  const key = files.join('\0');
  const cached = cliCache.get(key);
  if (cached) return cached;
  const out = execFileSync(process.execPath, [path.join(ROOT, 'bin/redundancy-lab.mjs'), 'measure', ...files, '--json', '--measures', 'aac,lr'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const json = JSON.parse(out);
  const numbers = { n: json.n, d: json.d, aac: json.aac.value, lr: json.lr.value, alphaReq: json.extras.alphaReq };
  cliCache.set(key, numbers);
  return numbers;
}

// AAC and LR run in float64 on every backend: the page equals the CLI to rounding
export const CLI_TOLERANCE = 1e-9;

/** Drop → Run (AAC + LR) → compare the table's data-values with the CLI's JSON. */
export async function measureLikeTheCli(page: Page, fileName: string, bytes: Uint8Array, expected: { aac: number; lr: number }, backend: string) {
  await dropFiles(page, [{ name: fileName, bytes }]);
  await waitForFileStatus(page, fileName, ['ready']);
  await chooseMeasures(page, ['aac', 'lr']);
  await page.locator(`[data-backend="${backend}"]`).waitFor({ timeout: 60_000 });
  await runButton(page).click();
  const aac = (await valueCell(page, fileName, 'aac', 180_000))!;
  const lr = (await valueCell(page, fileName, 'lr', 5_000))!;
  expect(Math.abs(aac - expected.aac), `${backend}: AAC ${aac} vs CLI ${expected.aac}`).toBeLessThanOrEqual(CLI_TOLERANCE);
  expect(Math.abs(lr - expected.lr), `${backend}: LR ${lr} vs CLI ${expected.lr}`).toBeLessThanOrEqual(CLI_TOLERANCE);
  const rowBackend = await page.locator('.badge').getAttribute('data-backend');
  expect(rowBackend).toBe(backend);
  // LR's float64 inverses ran through the WebAssembly SIMD kernel, not the JS fallback, whatever the backend
  expect(await page.locator('.badge [data-float64-kernel]').getAttribute('data-float64-kernel')).toBe('wasm-simd');
  return { aac, lr };
}

// ------------------------------------------------------------------ checks and waits on the app's state

export function expectNoPageProblems(problems: string[], what: string) {
  const serious = problems.filter((p) => !/Failed to load resource|favicon/.test(p));
  expect(serious, `${what}: errors in the page`).toEqual([]);
}

interface AppWindow {
  redundancyLab: { run: { active: boolean }; client: { injectFault(kind: string): void } };
}

/** Whether a run is in progress (the session the page exposes as window.redundancyLab). */
export function runIsActive(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as AppWindow).redundancyLab.run.active);
}

/** Waits until no run is in progress. */
export async function waitForRunIdle(page: Page, timeout: number) {
  await page.waitForFunction(() => !(window as unknown as AppWindow).redundancyLab.run.active, null, { timeout });
}

/** Makes the measure worker fail on its next job (device loss, crash): the app's own test hook. */
export async function injectFault(page: Page, kind: 'device-lost' | 'crash') {
  await page.evaluate((k) => (window as unknown as AppWindow).redundancyLab.client.injectFault(k), kind);
}

/**
 * A chart drawn, scrolled to first: while a job computes, charts off screen are drawn only when scrolled to (and
 * those on screen once their result has stood 3 s; ChartCard.svelte), as a person sees them.
 */
export async function chartReady(page: Page, chart: string, timeout = 30_000): Promise<void> {
  await page.locator(`figure[data-chart="${chart}"]`).scrollIntoViewIfNeeded({ timeout });
  await page.locator(`figure[data-chart="${chart}"][data-status="ready"]`).waitFor({ timeout });
}

/** Before a screenshot: no chart is still drawing, web fonts are in, and two frames have been painted since. */
export async function chartsSettled(page: Page, timeout = 30_000) {
  // two frames first: a resize reaches the charts' ResizeObservers (which mark them 'loading') after a frame
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await page.waitForFunction(() => [...document.querySelectorAll('figure[data-chart]')].every((f) => f.getAttribute('data-status') !== 'loading'), null, { timeout });
  await page.evaluate(async () => {
    await document.fonts.ready;
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  });
}

// ------------------------------------------------------------------ synthetic files written in the test

/** A float32 C-order .npy (format v1, header written by hand as NumPy does). */
export function npyBytes(values: Float32Array, rows: number, cols: number) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const pre = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0, 0]);
  pre.writeUInt16LE(header.length, 8);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(values.buffer, values.byteOffset, values.byteLength)]);
}

/** The .npy of rows × cols values fill(row, col). */
export function npyFilled(rows: number, cols: number, fill: (row: number, col: number) => number) {
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows * cols; i++) data[i] = fill(Math.floor(i / cols), i % cols);
  return npyBytes(data, rows, cols);
}

/** Deterministic standard normals (Box–Muller on a small LCG). */
export function normals(seed: number) {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 1) / 4294967297;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** A drawn label's box (getBoundingClientRect) and its text. */
export interface LabelBox {
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** No two boxes intersect by more than `tolerance` px in both directions. */
export function expectNoOverlap(boxes: LabelBox[], tolerance: number, what: string) {
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      expect(w <= tolerance || h <= tolerance, `${what}: "${a.text}" and "${b.text}" overlap`).toBe(true);
    }
  }
}
