// The first page a newcomer opens (issue 17, item 6): how many bytes the server sends before the first number,
// how long that takes, and whether the first screen shows it. The built site is served as a plain static server
// would (no compression, no COOP/COEP, Last-Modified/ETag and 304s, no Cache-Control) and the bytes are counted AT
// THE SERVER, so the page, its workers and the service worker's own fetches are all in the sum.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { serveStatic, type StaticServer } from '../../scripts/browser/server.mjs';
import { DEMO, DIST, SHOTS, expect, freshProfile, test } from './fixtures.ts';

const BUDGET_BYTES = 5 * 1024 * 1024;
const MB = (bytes: number) => (bytes / (1024 * 1024)).toFixed(2);

const manifest = JSON.parse(readFileSync(path.join(DEMO, 'manifest.json'), 'utf8')) as { files: { file: string; role: string }[] };
const demoFiles = manifest.files.filter((f) => f.role === 'embedding').map((f) => f.file);
const FIRST = demoFiles[0];

type Sent = StaticServer['sent'][number];

function summary(sent: Sent[]) {
  const bytes = sent.reduce((t, r) => t + r.bytes, 0);
  const byPath = new Map<string, number>();
  for (const r of sent) byPath.set(r.path, (byPath.get(r.path) ?? 0) + r.bytes);
  const top = [...byPath].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([p, b]) => `${p.replace(/^\/(assets\/)?/, '')} ${MB(b)}`);
  return { bytes, responses: sent.length, notModified: sent.filter((r) => r.status === 304).length, top };
}

/** 200 responses (bodies sent) per path. */
function bodiesSent(sent: Sent[], test: (p: string) => boolean): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of sent) if (r.status === 200 && test(r.path)) counts.set(r.path, (counts.get(r.path) ?? 0) + 1);
  return counts;
}

/** The cell's box lies inside the viewport, with the page scrolled to the top. */
async function onFirstScreen(page: Page, cell: Locator, what: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await cell.boundingBox();
  const viewport = page.viewportSize()!;
  expect(box, `${what}: rendered`).not.toBeNull();
  const where = `${what} at ${JSON.stringify(box)} in ${viewport.width} × ${viewport.height}`;
  expect(box!.x, where).toBeGreaterThanOrEqual(0);
  expect(box!.y, where).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, where).toBeLessThanOrEqual(viewport.width);
  expect(box!.y + box!.height, where).toBeLessThanOrEqual(viewport.height);
  // and nothing (the sticky run bar) covers it
  const seen = await cell.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return top !== null && (el === top || el.contains(top));
  });
  expect(seen, `${where}: not covered`).toBe(true);
}

test.describe('First page: a light first visit, and the first numbers on the first screen', () => {
  let server: StaticServer;
  test.beforeAll(async () => {
    server = await serveStatic(DIST, { isolation: false, caching: 'plain' });
  });
  test.afterAll(async () => {
    await server?.close();
  });
  const browser = freshProfile('rl-first-page-');

  test(`≤ ${MB(BUDGET_BYTES)} MB before the first LR; the demo data once, one WASM variant, Plotly only for a chart; numbers visible at 1,024 × 768 and 412 × 915`, async () => {
    test.setTimeout(420_000);
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1024, height: 768 });
    // the moment the first file's LR cell gets its value, on the page's clock (the same machine's as the server's)
    const selector = `td[data-file="${FIRST}"][data-measure="lr"]:not([data-value=""])`;
    await page.addInitScript((sel) => {
      const w = window as unknown as { __firstLrAt?: number };
      const seen = () => {
        if (w.__firstLrAt === undefined && document.querySelector(sel)) w.__firstLrAt = performance.timeOrigin + performance.now();
      };
      new MutationObserver(seen).observe(document, { subtree: true, childList: true, attributes: true });
    }, selector);
    const started = Date.now();
    await page.goto(server.url);
    const lr = page.locator(selector);
    await lr.waitFor({ timeout: 300_000 });
    const lrAt = await page.evaluate(() => (window as unknown as { __firstLrAt: number }).__firstLrAt);
    const ms = lrAt - started;
    // every response the server had begun by then counts in full
    const before = server.sent.filter((r) => r.at <= lrAt);
    const s = summary(before);
    console.log(
      `    first page: ${MB(s.bytes)} MB (${s.bytes} bytes) sent by the server before the first LR, ${(ms / 1000).toFixed(1)} s after opening (${s.responses} responses, ${s.notModified} of them 304); largest: ${s.top.join(', ')}`,
    );

    // the first screen at 1,024 × 768 shows the first file's AAC and LR
    const aac = page.locator(`td[data-file="${FIRST}"][data-measure="aac"]:not([data-value=""])`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SHOTS, 'first-page-1024x768.png') });
    await onFirstScreen(page, aac, `${FIRST} AAC`);
    await onFirstScreen(page, lr, `${FIRST} LR`);
    await page.setViewportSize({ width: 412, height: 915 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SHOTS, 'first-page-412x915.png') });
    await onFirstScreen(page, aac, `${FIRST} AAC`);
    await onFirstScreen(page, lr, `${FIRST} LR`);
    await page.setViewportSize({ width: 1024, height: 768 });

    expect(s.bytes, `bytes sent before the first LR: ${s.top.join(', ')}`).toBeLessThanOrEqual(BUDGET_BYTES);
    expect(bodiesSent(before, (p) => /plotly/i.test(p)).size, 'Plotly is not fetched before a chart is drawn').toBe(0);
    // the page's own entry chunk has no compute backend in it (tfjs is 1 MB of it when something imports core/index.ts)
    const entry = before.filter((r) => /^\/assets\/index-[\w-]+\.js$/.test(r.path)).reduce((t, r) => t + r.bytes, 0);
    expect(entry, 'the page entry chunk (no tfjs in it)').toBeGreaterThan(0);
    expect(entry, 'the page entry chunk (no tfjs in it)').toBeLessThanOrEqual(400 * 1024);

    // the whole first look (AAC and LR of every demo file), and the service worker in control
    for (const name of demoFiles) await page.locator(`td[data-file="${name}"][data-measure="lr"]:not([data-value=""])`).waitFor({ timeout: 300_000 });
    await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 60_000 });
    await page.locator('figure[data-chart][data-status="ready"]').first().waitFor({ timeout: 60_000 });
    const all = server.sent.slice();
    const total = summary(all);
    console.log(`    first page: ${MB(total.bytes)} MB sent once the first look of all ${demoFiles.length} demo files is done (${total.responses} responses); largest: ${total.top.join(', ')}`);
    const demo = bodiesSent(all, (p) => p.startsWith('/demo/') && !p.endsWith('.json'));
    expect([...demo.keys()].sort(), 'every demo file was fetched').toEqual(demoFiles.map((f) => `/demo/${f}`).sort());
    expect([...demo].filter(([, n]) => n > 1), 'each demo file fetched once').toEqual([]);
    const wasm = bodiesSent(all, (p) => /tfjs-backend-wasm.*\.wasm$/.test(p));
    expect([...wasm.keys()], 'one tfjs WASM variant: the one this browser runs (SIMD, not isolated)').toEqual([expect.stringMatching(/tfjs-backend-wasm-simd-[\w-]+\.wasm$/)]);
    expect([...wasm.values()], 'fetched once').toEqual([1]);
    const plotly = bodiesSent(all, (p) => /plotly/i.test(p));
    expect([...plotly.values()], 'Plotly fetched once, for the first chart').toEqual([1]);
  });
});
