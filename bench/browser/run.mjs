// npm run bench:browser [-- --n 10000 --d 512 --backends wasm,wasm:2,webgl,webgpu --dist dist]   (wasm:N = WASM with ?threads=N)
// The same AAC + LR job in headless Chromium (Debian's /usr/bin/chromium) on each backend, through the app
// itself: a synthetic low-rank + noise .npy is dropped on the built page and measured. Prints one table
// (time per stage, GFLOP/s from the FLOP counts in docs/performance.md, ratio to WASM in the same run).
// The CLI measures the same file in the same run (the last rows): the tab's time over the CLI's, per stage and in all.
// Asserts nothing about timings. Needs `vite build` first (the npm script does it); run with tsx (imports .ts).
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chooseMeasures, dropFiles, launchBrowser, openApp, runButton, valueCell, waitForFileStatus } from '../../scripts/browser/app.mjs';
import { serveStatic } from '../../scripts/browser/server.mjs';
import { lowRankEmbeddings, npyBytes } from '../synthetic.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { n: { type: 'string', default: '10000' }, d: { type: 'string', default: '512' }, backends: { type: 'string', default: 'wasm,webgl,webgpu' }, dist: { type: 'string', default: path.join(ROOT, 'dist') } } });
const n = Number(values.n);
const d = Number(values.d);
const backends = values.backends.split(',');

const bytes = npyBytes(lowRankEmbeddings(n, d));
const name = `bench-${n}x${d}.npy`;
const server = await serveStatic(path.resolve(values.dist)); // --dist: another build of the page, to compare two builds in one session
const rows = [];
try {
  for (const entry of backends) {
    const [backend, threads] = entry.split(':');
    const profile = await mkdtemp(path.join(os.tmpdir(), 'rl-bench-'));
    const context = await launchBrowser(profile);
    try {
      const { page } = await openApp(context, server.url, `?demo=0&backend=${backend}${threads ? `&threads=${threads}` : ''}`);
      await page.locator(`.badge[data-backend="${backend}"]`).waitFor({ timeout: 120_000 });
      const adapter = (await page.locator('.badge').textContent())?.replace(/\s+/g, ' ').trim();
      await dropFiles(page, [{ name, bytes }]);
      await waitForFileStatus(page, name, ['ready']);
      await chooseMeasures(page, ['aac', 'lr']);
      await page.getByRole('checkbox', { name: 'Linear probe' }).uncheck().catch(() => undefined);
      await runButton(page).click();
      await valueCell(page, name, 'lr', 1_800_000);
      // LR is shown before the null baseline: the job's timings once the whole result is in
      await page.waitForFunction(() => window.redundancyLab.files.some((f) => f.result && !f.result.provisional), null, { timeout: 1_800_000 });
      const t = await page.evaluate(() => window.redundancyLab.files.find((f) => f.result && !f.result.provisional)?.result.timingsMs);
      rows.push({ backend: entry, adapter, t });
    } catch (e) {
      rows.push({ backend: entry, adapter: `failed: ${e?.message?.split('\n')[0]}`, t: null });
    } finally {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    }
  }
  // the CLI on the same bytes and job (AAC + LR: null baseline and extras included, as in the tab), every core
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rl-bench-cli-'));
  try {
    const file = path.join(dir, name);
    await writeFile(file, bytes);
    const out = execFileSync(process.execPath, [path.join(ROOT, 'bin/redundancy-lab.mjs'), 'measure', file, '--measures', 'aac,lr', '--json', '--quiet'], { maxBuffer: 1 << 30 });
    rows.push({ backend: 'cli', adapter: 'CLI (Node, WASM + float64 kernel on every core)', t: JSON.parse(out.toString()).timingsMs });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
} finally {
  await server.close();
}

const K = 5;
const flops = { gram: 2 * n * d * d, lr: 2 * n * K * d * d + K * d ** 3 };
const wasm = rows.find((r) => r.backend === 'wasm' && r.t);
const cli = rows.find((r) => r.backend === 'cli' && r.t);
const header = ['operation', 'size', 'backend', 'time', 'GFLOP/s', 'vs WASM (same run)', 'tab / CLI time (same run)'];
const body = [];
for (const r of rows) {
  if (!r.t) {
    body.push(['AAC + LR', `${n}×${d}`, r.backend, r.adapter, '', '', '']);
    continue;
  }
  for (const [op, key] of [['Gram / AAC', 'gram'], ['LR, all dims', 'lr'], ['whole job (extras, null included)', 'total']]) {
    const ms = r.t[key];
    const rate = flops[key] ? (flops[key] / ms / 1e6).toFixed(2) : '';
    const vsCli = cli && r !== cli ? `${(ms / cli.t[key]).toFixed(2)}×` : '';
    body.push([op, `${n.toLocaleString('en-US')}×${d}`, r.backend, ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`, rate, wasm && r !== cli ? `${(wasm.t[key] / ms).toFixed(2)}×` : '', vsCli]);
  }
}
const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => String(b[i]).length)));
const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
body.forEach((b) => console.log(line(b)));
for (const r of rows) console.log(`${r.backend}: ${r.adapter}${r.t ? ` — stages (ms): ${Object.entries(r.t).map(([k, v]) => `${k} ${Math.round(v)}`).join(", ")}` : ""}`);
