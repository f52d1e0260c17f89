// Work is never lost, end to end: results saved in IndexedDB come back after a reload (and attach to the same file
// dropped again), "Export all" imports into a fresh browser, the settings travel in the URL hash, and after the first
// visit the app loads and measures with the network off (service worker). No CSP violation anywhere.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chooseMeasures, dropFiles, launchBrowser, openApp, runButton, screenshot, valueCell, waitForFileStatus } from './app.mjs';

const FILE = 'synthetic-linear.npy';

function seriousProblems(problems) {
  return problems.filter((p) => !/Failed to load resource|favicon/.test(p));
}

/** The values a saved-results list item shows (data-value of AAC, LR, NLR). */
async function savedValues(page, fileName) {
  const item = page.locator(`li[data-saved-file="${fileName}"]`).first();
  await item.waitFor({ timeout: 15_000 });
  const read = async (m) => {
    const raw = await item.locator(`[data-measure="${m}"]`).getAttribute('data-value');
    return raw === '' ? null : Number(raw);
  };
  return { aac: await read('aac'), lr: await read('lr'), nlr: await read('nlr') };
}

async function recordCsp(context) {
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push({ directive: e.effectiveDirective, blocked: e.blockedURI }));
  });
}

async function assertNoCspViolations(page, what) {
  assert.deepEqual(await page.evaluate(() => window.__cspViolations ?? []), [], `${what}: CSP violations`);
}

export async function persistenceGroup({ group, step, server, DEMO, SHOTS }) {
  await group('Persist: saved results, export/import, permalink, offline', async (context) => {
    const bytes = await readFile(path.join(DEMO, FILE));
    const sha256 = createHash('sha256').update(bytes.subarray(0, 1 << 20)).digest('hex');
    await recordCsp(context);
    let page;
    let problems;
    let measured;

    await step('first visit: the service worker installs (precaches the build) and takes control', 90_000, async () => {
      ({ page, problems } = await openApp(context, server.url, '?demo=0&backend=wasm'));
      await page.locator('.badge[data-backend="wasm"]').waitFor({ timeout: 60_000 });
      await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 60_000 });
      const cached = await page.evaluate(async () => {
        const names = await caches.keys();
        let n = 0;
        for (const name of names) n += (await (await caches.open(name)).keys()).length;
        return n;
      });
      assert.ok(cached >= 20, `${cached} files precached`);
      assert.equal(await page.locator('[data-testid="store-note"]').count(), 0, 'saving works (no store note)');
    });

    await step('drop a real .npy, run AAC + LR: the result is saved', 120_000, async () => {
      await dropFiles(page, [{ name: FILE, bytes }]);
      await waitForFileStatus(page, FILE, ['ready']);
      await chooseMeasures(page, ['aac', 'lr']);
      await runButton(page).click();
      measured = { aac: await valueCell(page, FILE, 'aac', 90_000), lr: await valueCell(page, FILE, 'lr', 5_000) };
      assert.ok(measured.aac > 0 && measured.lr > 0, JSON.stringify(measured));
      const saved = await savedValues(page, FILE);
      assert.deepEqual(saved, { ...measured, nlr: null });
    });

    await step('reload: the saved result is listed with the same values and shows in the table again', 60_000, async () => {
      await page.reload();
      await page.getByRole('heading', { name: 'Redundancy Lab' }).waitFor();
      assert.deepEqual(await savedValues(page, FILE), { ...measured, nlr: null });
      await page.getByRole('button', { name: `Show ${FILE} in the results` }).click();
      assert.equal(await valueCell(page, FILE, 'aac', 10_000), measured.aac);
      assert.equal(await valueCell(page, FILE, 'lr'), measured.lr);
      await page.locator('figure[data-chart="lr-per-dim"][data-status="ready"]').waitFor({ timeout: 30_000 });
      await screenshot(page, SHOTS, 'persist-restored');
      // restored without its file: not re-runnable, until the same file is dropped again (it then takes the row's place)
      assert.ok(await runButton(page).isDisabled(), 'a restored entry alone cannot be run');
      await dropFiles(page, [{ name: FILE, bytes }]);
      await page.waitForFunction(
        (name) => document.querySelectorAll(`li[data-file="${name}"]`).length === 1 && !document.querySelector('[data-testid="run"]').disabled,
        FILE,
        { timeout: 15_000 },
      );
      await waitForFileStatus(page, FILE, ['ready']);
      assert.equal(await valueCell(page, FILE, 'aac'), measured.aac, 'the dropped file took the restored row (no run)');
    });

    await step('a new tab: dropping the same file attaches its saved result for the same settings (no run)', 60_000, async () => {
      const { page: tab, problems: tabProblems } = await openApp(context, server.url, '?demo=0&backend=wasm');
      await chooseMeasures(tab, ['aac', 'lr']);
      await dropFiles(tab, [{ name: FILE, bytes }]);
      await waitForFileStatus(tab, FILE, ['ready']);
      assert.equal(await valueCell(tab, FILE, 'aac', 5_000), measured.aac);
      assert.equal(await valueCell(tab, FILE, 'lr'), measured.lr);
      await tab.locator('[data-testid="notice"]', { hasText: 'saved results' }).waitFor({ timeout: 5_000 });
      assert.deepEqual(seriousProblems(tabProblems), []);
      await tab.close();
    });

    await step('Export all → import into a fresh browser: the values are there; a broken file is refused by name', 120_000, async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export all', exact: true }).click()]);
      const text = await readFile(await download.path(), 'utf8');
      const doc = JSON.parse(text);
      assert.equal(doc.format, 'redundancy-lab-results');
      assert.ok(doc.appVersion && doc.backend?.name === 'wasm', 'versions and backend');
      const rec = doc.records.find((r) => r.fingerprint.name === FILE);
      assert.ok(rec, 'the file is in the export');
      assert.deepEqual(rec.fingerprint, { name: FILE, size: bytes.length, sha256 }, 'fingerprint: name, size, SHA-256 of the first MiB');
      assert.equal(rec.result.aac.value, measured.aac);
      assert.deepEqual(rec.result.settings.measures, ['aac', 'lr']);

      const profile = await mkdtemp(path.join(os.tmpdir(), 'rl-e2e-import-'));
      const fresh = await launchBrowser(profile);
      try {
        await recordCsp(fresh);
        const { page: other, problems: otherProblems } = await openApp(fresh, server.url, '?demo=0&backend=wasm');
        assert.equal(await other.locator('li[data-saved-file]').count(), 0, 'a fresh browser has nothing saved');
        const importFile = async (name, content) => {
          const [chooser] = await Promise.all([other.waitForEvent('filechooser'), other.getByRole('button', { name: 'Import…' }).click()]);
          await chooser.setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(content) });
        };
        await importFile('export.json', text);
        assert.equal(await valueCell(other, FILE, 'aac', 10_000), measured.aac);
        assert.equal(await valueCell(other, FILE, 'lr'), measured.lr);
        assert.deepEqual(await savedValues(other, FILE), { ...measured, nlr: null });
        await other.locator('[data-testid="import-message"]', { hasText: 'Imported' }).waitFor({ timeout: 5_000 });
        const broken = JSON.parse(text);
        broken.records[0].result.lr.perDim.pop();
        await importFile('broken.json', JSON.stringify(broken));
        const message = await other.locator('[data-testid="import-message"][role="alert"]').textContent({ timeout: 5_000 });
        assert.match(message, /broken\.json: records\[0\]\.result\.lr\.perDim: expected 32 entries/, message);
        // the imported result survives a reload there too (it went to that browser's store)
        await other.reload();
        assert.deepEqual(await savedValues(other, FILE), { ...measured, nlr: null });
        await assertNoCspViolations(other, 'import page');
        assert.deepEqual(seriousProblems(otherProblems), []);
      } finally {
        await fresh.close().catch(() => undefined);
        await rm(profile, { recursive: true, force: true });
      }
    });

    await step('permalink: a changed setting goes to the URL hash (no file names) and a link restores it', 60_000, async () => {
      await page.getByText('Edit settings').click();
      await page.getByLabel('split seed').fill('7');
      await page.waitForFunction(() => location.hash.includes('settings='), null, { timeout: 5_000 });
      const url = page.url();
      const encoded = new URLSearchParams(new URL(url).hash.slice(1)).get('settings');
      const settings = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
      assert.equal(settings.splitSeed, 7);
      assert.ok(!decodeURIComponent(url).includes('synthetic') && !JSON.stringify(settings).includes('synthetic'), 'no file name in the link');
      assert.equal(new URL(url).searchParams.get('backend'), 'wasm', '?backend= is kept');

      const { page: linked } = await openApp(context, url, '');
      assert.equal(await linked.getByLabel('split seed').inputValue(), '7');
      assert.ok(await linked.getByRole('checkbox', { name: 'AAC', exact: true }).isChecked());
      assert.ok(!(await linked.getByRole('checkbox', { name: 'NLR', exact: true }).isChecked()));
      await linked.close();

      const { page: bad } = await openApp(context, server.url, '?demo=0&backend=wasm#settings=bm90LWpzb24');
      await bad.locator('[data-testid="notice"]', { hasText: 'settings were ignored' }).waitFor({ timeout: 5_000 });
      assert.equal(await bad.getByLabel('split seed').inputValue(), '0', 'defaults kept (seed 0: the authors’ split)');
      await bad.close();
    });

    await step('offline after the first visit: the app loads and measures a dropped file on WASM', 150_000, async () => {
      const served = server.requests.length;
      await context.setOffline(true);
      try {
        await page.reload();
        await page.getByRole('heading', { name: 'Redundancy Lab' }).waitFor({ timeout: 30_000 });
        await page.locator('.badge[data-backend="wasm"]').waitFor({ timeout: 60_000 });
        assert.equal(await page.getByLabel('split seed').inputValue(), '7', 'settings from the hash, offline too');
        await dropFiles(page, [{ name: FILE, bytes }]);
        await waitForFileStatus(page, FILE, ['ready']);
        await chooseMeasures(page, ['aac']);
        await runButton(page).click();
        const aac = await valueCell(page, FILE, 'aac', 90_000);
        assert.ok(Math.abs(aac - measured.aac) < 1e-6, `AAC measured offline ${aac} vs online ${measured.aac} (AAC does not depend on the split)`);
        // The browser's own service-worker update check (sw.js and its imported scripts) is not covered by Playwright's
        // offline emulation; everything the page and the measure worker asked for came from the cache.
        const reached = server.requests.slice(served).filter((p) => !/^\/(sw\.js|sw-csp\.js|workbox-[\w-]+\.js)$/.test(p));
        assert.deepEqual(reached, [], 'nothing but the update check reached the server while offline');
        await assertNoCspViolations(page, 'offline page');
        assert.deepEqual(seriousProblems(problems), []);
      } finally {
        await context.setOffline(false);
      }
    });
  });
}
