// Privacy, end to end: with a real file dropped, measured (AAC, LR, NLR) and its charts exported, the page and its
// worker make no request except for the app's own static files, on the app's own origin, and the
// Content-Security-Policy in dist/index.html is never violated. Negative controls show the recorders would see a leak.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page, Route, Worker } from '@playwright/test';
import { chooseMeasures, dropFiles, openApp, runButton, valueCell, waitForFileStatus } from '../../scripts/browser/app.mjs';
import { DEMO, DIST, LINEAR, expect, freshProfile, test, chartReady } from './fixtures.ts';

const CSP_TEXT = /Content[- ]Security[- ]Policy/i;
/** Sources that name no network destination. */
const KEYWORD = /^'(self|none|unsafe-inline|wasm-unsafe-eval|strict-dynamic|nonce-[^']+|sha(256|384|512)-[^']+)'$/;

interface Violation {
  directive: string;
  blocked: string;
}
interface RecordingGlobal {
  __cspViolations?: Violation[];
}

/** The policy of the `<meta http-equiv="Content-Security-Policy">` tag, its position in the HTML, or null. */
function cspMeta(html: string) {
  const m = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/i.exec(html);
  return m ? { policy: m[1], index: m.index } : null;
}

/** `a b; c d e` → Map { a → [b], c → [d, e] } (directive names in lower case). */
function parseCsp(policy: string) {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

/** Every file under `dir` as a URL path: `/index.html`, `/assets/x.js`, … */
async function staticPaths(dir: string) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return new Set(entries.filter((e) => e.isFile()).map((e) => '/' + path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/')));
}

function urlPath(url: string) {
  const p = decodeURIComponent(new URL(url).pathname);
  return p.endsWith('/') ? `${p}index.html` : p;
}

/** Saves a chart export through the page's own button; returns the downloaded bytes. */
async function exportChart(page: Page, chart: string, kind: string) {
  const card = page.locator(`figure[data-chart="${chart}"]`);
  await chartReady(page, `${chart}`, 60_000);
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), card.locator(`[data-export="${kind}"]`).click()]);
  const bytes = await readFile(await download.path());
  expect(await card.locator('.error-text').allTextContents(), `${chart} ${kind}: no export error`).toEqual([]);
  return { name: download.suggestedFilename(), bytes };
}

test.describe('Privacy: nothing leaves the tab (CSP, requests, worker)', () => {
  test.describe.configure({ mode: 'serial' });
  const browser = freshProfile();
  let origin = '';
  let fileBytes: Buffer;
  let policy = '';
  let page: Page;
  let serverFrom = 0;
  // Recorders for the whole browser context: requests (the page's and its workers' alike), `securitypolicyviolation`
  // events in each page and in each worker (a worker's violations fire on its own global, not on the page; they
  // also do not reach Playwright's console events, which carry only console.* calls from workers), and console
  // lines about the CSP (the page's).
  const requests: { url: string; method: string; type: string; body: string | null }[] = [];
  const cspConsole: string[] = [];
  const workers: Worker[] = [];
  const workerViolations = async (w: Worker) => w.evaluate(() => (self as unknown as RecordingGlobal).__cspViolations ?? []);
  const pageViolations = async (p: Page) => p.evaluate(() => (window as unknown as RecordingGlobal).__cspViolations);

  test.beforeAll(async ({ server }) => {
    const context = browser.context;
    origin = new URL(server.url).origin;
    fileBytes = await readFile(path.join(DEMO, LINEAR));
    context.on('request', (r) => requests.push({ url: r.url(), method: r.method(), type: r.resourceType(), body: r.postData() }));
    context.on('console', (m) => {
      if (CSP_TEXT.test(m.text())) cspConsole.push(m.text());
    });
    context.on('page', (p) =>
      p.on('worker', (w) => {
        workers.push(w);
        w.evaluate(() => {
          const g = self as unknown as RecordingGlobal;
          g.__cspViolations = [];
          self.addEventListener('securitypolicyviolation', (e) => g.__cspViolations!.push({ directive: e.effectiveDirective, blocked: e.blockedURI }));
        }).catch(() => undefined);
      }),
    );
    await context.addInitScript(() => {
      const g = window as unknown as { __cspViolations: object[] };
      g.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        g.__cspViolations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber }),
      );
    });
    serverFrom = server.requests.length;
  });

  test('dist/index.html carries a strict Content-Security-Policy before any script or style', async () => {
    test.setTimeout(10_000);
    const html = await readFile(path.join(DIST, 'index.html'), 'utf8');
    const meta = cspMeta(html);
    expect(meta, 'no <meta http-equiv="Content-Security-Policy"> in dist/index.html').toBeTruthy();
    policy = meta!.policy;
    const firstLoad = html.search(/<script|<link[^>]+stylesheet/i);
    expect(firstLoad === -1 || meta!.index < firstLoad, 'the CSP meta tag comes before the first script/stylesheet').toBe(true);
    const d = parseCsp(policy);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(["'self'", "'none'"], `connect-src is ${d.get('connect-src')}`).toContain(d.get('connect-src')?.join(' '));
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
    expect(["'self'", "'none'"], `base-uri is ${d.get('base-uri')}`).toContain(d.get('base-uri')?.join(' '));
    expect(!d.get('script-src')?.includes("'unsafe-eval'") && !d.get('script-src')?.includes("'unsafe-inline'"), 'no JS eval, no inline scripts').toBe(true);
    for (const [name, sources] of d) {
      for (const s of sources) {
        const local = ['data:', 'blob:'].includes(s) && ['img-src'].includes(name);
        expect(KEYWORD.test(s) || local, `${name} allows "${s}": only keywords (and data:/blob: images) are allowed`).toBe(true);
      }
    }
  });

  test('drop a real .npy and run AAC, LR and NLR on WASM', async ({ server }) => {
    test.setTimeout(480_000);
    ({ page } = await openApp(browser.context, server.url, '?demo=0&backend=wasm'));
    await page.locator('.badge[data-backend="wasm"]').waitFor({ timeout: 60_000 });
    await dropFiles(page, [{ name: LINEAR, bytes: fileBytes }]);
    await waitForFileStatus(page, LINEAR, ['ready']);
    await chooseMeasures(page, ['aac', 'lr', 'nlr']);
    await runButton(page).click();
    for (const m of ['aac', 'lr', 'nlr']) {
      const v = await valueCell(page, LINEAR, m, 450_000);
      expect(v !== null && Number.isFinite(v), `${m}: ${v}`).toBe(true);
    }
  });

  test('export charts as PNG and SVG (Plotly toImage) under the policy', async () => {
    test.setTimeout(120_000);
    const png = await exportChart(page, 'lr-per-dim', 'png-1x');
    expect(png.bytes.subarray(0, 8).toString('hex'), `${png.name} is a PNG`).toBe('89504e470d0a1a0a');
    const svg = await exportChart(page, 'lr-per-dim', 'svg');
    expect(svg.bytes.toString('utf8', 0, 200), `${svg.name} is an SVG`).toMatch(/^<svg/);
    // the heatmap is a canvas-made data: image inside Plotly's SVG: the path that needs img-src data:
    const heat = await exportChart(page, 'correlation-heatmap', 'png-1x');
    expect(heat.bytes.subarray(0, 8).toString('hex'), `${heat.name} is a PNG`).toBe('89504e470d0a1a0a');
  });

  test('the privacy note says what is and is not promised', async () => {
    test.setTimeout(10_000);
    const note = page.locator('details[data-testid="privacy-note"]');
    await note.locator('summary', { hasText: 'Privacy: nothing leaves this tab' }).click();
    const text = (await note.textContent()) ?? '';
    for (const phrase of ['never uploaded', 'Content-Security-Policy', 'No analytics', 'extensions', 'DevTools']) {
      expect(text.includes(phrase), `the note mentions "${phrase}"`).toBe(true);
    }
  });

  test('every request went to the app origin, for a file of dist/, without a body; no CSP violation', async ({ server }) => {
    test.setTimeout(10_000);
    const files = await staticPaths(DIST);
    const network = requests.filter((r) => !/^(data|blob):/.test(r.url));
    const elsewhere = network.filter((r) => new URL(r.url).origin !== origin);
    expect(elsewhere.map((r) => r.url), 'requests to another origin').toEqual([]);
    const unknown = network.filter((r) => !files.has(urlPath(r.url)));
    expect(unknown.map((r) => r.url), 'requests for something that is not a file of dist/').toEqual([]);
    const sending = network.filter((r) => !['GET', 'HEAD'].includes(r.method) || r.body);
    expect(sending.map((r) => `${r.method} ${r.url}`), 'requests that send data').toEqual([]);
    const served = server.requests.slice(serverFrom).map((p) => (p.endsWith('/') ? `${p}index.html` : p));
    expect(served.filter((p) => !files.has(p)), 'the server was asked for something that is not in dist/').toEqual([]);
    for (const kind of ['.wasm', 'measure.worker']) expect(network.some((r) => r.url.includes(kind)), `the worker's ${kind} request was recorded`).toBe(true);
    expect(await pageViolations(page), 'securitypolicyviolation events in the page').toEqual([]);
    for (const w of workers.filter((w) => w.url().includes('measure.worker'))) expect(await workerViolations(w), 'violations in the worker').toEqual([]);
    expect(cspConsole, 'console lines about the Content-Security-Policy').toEqual([]);
    const byType: Record<string, number> = {};
    for (const r of network) byType[r.type] = (byType[r.type] ?? 0) + 1;
    console.log(`    ${network.length} requests, all GET ${origin}: ${Object.entries(byType).map(([t, n]) => `${n} ${t}`).join(', ')}`);
    console.log(`    ${[...new Set(network.map((r) => urlPath(r.url)))].join(' ')}`);
  });

  test('negative control: the page cannot reach another origin, and the recorders see the attempt', async ({ server }) => {
    test.setTimeout(20_000);
    // localhost:PORT is the same test server under another origin: had the fetch gone out, the server would log it
    const probe = `http://localhost:${new URL(server.url).port}/csp-probe-page`;
    const outcome = await page.evaluate((url) => fetch(url).then(() => 'fetched', (e) => `blocked: ${e}`), probe);
    expect(outcome).toMatch(/^blocked/);
    await page.waitForFunction(() => (window as unknown as RecordingGlobal).__cspViolations!.some((v) => v.directive === 'connect-src'), null, { timeout: 5_000 });
    expect(server.requests.includes('/csp-probe-page'), 'the probe reached the server').toBe(false);
    expect(cspConsole.some((t) => t.includes('csp-probe-page')), 'the console recorder saw the violation').toBe(true);
    await page.close();
  });

  test('the same policy sent as an HTTP header also binds the worker: WASM runs, other origins are blocked', async ({ server }) => {
    test.setTimeout(180_000);
    const context = browser.context;
    // A <meta> policy does not reach a dedicated worker (it takes its policy from its own response headers).
    // Hosts that send the policy as a header cover the worker too; check the app still works that way.
    const withHeader = async (route: Route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': policy } });
    };
    await context.route('**/*', withHeader);
    try {
      const seen = cspConsole.length;
      const { page: headed } = await openApp(context, server.url, '?demo=0&backend=wasm');
      await headed.locator('.badge[data-backend="wasm"]').waitFor({ timeout: 60_000 });
      await dropFiles(headed, [{ name: LINEAR, bytes: fileBytes }]);
      await waitForFileStatus(headed, LINEAR, ['ready']);
      await chooseMeasures(headed, ['aac']);
      await runButton(headed).click();
      const aac = await valueCell(headed, LINEAR, 'aac', 120_000);
      expect(aac, `AAC ${aac}`).toBeGreaterThan(0);
      expect(aac, `AAC ${aac}`).toBeLessThan(1);
      expect(cspConsole.slice(seen), 'CSP console lines while measuring under the header policy').toEqual([]);
      expect(await pageViolations(headed), 'violations in the page under the header policy').toEqual([]);
      const worker = headed.workers().find((w) => w.url().includes('measure.worker'));
      expect(worker, 'the measure worker is running').toBeTruthy();
      expect(await workerViolations(worker!), 'violations in the worker while measuring').toEqual([]);
      const probe = `http://localhost:${new URL(server.url).port}/csp-probe-worker`;
      const outcome = await worker!.evaluate((url) => fetch(url).then(() => 'fetched', (e) => `blocked: ${e}`), probe);
      expect(outcome).toMatch(/^blocked/);
      expect(server.requests.includes('/csp-probe-worker'), 'the worker probe reached the server').toBe(false);
      const sawProbe = async () => (await workerViolations(worker!)).some((v) => v.directive === 'connect-src' && v.blocked.includes('csp-probe-worker'));
      await expect.poll(sawProbe, { message: "the worker's violation recorder saw the blocked fetch", timeout: 5_000 }).toBe(true);
      await headed.close();
    } finally {
      await context.unroute('**/*', withHeader);
    }
  });
});
