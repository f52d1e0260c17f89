// Failures survived: a lost WebGPU device and a crashed worker mid-job. The app says what happened, restarts
// the worker on the next backend of the chain, reruns the job, and keeps every result it already had.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { chooseMeasures, dropFiles, openApp, runButton, valueCell, waitForFileStatus } from './app.mjs';

async function measureOnce(page, name, bytes) {
  await dropFiles(page, [{ name, bytes }]);
  await waitForFileStatus(page, name, ['ready']);
  await chooseMeasures(page, ['aac', 'lr']);
  await runButton(page).click();
  return valueCell(page, name, 'aac', 180_000);
}

async function runAgainAfter(page, fault) {
  await page.evaluate((kind) => window.redundancyLab.client.injectFault(kind), fault);
  await runButton(page).click();
  await page.waitForFunction(() => !window.redundancyLab.run.active, null, { timeout: 240_000 });
}

export async function failuresGroup({ group, step, server, DEMO }) {
  const name = 'synthetic-linear.npy';
  const bytes = await readFile(path.join(DEMO, name));

  await group('Failures: device loss and worker crash mid-job', async (context) => {
    await step('WebGPU device lost mid-job → rerun on WebGL, same numbers, the app says so', 300_000, async () => {
      const { page } = await openApp(context, server.url, '?demo=0&backend=webgpu');
      await page.locator('[data-backend="webgpu"]').waitFor({ timeout: 120_000 });
      const before = await measureOnce(page, name, bytes);
      await runAgainAfter(page, 'device-lost');
      const notice = await page.locator('[data-testid="notice"]').textContent();
      assert.match(notice, /device was lost.*WEBGPU.*restarted on WEBGL/i, notice);
      assert.equal(await page.locator('.badge').getAttribute('data-backend'), 'webgl');
      const after = await valueCell(page, name, 'aac');
      assert.ok(Math.abs(after - before) < 1e-4, `AAC ${after} after the rerun vs ${before}`);
      await page.close();
    });

    await step('worker crash mid-job (WASM) → rerun on CPU; earlier results of other files stay', 300_000, async () => {
      const { page } = await openApp(context, server.url, '?demo=0&backend=wasm');
      await page.locator('[data-backend="wasm"]').waitFor({ timeout: 60_000 });
      const first = await measureOnce(page, name, bytes);
      const other = 'synthetic-independent.npy';
      await dropFiles(page, [{ name: other, bytes: await readFile(path.join(DEMO, other)) }]);
      await waitForFileStatus(page, other, ['ready']);
      await runAgainAfter(page, 'crash');
      const notice = await page.locator('[data-testid="notice"]').textContent();
      assert.match(notice, /worker crashed.*WASM.*restarted on CPU/i, notice);
      assert.equal(await page.locator('.badge').getAttribute('data-backend'), 'cpu');
      assert.equal(await valueCell(page, name, 'aac'), first, 'the first file keeps its result');
      const aac = await valueCell(page, other, 'aac', 60_000);
      assert.ok(Number.isFinite(aac) && aac < 0.1, `the interrupted file was measured after the restart: AAC ${aac}`);
      await page.close();
    });
  });
}
