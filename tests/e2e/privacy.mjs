// Privacy, end to end: with a real file dropped, measured (AAC, LR, NLR) and its charts exported, the page and its
// worker make no request except for the app's own static files, on the app's own origin, and the
// Content-Security-Policy in dist/index.html is never violated. Negative controls show the recorders would see a leak.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { chooseMeasures, dropFiles, openApp, runButton, valueCell, waitForFileStatus } from './app.mjs';

const CSP_TEXT = /Content[- ]Security[- ]Policy/i;
/** Sources that name no network destination. */
const KEYWORD = /^'(self|none|unsafe-inline|wasm-unsafe-eval|strict-dynamic|nonce-[^']+|sha(256|384|512)-[^']+)'$/;

/** The policy of the `<meta http-equiv="Content-Security-Policy">` tag, its position in the HTML, or null. */
export function cspMeta(html) {
  const m = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/i.exec(html);
  return m ? { policy: m[1], index: m.index } : null;
}

/** `a b; c d e` → Map { a → [b], c → [d, e] } (directive names in lower case). */
export function parseCsp(policy) {
  const directives = new Map();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

/** Every file under `dir` as a URL path: `/index.html`, `/assets/x.js`, … */
async function staticPaths(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return new Set(entries.filter((e) => e.isFile()).map((e) => '/' + path.relative(dir, path.join(e.parentPath ?? e.path, e.name)).split(path.sep).join('/')));
}

function urlPath(url) {
  const p = decodeURIComponent(new URL(url).pathname);
  return p.endsWith('/') ? `${p}index.html` : p;
}

/** Saves a chart export through the page's own button; returns the downloaded bytes. */
async function exportChart(page, chart, kind) {
  const card = page.locator(`figure[data-chart="${chart}"]`);
  await page.locator(`figure[data-chart="${chart}"][data-status="ready"]`).waitFor({ timeout: 60_000 });
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), card.locator(`[data-export="${kind}"]`).click()]);
  const bytes = await readFile(await download.path());
  assert.deepEqual(await card.locator('.error-text').allTextContents(), [], `${chart} ${kind}: no export error`);
  return { name: download.suggestedFilename(), bytes };
}

export async function privacyGroup({ group, step, server, DIST, DEMO }) {
  await group('Privacy: nothing leaves the tab (CSP, requests, worker)', async (context) => {
    const origin = new URL(server.url).origin;
    const fileName = 'synthetic-linear.npy';
    const fileBytes = await readFile(path.join(DEMO, fileName));
    let policy = '';

    // Recorders for the whole browser context: requests (the page's and its workers' alike), `securitypolicyviolation`
    // events in each page and in each worker (a worker's violations fire on its own global, not on the page; they
    // also do not reach Playwright's console events, which carry only console.* calls from workers), and console
    // lines about the CSP (the page's).
    const requests = [];
    context.on('request', (r) => requests.push({ url: r.url(), method: r.method(), type: r.resourceType(), body: r.postData() }));
    const cspConsole = [];
    context.on('console', (m) => {
      if (CSP_TEXT.test(m.text())) cspConsole.push(m.text());
    });
    const workers = [];
    context.on('page', (p) =>
      p.on('worker', (w) => {
        workers.push(w);
        w.evaluate(() => {
          self.__cspViolations = [];
          self.addEventListener('securitypolicyviolation', (e) => self.__cspViolations.push({ directive: e.effectiveDirective, blocked: e.blockedURI }));
        }).catch(() => undefined);
      }),
    );
    const workerViolations = async (w) => w.evaluate(() => self.__cspViolations ?? []);
    await context.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) =>
        window.__cspViolations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber }),
      );
    });
    const serverFrom = server.requests.length;
    let page;

    await step('dist/index.html carries a strict Content-Security-Policy before any script or style', 10_000, async () => {
      const html = await readFile(path.join(DIST, 'index.html'), 'utf8');
      const meta = cspMeta(html);
      assert.ok(meta, 'no <meta http-equiv="Content-Security-Policy"> in dist/index.html');
      policy = meta.policy;
      const firstLoad = html.search(/<script|<link[^>]+stylesheet/i);
      assert.ok(firstLoad === -1 || meta.index < firstLoad, 'the CSP meta tag comes before the first script/stylesheet');
      const d = parseCsp(policy);
      assert.deepEqual(d.get('default-src'), ["'self'"]);
      assert.ok(["'self'", "'none'"].includes(d.get('connect-src')?.join(' ')), `connect-src is ${d.get('connect-src')}`);
      assert.deepEqual(d.get('object-src'), ["'none'"]);
      assert.deepEqual(d.get('form-action'), ["'none'"]);
      assert.ok(["'self'", "'none'"].includes(d.get('base-uri')?.join(' ')), `base-uri is ${d.get('base-uri')}`);
      assert.ok(!d.get('script-src')?.includes("'unsafe-eval'") && !d.get('script-src')?.includes("'unsafe-inline'"), 'no JS eval, no inline scripts');
      for (const [name, sources] of d) {
        for (const s of sources) {
          const local = ['data:', 'blob:'].includes(s) && ['img-src'].includes(name);
          assert.ok(KEYWORD.test(s) || local, `${name} allows "${s}": only keywords (and data:/blob: images) are allowed`);
        }
      }
    });

    await step('drop a real .npy and run AAC, LR and NLR on WASM', 480_000, async () => {
      ({ page } = await openApp(context, server.url, '?demo=0&backend=wasm'));
      await page.locator('.badge[data-backend="wasm"]').waitFor({ timeout: 60_000 });
      await dropFiles(page, [{ name: fileName, bytes: fileBytes }]);
      await waitForFileStatus(page, fileName, ['ready']);
      await chooseMeasures(page, ['aac', 'lr', 'nlr']);
      await runButton(page).click();
      for (const m of ['aac', 'lr', 'nlr']) {
        const v = await valueCell(page, fileName, m, 450_000);
        assert.ok(v !== null && Number.isFinite(v), `${m}: ${v}`);
      }
    });

    await step('export charts as PNG and SVG (Plotly toImage) under the policy', 120_000, async () => {
      const png = await exportChart(page, 'lr-per-dim', 'png-1x');
      assert.equal(png.bytes.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', `${png.name} is a PNG`);
      const svg = await exportChart(page, 'lr-per-dim', 'svg');
      assert.match(svg.bytes.toString('utf8', 0, 200), /^<svg/, `${svg.name} is an SVG`);
      // the heatmap is a canvas-made data: image inside Plotly's SVG: the path that needs img-src data:
      const heat = await exportChart(page, 'correlation-heatmap', 'png-1x');
      assert.equal(heat.bytes.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', `${heat.name} is a PNG`);
    });

    await step('the privacy note says what is and is not promised', 10_000, async () => {
      const note = page.locator('details[data-testid="privacy-note"]');
      await note.locator('summary', { hasText: 'Privacy: nothing leaves this tab' }).click();
      const text = await note.textContent();
      for (const phrase of ['never uploaded', 'Content-Security-Policy', 'No analytics', 'extensions', 'DevTools']) {
        assert.ok(text.includes(phrase), `the note mentions "${phrase}"`);
      }
    });

    await step('every request went to the app origin, for a file of dist/, without a body; no CSP violation', 10_000, async () => {
      const files = await staticPaths(DIST);
      const network = requests.filter((r) => !/^(data|blob):/.test(r.url));
      const elsewhere = network.filter((r) => new URL(r.url).origin !== origin);
      assert.deepEqual(elsewhere.map((r) => r.url), [], 'requests to another origin');
      const unknown = network.filter((r) => !files.has(urlPath(r.url)));
      assert.deepEqual(unknown.map((r) => r.url), [], 'requests for something that is not a file of dist/');
      const sending = network.filter((r) => !['GET', 'HEAD'].includes(r.method) || r.body);
      assert.deepEqual(sending.map((r) => `${r.method} ${r.url}`), [], 'requests that send data');
      const served = server.requests.slice(serverFrom).map((p) => (p.endsWith('/') ? `${p}index.html` : p));
      assert.deepEqual(served.filter((p) => !files.has(p)), [], 'the server was asked for something that is not in dist/');
      for (const kind of ['.wasm', 'measure.worker']) assert.ok(network.some((r) => r.url.includes(kind)), `the worker's ${kind} request was recorded`);
      assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], 'securitypolicyviolation events in the page');
      for (const w of workers.filter((w) => w.url().includes('measure.worker'))) assert.deepEqual(await workerViolations(w), [], 'violations in the worker');
      assert.deepEqual(cspConsole, [], 'console lines about the Content-Security-Policy');
      const byType = {};
      for (const r of network) byType[r.type] = (byType[r.type] ?? 0) + 1;
      console.log(`    ${network.length} requests, all GET ${origin}: ${Object.entries(byType).map(([t, n]) => `${n} ${t}`).join(', ')}`);
      console.log(`    ${[...new Set(network.map((r) => urlPath(r.url)))].join(' ')}`);
    });

    await step('negative control: the page cannot reach another origin, and the recorders see the attempt', 20_000, async () => {
      // localhost:PORT is the same test server under another origin: had the fetch gone out, the server would log it
      const probe = `http://localhost:${new URL(server.url).port}/csp-probe-page`;
      const outcome = await page.evaluate((url) => fetch(url).then(() => 'fetched', (e) => `blocked: ${e}`), probe);
      assert.match(outcome, /^blocked/, outcome);
      await page.waitForFunction(() => window.__cspViolations.some((v) => v.directive === 'connect-src'), null, { timeout: 5_000 });
      assert.ok(!server.requests.includes('/csp-probe-page'), 'the probe reached the server');
      assert.ok(cspConsole.some((t) => t.includes('csp-probe-page')), 'the console recorder saw the violation');
      await page.close();
    });

    await step('the same policy sent as an HTTP header also binds the worker: WASM runs, other origins are blocked', 180_000, async () => {
      // A <meta> policy does not reach a dedicated worker (it takes its policy from its own response headers).
      // Hosts that send the policy as a header cover the worker too; check the app still works that way.
      const withHeader = async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': policy } });
      };
      await context.route('**/*', withHeader);
      try {
        const seen = cspConsole.length;
        const { page: headed } = await openApp(context, server.url, '?demo=0&backend=wasm');
        await headed.locator('.badge[data-backend="wasm"]').waitFor({ timeout: 60_000 });
        await dropFiles(headed, [{ name: fileName, bytes: fileBytes }]);
        await waitForFileStatus(headed, fileName, ['ready']);
        await chooseMeasures(headed, ['aac']);
        await runButton(headed).click();
        const aac = await valueCell(headed, fileName, 'aac', 120_000);
        assert.ok(aac > 0 && aac < 1, `AAC ${aac}`);
        assert.deepEqual(cspConsole.slice(seen), [], 'CSP console lines while measuring under the header policy');
        assert.deepEqual(await headed.evaluate(() => window.__cspViolations), [], 'violations in the page under the header policy');
        const worker = headed.workers().find((w) => w.url().includes('measure.worker'));
        assert.ok(worker, 'the measure worker is running');
        assert.deepEqual(await workerViolations(worker), [], 'violations in the worker while measuring');
        const probe = `http://localhost:${new URL(server.url).port}/csp-probe-worker`;
        const outcome = await worker.evaluate((url) => fetch(url).then(() => 'fetched', (e) => `blocked: ${e}`), probe);
        assert.match(outcome, /^blocked/, outcome);
        assert.ok(!server.requests.includes('/csp-probe-worker'), 'the worker probe reached the server');
        const deadline = Date.now() + 5_000;
        const sawProbe = async () => (await workerViolations(worker)).some((v) => v.directive === 'connect-src' && v.blocked.includes('csp-probe-worker'));
        while (!(await sawProbe()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        assert.ok(await sawProbe(), "the worker's violation recorder saw the blocked fetch");
        await headed.close();
      } finally {
        await context.unroute('**/*', withHeader);
      }
    });
  });
}
