/**
 * npm run bench:scale [-- --dir /tmp/rl-scale --rows 500000 --d 2048 --csv-rows 400000 --csv-d 512 --browser]
 * (--browser serves the built app from dist/: run `VITE_TEST_HOOKS=1 npx vite build` first (it reads app state); --only npy|csv, --skip-cli)
 *
 * Files larger than memory: writes (once, kept in --dir) a float32 .npy of rows × d (500,000 × 2048 =
 * 4.1 GB) and a headerless CSV (400,000 × 512 ≈ 1.5 GB), then measures AAC + LR + NLR (NLR on a row sample)
 * with the CLI in a child process and, with --browser, in the built app in headless Chromium on WASM. Prints
 * one table: time and peak resident memory (the CLI process: /usr/bin/time's max RSS; the tab: VmHWM of its
 * renderer process, which also runs the measure worker). Asserts nothing; minutes per file.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, statSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { lowRankBlocks, npyHeader } from './synthetic.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: path.join(os.tmpdir(), 'rl-scale') },
    rows: { type: 'string', default: '500000' },
    d: { type: 'string', default: '2048' },
    'csv-rows': { type: 'string', default: '400000' },
    'csv-d': { type: 'string', default: '512' },
    'nlr-rows': { type: 'string', default: '4000' },
    browser: { type: 'boolean', default: false },
    'skip-cli': { type: 'boolean', default: false },
    only: { type: 'string' },
    dist: { type: 'string', default: path.join(ROOT, 'dist') },
  },
});
const GiB = 2 ** 30;
const BLOCK = 2000;
/** NLR on a row sample: a handful of dims and epochs, enough to show it runs at this size. */
const NLR_FLAGS = ['--nlr-rows', values['nlr-rows'], '--nlr-dims', '4', '--epochs', '5'];

mkdirSync(values.dir, { recursive: true });

/** Writes through a temporary name, so an interrupted run never leaves a truncated file to be reused. */
function writeOnce(file: string, write: (fd: number) => void): string {
  if (existsSync(file)) return file;
  const partial = `${file}.partial`;
  const fd = openSync(partial, 'w');
  try {
    write(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, file);
  return file;
}

function largeNpy(rows: number, d: number): string {
  return writeOnce(path.join(values.dir, `scale-${rows}x${d}.npy`), (fd) => {
    writeSync(fd, npyHeader(rows, d));
    for (const block of lowRankBlocks(rows, d, BLOCK, { factors: 16 })) writeSync(fd, new Uint8Array(block.data.buffer));
  });
}

function largeCsv(rows: number, d: number): string {
  return writeOnce(path.join(values.dir, `scale-${rows}x${d}.csv`), (fd) => {
    for (const block of lowRankBlocks(rows, d, BLOCK, { factors: 16, seed: 777 })) {
      const lines: string[] = [];
      for (let r = 0; r < block.rows; r++) lines.push(Array.from(block.data.subarray(r * d, (r + 1) * d), (v) => v.toFixed(4)).join(','));
      writeSync(fd, lines.join('\n') + '\n');
    }
  });
}

interface Row {
  file: string;
  where: string;
  seconds: number | null;
  peakGiB: number | null;
  result: string;
}

/** Stage times of a result (read, gram, extras, lr, nlr) in seconds. */
function stages(timingsMs: Record<string, number>): string {
  return Object.entries(timingsMs)
    .filter(([stage]) => stage !== 'total')
    .map(([stage, ms]) => `${stage} ${(ms / 1000).toFixed(0)} s`)
    .join(', ');
}

/** The CLI in a child process under /usr/bin/time (max RSS in KiB on stderr's last line). */
function runCli(file: string): Promise<Row> {
  const args = [path.join(ROOT, 'bin/redundancy-lab.mjs'), 'measure', file, ...NLR_FLAGS, '--json'];
  const timeTool = existsSync('/usr/bin/time');
  const [cmd, argv] = timeTool ? ['/usr/bin/time', ['-f', 'maxrss-kib %M', process.execPath, ...args]] : [process.execPath, args];
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('close', (code) => {
      const seconds = (performance.now() - start) / 1000;
      const rss = /maxrss-kib (\d+)/.exec(err);
      let result = `exit ${code}: ${err.split('\n').filter((l) => l && !l.startsWith('maxrss')).slice(-2).join(' ')}`;
      if (code === 0) {
        const json = JSON.parse(out);
        result = `AAC ${json.aac.value.toFixed(4)}, LR ${json.lr.value.toFixed(4)}, NLR ${json.nlr.value.toFixed(4)} (${json.nlr.evaluatedDims.length} dims on a row sample); ${stages(json.timingsMs)}`;
      }
      resolve({ file: path.basename(file), where: 'CLI (Node, WASM)', seconds, peakGiB: rss ? Number(rss[1]) / 2 ** 20 : null, result });
    });
  });
}

/** Peak resident memory (VmHWM) of each Chromium renderer using this profile, in GiB. */
function rendererPeaksGiB(profile: string): number[] {
  const peaks: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline.includes('--type=renderer') || !cmdline.includes(profile)) continue;
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (hwm) peaks.push(Number(hwm[1]) / 2 ** 20);
    } catch {
      // the process ended meanwhile
    }
  }
  return peaks;
}

async function runBrowser(file: string): Promise<Row> {
  const { launchBrowser, openApp, runButton, valueCell, waitForFileStatus, chooseMeasures } = await import('../scripts/browser/app.mjs');
  const { serveStatic } = await import('../scripts/browser/server.mjs');
  const server = await serveStatic(values.dist);
  const profile = await mkdtemp(path.join(os.tmpdir(), 'rl-scale-'));
  const context = await launchBrowser(profile);
  const name = path.basename(file);
  try {
    const { page } = await openApp(context, server.url, '?demo=0&backend=wasm');
    await page.locator('.badge[data-backend="wasm"]').waitFor({ timeout: 120_000 });
    const start = performance.now();
    await page.locator('input[type=file]').first().setInputFiles(file); // a path: Chromium reads the file itself
    await waitForFileStatus(page, name, ['ready'], 600_000);
    await chooseMeasures(page, ['aac', 'lr']);
    await page.getByRole('checkbox', { name: 'Linear probe' }).uncheck().catch(() => undefined);
    await runButton(page).click();
    // a job estimated past 10 minutes asks first (the run-estimate dialog): this benchmark means to run it
    const anyway = page.getByRole('button', { name: /^Run anyway/ });
    if (await anyway.waitFor({ timeout: 5_000 }).then(() => true, () => false)) await anyway.click();
    const lr = await valueCell(page, name, 'lr', 3 * 3600_000);
    const aac = await page.locator(`[data-file="${name}"][data-measure="aac"]`).getAttribute('data-value');
    const seconds = (performance.now() - start) / 1000;
    const peaks = rendererPeaksGiB(profile);
    const timings = await page.evaluate(() => (window as unknown as { redundancyLab: { files: { result?: { timingsMs: Record<string, number> } }[] } }).redundancyLab.files.find((f) => f.result)?.result?.timingsMs ?? {});
    return { file: name, where: 'app tab (Chromium, WASM)', seconds, peakGiB: peaks.length ? Math.max(...peaks) : null, result: `AAC ${Number(aac).toFixed(4)}, LR ${Number(lr).toFixed(4)}; ${stages(timings)}` };
  } catch (e) {
    return { file: name, where: 'app tab (Chromium, WASM)', seconds: null, peakGiB: null, result: `failed: ${(e as Error).message.split('\n')[0]}` };
  } finally {
    await context.close().catch(() => undefined);
    await rm(profile, { recursive: true, force: true });
    await server.close();
  }
}

const files: string[] = [];
if (values.only !== 'csv') files.push(largeNpy(Number(values.rows), Number(values.d)));
if (values.only !== 'npy') files.push(largeCsv(Number(values['csv-rows']), Number(values['csv-d'])));
const rows: Row[] = [];
for (const file of files) {
  console.error(`${path.basename(file)}: ${(statSync(file).size / GiB).toFixed(2)} GiB`);
  if (!values['skip-cli']) rows.push(await runCli(file));
  if (values.browser) rows.push(await runBrowser(file));
}

const header = ['file', 'size', 'where', 'time', 'peak memory', 'result'];
const body = rows.map((r) => [
  r.file,
  `${(statSync(path.join(values.dir, r.file)).size / GiB).toFixed(2)} GiB`,
  r.where,
  r.seconds === null ? '—' : `${r.seconds.toFixed(0)} s`,
  r.peakGiB === null ? '—' : `${r.peakGiB.toFixed(2)} GiB`,
  r.result,
]);
const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log([line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n'));
