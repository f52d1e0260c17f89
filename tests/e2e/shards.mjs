// Sharded embeddings (one file per data-parallel rank) measured as ONE set in the app: the name-based suggestion,
// combining by hand, the same AAC/LR as the CLI on the stacked shards, a D mismatch refused on the set's row with
// nothing else lost, "Split back", and saved results found again for the same shards.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chooseMeasures, dropFiles, openApp, runButton, screenshot, valueCell, waitForFileStatus } from './app.mjs';

const TOLERANCE = 1e-4;
const SET = 'emb_rank*.npy (3 shards)';
const SHARDS = ['emb_rank0.npy', 'emb_rank1.npy', 'emb_rank2.npy'];

/** A float32 C-order .npy (format v1, header written by hand as NumPy does). */
function npyBytes(values, rows, cols) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const pre = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0, 0]);
  pre.writeUInt16LE(header.length, 8);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(values.buffer, values.byteOffset, values.byteLength)]);
}

/** The rows of a float32 C-order v1 .npy. */
function npyRows(bytes) {
  const headerLen = bytes.readUInt16LE(8);
  const header = bytes.subarray(10, 10 + headerLen).toString('latin1');
  assert.match(header, /'descr': '<f4', 'fortran_order': False, 'shape': \((\d+), (\d+)\)/);
  const [, rows, cols] = /'shape': \((\d+), (\d+)\)/.exec(header).map(Number);
  const body = bytes.subarray(10 + headerLen);
  return { rows, cols, values: new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)) };
}

function cliMeasure(ROOT, files) {
  const out = execFileSync(process.execPath, [path.join(ROOT, 'bin/redundancy-lab.mjs'), 'measure', ...files, '--json', '--measures', 'aac,lr'], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const json = JSON.parse(out);
  return { n: json.n, d: json.d, aac: json.aac.value, lr: json.lr.value };
}

export async function shardsGroup({ group, step, server, ROOT, DEMO, SHOTS }) {
  await group('Shards: several shards measured as one set', async (context) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rl-e2e-shards-'));
    // a real demo set cut into three uneven shards (rows in order); and a pair with different D
    const whole = npyRows(await readFile(path.join(DEMO, 'synthetic-linear.npy')));
    const cuts = [0, 700, 1500, whole.rows];
    const files = {};
    SHARDS.forEach((name, k) => {
      files[name] = npyBytes(whole.values.subarray(cuts[k] * whole.cols, cuts[k + 1] * whole.cols), cuts[k + 1] - cuts[k], whole.cols);
    });
    files['left.npy'] = npyBytes(whole.values.subarray(0, 300 * whole.cols), 300, whole.cols);
    files['right.npy'] = npyBytes(Float32Array.from({ length: 300 * 5 }, (_, i) => Math.sin(i * 0.37) + (i % 7)), 300, 5);
    for (const [name, bytes] of Object.entries(files)) await writeFile(path.join(dir, name), bytes);
    const expected = cliMeasure(ROOT, SHARDS.map((n) => path.join(dir, n)));
    console.log(`    CLI on the 3 shards: N ${expected.n}, D ${expected.d}, AAC ${expected.aac}, LR ${expected.lr}`);
    const other = 'synthetic-nonlinear.npy';
    const otherBytes = await readFile(path.join(DEMO, other));
    const { page, problems } = await openApp(context, server.url, '?demo=0&backend=wasm');
    let measured;

    try {
      await step('dropped rank files are suggested as one set; one click combines them in rank order; same AAC/LR as the CLI', 180_000, async () => {
        await chooseMeasures(page, ['aac', 'lr']);
        // dropped out of order, next to an unrelated file
        await dropFiles(page, [other, 'emb_rank2.npy', 'emb_rank0.npy', 'emb_rank1.npy'].map((name) => ({ name, bytes: name === other ? otherBytes : files[name] })));
        for (const name of [other, ...SHARDS]) await waitForFileStatus(page, name, ['ready']);
        const suggestion = page.locator('[data-testid="shard-suggestion"][data-template="emb_rank*.npy"]');
        await suggestion.waitFor({ timeout: 5_000 });
        assert.equal(await page.locator(`li[data-file="${SET}"]`).count(), 0, 'never combined without a click');
        await page.locator('section[aria-labelledby="files-heading"]').screenshot({ path: path.join(SHOTS, 'shards-suggested.png') });
        await suggestion.getByRole('button', { name: 'Combine as emb_rank*.npy' }).click();
        await waitForFileStatus(page, SET, ['ready']);
        const item = page.locator(`li[data-file="${SET}"]`);
        assert.equal(await item.getAttribute('data-shards'), '3');
        assert.deepEqual(await item.locator('[data-shard]').evaluateAll((els) => els.map((e) => e.getAttribute('data-shard'))), SHARDS, 'ordered by rank');
        assert.match(await item.locator('.meta').first().textContent(), /2,000 × 32/, 'combined rows × D');
        for (const name of SHARDS) assert.equal(await page.locator(`li[data-file="${name}"]`).count(), 0, `${name} is inside the set`);
        assert.equal(await page.locator('[data-testid="shard-suggestion"]').count(), 0, 'the suggestion is gone');

        await runButton(page).click();
        const aac = await valueCell(page, SET, 'aac', 120_000);
        const lr = await valueCell(page, SET, 'lr', 5_000);
        assert.ok(Math.abs(aac - expected.aac) <= TOLERANCE, `AAC ${aac} vs CLI ${expected.aac}`);
        assert.ok(Math.abs(lr - expected.lr) <= TOLERANCE, `LR ${lr} vs CLI ${expected.lr}`);
        assert.equal(await valueCell(page, SET, 'n'), expected.n);
        assert.equal(await valueCell(page, SET, 'd'), expected.d);
        assert.equal(await page.locator(`[data-testid="results"] tr[data-file="${SET}"]`).count(), 1, 'one row in the results');
        await page.waitForFunction(() => !window.redundancyLab.run.active, null, { timeout: 60_000 });
        measured = { aac, lr, other: await valueCell(page, other, 'aac') };
        assert.notEqual(measured.other, null);

        await item.locator('details summary').click();
        await page.locator('section[aria-labelledby="files-heading"]').screenshot({ path: path.join(SHOTS, 'shards-file-list.png') });
      });

      await step('the worker crashes mid-run: the fresh worker registers the set again from its shards; same numbers', 240_000, async () => {
        await page.evaluate(() => window.redundancyLab.client.injectFault('crash'));
        await runButton(page).click();
        await page.waitForFunction(() => !window.redundancyLab.run.active, null, { timeout: 200_000 });
        assert.match(await page.locator('[data-testid="notice"]').textContent(), /worker crashed.*restarted on/i);
        assert.equal(await page.locator(`li[data-file="${SET}"]`).getAttribute('data-status'), 'done');
        const after = { aac: await valueCell(page, SET, 'aac'), lr: await valueCell(page, SET, 'lr'), other: await valueCell(page, other, 'aac') };
        assert.ok(Math.abs(after.aac - measured.aac) <= TOLERANCE && Math.abs(after.lr - measured.lr) <= TOLERANCE, `after the restart ${JSON.stringify(after)}`);
        measured = after; // the values now shown (and saved)
      });

      await step('shards of different D, combined by hand: the error sits on the set; other rows stay; Split back restores the files', 60_000, async () => {
        await dropFiles(page, ['left.npy', 'right.npy'].map((name) => ({ name, bytes: files[name] })));
        for (const name of ['left.npy', 'right.npy']) await waitForFileStatus(page, name, ['ready']);
        await page.getByRole('checkbox', { name: 'Select right.npy to combine as shards' }).check();
        await page.getByRole('checkbox', { name: 'Select left.npy to combine as shards' }).check();
        await page.getByRole('button', { name: 'Combine as shards of one set' }).click();
        const bad = 'left.npy … right.npy (2 shards)';
        await waitForFileStatus(page, bad, ['error']);
        const message = await page.locator(`li[data-file="${bad}"] [role="alert"]`).textContent();
        assert.match(message, /right\.npy: has 5 dims but left\.npy has 32; shards of one set must have the same D/, message);
        await screenshot(page, SHOTS, 'shards-mismatch');
        assert.equal(await valueCell(page, SET, 'aac'), measured.aac, 'the set measured before keeps its result');
        assert.equal(await valueCell(page, other, 'aac'), measured.other, 'the other file keeps its result');
        await page.getByRole('button', { name: `Split ${bad} back into its files` }).click();
        for (const name of ['left.npy', 'right.npy']) await waitForFileStatus(page, name, ['ready']);
        assert.equal(await page.locator(`li[data-file="${bad}"]`).count(), 0);
        // and the good set splits back too: its files return with nothing lost
        await page.getByRole('button', { name: `Split ${SET} back into its files` }).click();
        for (const name of SHARDS) await waitForFileStatus(page, name, ['ready']);
        assert.equal(await valueCell(page, other, 'aac'), measured.other);
        const serious = problems.filter((p) => !/Failed to load resource|favicon/.test(p));
        assert.deepEqual(serious, [], 'errors in the page');
      });

      await step('a new tab: the same shards combined again find their saved result (no run)', 60_000, async () => {
        const { page: tab } = await openApp(context, server.url, '?demo=0&backend=wasm');
        await chooseMeasures(tab, ['aac', 'lr']);
        await dropFiles(tab, SHARDS.map((name) => ({ name, bytes: files[name] })));
        for (const name of SHARDS) await waitForFileStatus(tab, name, ['ready']);
        await tab.getByRole('button', { name: 'Combine as emb_rank*.npy' }).click();
        assert.equal(await valueCell(tab, SET, 'aac', 10_000), measured.aac);
        assert.equal(await valueCell(tab, SET, 'lr'), measured.lr);
        await tab.locator('[data-testid="notice"]', { hasText: 'saved results' }).waitFor({ timeout: 5_000 });
        assert.equal(await tab.evaluate(() => window.redundancyLab.run.active), false, 'nothing was run');
        await tab.close();
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
