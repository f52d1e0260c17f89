// Work is never lost, end to end: results saved in IndexedDB come back after a reload (and attach to the same file
// dropped again), "Export all" imports into a fresh browser, the settings travel in the URL hash, and after the first
// visit the app loads and measures with the network off (service worker). No CSP violation anywhere.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { chooseMeasures, dropFiles, openApp, runButton, screenshot, valueCell, waitForFileStatus } from '../../scripts/browser/app.mjs';
import { DEMO, LINEAR as FILE, SHOTS, expect, freshProfile, launchProfile, test, chartReady } from './fixtures.ts';

function seriousProblems(problems: string[]) {
  return problems.filter((p) => !/Failed to load resource|favicon/.test(p));
}

/** The values a saved-results list item shows (data-value of AAC, LR, NLR). */
async function savedValues(page: Page, fileName: string) {
  const item = page.locator(`li[data-saved-file="${fileName}"]`).first();
  await item.waitFor({ timeout: 15_000 });
  const read = async (m: string) => {
    const raw = await item.locator(`[data-measure="${m}"]`).getAttribute('data-value');
    return raw === '' ? null : Number(raw);
  };
  return { aac: await read('aac'), lr: await read('lr'), nlr: await read('nlr') };
}

async function recordCsp(context: BrowserContext) {
  await context.addInitScript(() => {
    const g = window as unknown as { __cspViolations: object[] };
    g.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => g.__cspViolations.push({ directive: e.effectiveDirective, blocked: e.blockedURI }));
  });
}

async function expectNoCspViolations(page: Page, what: string) {
  expect(await page.evaluate(() => (window as unknown as { __cspViolations?: object[] }).__cspViolations ?? []), `${what}: CSP violations`).toEqual([]);
}

test.describe('Persist: saved results, export/import, permalink, offline', () => {
  test.describe.configure({ mode: 'serial' });
  const browser = freshProfile();
  let bytes: Buffer;
  let sha256: string;
  let page: Page;
  let problems: string[];
  let measured: { aac: number | null; lr: number | null };

  test.beforeAll(async () => {
    bytes = await readFile(path.join(DEMO, FILE));
    sha256 = createHash('sha256').update(bytes.subarray(0, 1 << 20)).digest('hex');
    await recordCsp(browser.context);
  });

  test('first visit: the service worker installs (precaches the build) and takes control', async ({ server }) => {
    test.setTimeout(90_000);
    ({ page, problems } = await openApp(browser.context, server.url, '?demo=0&backend=wasm'));
    await page.locator('.badge[data-backend="wasm"]').waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 60_000 });
    // the app shell is precached; what the page and its measure worker then fetched (the worker's script, the one
    // WASM variant this browser runs) is kept at its first fetch: everything the offline visit below needs
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) urls.push(new URL(r.url).pathname);
      return urls;
    });
    for (const file of [/\/index\.html$/, /\/assets\/index-[\w-]+\.js$/, /\/assets\/measure\.worker-[\w-]+\.js$/, /\/assets\/tfjs-backend-wasm-[\w-]+\.wasm$/]) {
      expect(cached.some((u) => file.test(u)), `${file} cached: ${cached.join(', ')}`).toBe(true);
    }
    expect(await page.locator('[data-testid="store-note"]').count(), 'saving works (no store note)').toBe(0);
  });

  test('drop a real .npy, run AAC + LR: the result is saved', async () => {
    test.setTimeout(120_000);
    await dropFiles(page, [{ name: FILE, bytes }]);
    await waitForFileStatus(page, FILE, ['ready']);
    await chooseMeasures(page, ['aac', 'lr']);
    await runButton(page).click();
    measured = { aac: await valueCell(page, FILE, 'aac', 90_000), lr: await valueCell(page, FILE, 'lr', 5_000) };
    expect(measured.aac! > 0 && measured.lr! > 0, JSON.stringify(measured)).toBe(true);
    const saved = await savedValues(page, FILE);
    expect(saved).toEqual({ ...measured, nlr: null });
  });

  test('reload: the saved result is listed with the same values and is in the table again at once', async () => {
    test.setTimeout(60_000);
    await page.reload();
    await page.getByRole('heading', { name: 'Redundancy Lab' }).waitFor();
    expect(await savedValues(page, FILE)).toEqual({ ...measured, nlr: null });
    // a returning visit shows the last session's results without a click: the list says "shown"
    await expect(page.getByRole('button', { name: `Show ${FILE} in the results` })).toHaveText('shown', { timeout: 10_000 });
    expect(await valueCell(page, FILE, 'aac', 10_000)).toBe(measured.aac);
    expect(await valueCell(page, FILE, 'lr')).toBe(measured.lr);
    await chartReady(page, 'lr-per-dim', 30_000);
    await screenshot(page, SHOTS, 'persist-restored');
    // restored without its file: not re-runnable, until the same file is dropped again (it then takes the row's place)
    expect(await runButton(page).isDisabled(), 'a restored entry alone cannot be run').toBe(true);
    await dropFiles(page, [{ name: FILE, bytes }]);
    await page.waitForFunction(
      (name) => document.querySelectorAll(`li[data-file="${name}"]`).length === 1 && !document.querySelector<HTMLButtonElement>('[data-testid="run"]')!.disabled,
      FILE,
      { timeout: 15_000 },
    );
    await waitForFileStatus(page, FILE, ['ready']);
    expect(await valueCell(page, FILE, 'aac'), 'the dropped file took the restored row (no run)').toBe(measured.aac);
  });

  test('a new tab: dropping the same file attaches its saved result for the same settings (no run)', async ({ server }) => {
    test.setTimeout(60_000);
    const { page: tab, problems: tabProblems } = await openApp(browser.context, server.url, '?demo=0&backend=wasm');
    await chooseMeasures(tab, ['aac', 'lr']);
    await dropFiles(tab, [{ name: FILE, bytes }]);
    await waitForFileStatus(tab, FILE, ['ready']);
    expect(await valueCell(tab, FILE, 'aac', 5_000)).toBe(measured.aac);
    expect(await valueCell(tab, FILE, 'lr')).toBe(measured.lr);
    // the returning visit had the saved row in the table already: the dropped file took its place (one row, no run)
    expect(await tab.locator(`tr[data-file="${FILE}"]`).count()).toBe(1);
    expect(await tab.evaluate((n) => (window as unknown as { redundancyLab: { files: { name: string; detached: boolean; status: string }[] } }).redundancyLab.files.filter((f) => f.name === n).map((f) => [f.detached, f.status]), FILE)).toEqual([[false, 'ready']]);
    expect(seriousProblems(tabProblems)).toEqual([]);
    await tab.close();
  });

  test('Export all → import into a fresh browser: the values are there; a broken file is refused by name', async ({ server, playwright, launchOptions }, testInfo) => {
    test.setTimeout(120_000);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export all', exact: true }).click()]);
    const text = await readFile(await download.path(), 'utf8');
    const doc = JSON.parse(text);
    expect(doc.format).toBe('redundancy-lab-results');
    expect(!!doc.appVersion && doc.backend?.name === 'wasm', 'versions and backend').toBe(true);
    const rec = doc.records.find((r: { fingerprint: { name: string } }) => r.fingerprint.name === FILE);
    expect(rec, 'the file is in the export').toBeTruthy();
    expect(rec.fingerprint, 'fingerprint: name, size, SHA-256 of the first MiB').toEqual({ name: FILE, size: bytes.length, sha256 });
    expect(rec.result.aac.value).toBe(measured.aac);
    expect(rec.result.settings.measures).toEqual(['aac', 'lr']);

    const fresh = await launchProfile(playwright.chromium, launchOptions, testInfo, 'rl-e2e-import-');
    try {
      await recordCsp(fresh.context);
      const { page: other, problems: otherProblems } = await openApp(fresh.context, server.url, '?demo=0&backend=wasm');
      expect(await other.locator('li[data-saved-file]').count(), 'a fresh browser has nothing saved').toBe(0);
      const importFile = async (name: string, content: string) => {
        const [chooser] = await Promise.all([other.waitForEvent('filechooser'), other.getByRole('button', { name: 'Import…' }).click()]);
        await chooser.setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(content) });
      };
      await importFile('export.json', text);
      expect(await valueCell(other, FILE, 'aac', 10_000)).toBe(measured.aac);
      expect(await valueCell(other, FILE, 'lr')).toBe(measured.lr);
      expect(await savedValues(other, FILE)).toEqual({ ...measured, nlr: null });
      await other.locator('[data-testid="import-message"]', { hasText: 'Imported' }).waitFor({ timeout: 5_000 });
      const broken = JSON.parse(text);
      broken.records[0].result.lr.perDim.pop();
      await importFile('broken.json', JSON.stringify(broken));
      const message = (await other.locator('[data-testid="import-message"][role="alert"]').textContent({ timeout: 5_000 })) ?? '';
      expect(message).toMatch(/broken\.json: records\[0\]\.result\.lr\.perDim: expected 32 entries/);
      // the imported result survives a reload there too (it went to that browser's store)
      await other.reload();
      expect(await savedValues(other, FILE)).toEqual({ ...measured, nlr: null });
      await expectNoCspViolations(other, 'import page');
      expect(seriousProblems(otherProblems)).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  test('permalink: a changed setting goes to the URL hash (no file names) and a link restores it', async ({ server }) => {
    test.setTimeout(60_000);
    await page.getByText('Edit settings').click();
    await page.getByLabel('split seed').fill('7');
    await page.waitForFunction(() => location.hash.includes('settings='), null, { timeout: 5_000 });
    const url = page.url();
    const encoded = new URLSearchParams(new URL(url).hash.slice(1)).get('settings') ?? '';
    const settings = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    expect(settings.splitSeed).toBe(7);
    expect(!decodeURIComponent(url).includes('synthetic') && !JSON.stringify(settings).includes('synthetic'), 'no file name in the link').toBe(true);
    expect(new URL(url).searchParams.get('backend'), '?backend= is kept').toBe('wasm');

    const { page: linked } = await openApp(browser.context, url, '');
    expect(await linked.getByLabel('split seed').inputValue()).toBe('7');
    expect(await linked.getByRole('checkbox', { name: 'AAC', exact: true }).isChecked()).toBe(true);
    expect(await linked.getByRole('checkbox', { name: 'NLR', exact: true }).isChecked()).toBe(false);
    await linked.close();

    const { page: bad } = await openApp(browser.context, server.url, '?demo=0&backend=wasm#settings=bm90LWpzb24');
    await bad.locator('[data-testid="notice"]', { hasText: 'settings were ignored' }).waitFor({ timeout: 5_000 });
    expect(await bad.getByLabel('split seed').inputValue(), 'defaults kept (seed 0: the authors’ split)').toBe('0');
    await bad.close();
  });

  test('offline after the first visit: the app loads and measures a dropped file on WASM', async ({ server }) => {
    test.setTimeout(150_000);
    const served = server.requests.length;
    await browser.context.setOffline(true);
    try {
      await page.reload();
      await page.getByRole('heading', { name: 'Redundancy Lab' }).waitFor({ timeout: 30_000 });
      await page.locator('.badge[data-backend="wasm"]').waitFor({ timeout: 60_000 });
      expect(await page.getByLabel('split seed').inputValue(), 'settings from the hash, offline too').toBe('7');
      await dropFiles(page, [{ name: FILE, bytes }]);
      await waitForFileStatus(page, FILE, ['ready']);
      await chooseMeasures(page, ['aac']);
      await runButton(page).click();
      const aac = (await valueCell(page, FILE, 'aac', 90_000))!;
      expect(Math.abs(aac - measured.aac!), `AAC measured offline ${aac} vs online ${measured.aac} (AAC does not depend on the split)`).toBeLessThan(1e-6);
      // The browser's own service-worker update check (sw.js and its imported scripts) is not covered by Playwright's
      // offline emulation; everything the page and the measure worker asked for came from the cache.
      const reached = server.requests.slice(served).filter((p) => !/^\/(sw\.js|sw-csp\.js|workbox-[\w-]+\.js)$/.test(p));
      expect(reached, 'nothing but the update check reached the server while offline').toEqual([]);
      await expectNoCspViolations(page, 'offline page');
      expect(seriousProblems(problems)).toEqual([]);
    } finally {
      await browser.context.setOffline(false);
    }
  });
});
