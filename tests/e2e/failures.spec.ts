// Failures survived: a lost WebGPU device and a crashed worker mid-job. The app says what happened, restarts
// the worker on the next backend of the chain, reruns the job, and keeps every result it already had.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { chooseMeasures, dropFiles, openApp, runButton, valueCell, waitForFileStatus } from '../../scripts/browser/app.mjs';
import { DEMO, LINEAR as name, expect, freshProfile, injectFault, test, waitForRunIdle } from './fixtures.ts';

async function measureOnce(page: Page, fileName: string, bytes: Buffer) {
  await dropFiles(page, [{ name: fileName, bytes }]);
  await waitForFileStatus(page, fileName, ['ready']);
  await chooseMeasures(page, ['aac', 'lr']);
  await runButton(page).click();
  return valueCell(page, fileName, 'aac', 180_000);
}

async function runAgainAfter(page: Page, fault: 'device-lost' | 'crash') {
  await injectFault(page, fault);
  await runButton(page).click();
  await waitForRunIdle(page, 240_000);
}

test.describe('Failures: device loss and worker crash mid-job', () => {
  const browser = freshProfile();

  test('WebGPU device lost mid-job → rerun on WebGL, same numbers, the app says so', async ({ server }) => {
    test.setTimeout(300_000);
    const bytes = await readFile(path.join(DEMO, name));
    const { page } = await openApp(browser.context, server.url, '?demo=0&backend=webgpu');
    await page.locator('[data-backend="webgpu"]').waitFor({ timeout: 120_000 });
    const before = (await measureOnce(page, name, bytes))!;
    await runAgainAfter(page, 'device-lost');
    const notice = await page.locator('[data-testid="notice"]').textContent();
    expect(notice).toMatch(/device was lost.*WEBGPU.*restarted on WEBGL/i);
    expect(await page.locator('.badge').getAttribute('data-backend')).toBe('webgl');
    const after = (await valueCell(page, name, 'aac'))!;
    expect(Math.abs(after - before), `AAC ${after} after the rerun vs ${before}`).toBeLessThan(1e-4);
    await page.close();
  });

  test('worker crash mid-job (WASM) → rerun on CPU; earlier results of other files stay', async ({ server }) => {
    test.setTimeout(300_000);
    const bytes = await readFile(path.join(DEMO, name));
    const { page } = await openApp(browser.context, server.url, '?demo=0&backend=wasm');
    await page.locator('[data-backend="wasm"]').waitFor({ timeout: 60_000 });
    const first = await measureOnce(page, name, bytes);
    const other = 'synthetic-independent.npy';
    await dropFiles(page, [{ name: other, bytes: await readFile(path.join(DEMO, other)) }]);
    await waitForFileStatus(page, other, ['ready']);
    await runAgainAfter(page, 'crash');
    const notice = await page.locator('[data-testid="notice"]').textContent();
    expect(notice).toMatch(/worker crashed.*WASM.*restarted on CPU/i);
    expect(await page.locator('.badge').getAttribute('data-backend')).toBe('cpu');
    expect(await valueCell(page, name, 'aac'), 'the first file keeps its result').toBe(first);
    const aac = await valueCell(page, other, 'aac', 60_000);
    expect(Number.isFinite(aac) && aac! < 0.1, `the interrupted file was measured after the restart: AAC ${aac}`).toBe(true);
    await page.close();
  });
});
