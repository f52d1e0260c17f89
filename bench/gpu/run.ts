/**
 * npm run bench:gpu [-- --small] [-- --n 1000 --d 64 --epochs 1 --heads 40 --ref-heads 40 --groups 1,8,32,max --matmul 512 --json out.json]
 *
 * The real NLR training (the paper's MLP (D−1)→128→64→1, plain SGD lr 0.01, batch 512: heldOutMlpR2 with
 * headsPerBatch set) and AAC + LR (measureArray; float64 on the CPU whatever the backend) on WebGPU at several
 * head-group sizes, against the WASM backend in the same process on the same data — in Debian's headless Chromium,
 * then in Node through Dawn (the optional package "webgpu"; bench/gpu/node.ts): one table per place.
 * Each table: the device's float32 matmul rate measured in the same run, NLR GFLOP/s as a share of it, heads per
 * second, max |ΔR²| against WASM (the reference), and tf.memory() as each head group finishes (GPU memory should
 * stay flat: the core pads the last group to the same shape). Asserts nothing about timings; exits non-zero
 * when WebGPU or the page fails, a number is not finite, or WebGPU's NLR differs from WASM's by more than 1e-4.
 *
 * The npm script builds the page first (vite build --config bench/gpu/vite.config.ts → bench/gpu/dist).
 * Options: --small (the CI size), --hardware (Chromium flags for a real GPU's Vulkan driver instead of SwiftShader;
 * fails if the adapter is still a software one; in Node: the machine's Vulkan driver instead of SwiftShader's),
 * --where chromium,node (which places; default both), --browser-arg X (more Chromium flags), --json FILE (save the raw
 * numbers), --print FILE (the table of a saved run), --quiet (no progress on stderr).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CHROMIUM_ARGS, LAUNCH_OPTIONS, launchBrowser } from '../../scripts/browser/app.mjs';
import { serveStatic } from '../../scripts/browser/server.mjs';
import type { BenchRow } from '../benchRow.ts';
import type { GpuBenchConfig, GpuBenchResult, MemorySample, NlrRun } from './protocol.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/**
 * --hardware: headless Chromium on Linux gives WebGPU through SwiftShader unless told to use the GPU's Vulkan driver
 * (the flags Chrome's "Supercharge Web AI model testing" post uses); the SwiftShader flags of CHROMIUM_ARGS are dropped.
 */
const HARDWARE_ARGS = ['--enable-features=Vulkan', '--use-angle=vulkan', '--use-vulkan=native', '--disable-vulkan-surface', '--ignore-gpu-blocklist'];
const DIST = path.join(HERE, 'dist');
/** max |ΔR²| per head allowed between WebGPU and the WASM reference */
const NLR_TOLERANCE = 1e-4;

const { values } = parseArgs({
  options: {
    small: { type: 'boolean', default: false },
    n: { type: 'string' },
    d: { type: 'string' },
    epochs: { type: 'string' },
    heads: { type: 'string' },
    'ref-heads': { type: 'string' },
    groups: { type: 'string' },
    matmul: { type: 'string' },
    json: { type: 'string' },
    print: { type: 'string' },
    quiet: { type: 'boolean', default: false },
    hardware: { type: 'boolean', default: false },
    where: { type: 'string', default: 'chromium,node' },
    'browser-arg': { type: 'string', multiple: true, default: [] },
  },
});
const small = values.small;
// full defaults: what finishes in a few minutes on SwiftShader on a 2-core VM (docs/performance.md)
let config: GpuBenchConfig = {
  n: Number(values.n ?? 1000),
  d: Number(values.d ?? (small ? 32 : 64)),
  epochs: Number(values.epochs ?? (small ? 2 : 1)),
  heads: Number(values.heads ?? (small ? 6 : 40)),
  refHeads: Number(values['ref-heads'] ?? values.heads ?? (small ? 6 : 40)),
  groups: (values.groups ?? (small ? '1,4,max' : '1,8,32,max')).split(',').map((g) => (g.trim() === 'max' ? 'max' : Number(g))),
  matmulSize: Number(values.matmul ?? (small ? 256 : 512)),
};
for (const [key, v] of Object.entries(config)) {
  const bad = key === 'groups' ? (v as GpuBenchConfig['groups']).some((g) => g !== 'max' && !(Number.isInteger(g) && g >= 1)) : !(Number.isInteger(v) && (v as number) >= 1);
  if (bad) throw new Error(`bench:gpu: bad --${key} (${JSON.stringify(v)})`);
}

const started = performance.now();
const problems: string[] = [];
/** One harness run per place: Debian's Chromium (its WebGPU), and Node with Dawn (the `webgpu` package). */
interface PlaceResult {
  where: 'chromium' | 'node';
  result: GpuBenchResult | null;
  /** why there is no result */
  error?: string;
}
let places: PlaceResult[];
let totalMs = 0;
const wanted = values.where.split(',').map((w) => w.trim());
for (const w of wanted) if (w !== 'chromium' && w !== 'node') throw new Error(`bench:gpu: bad --where ${w} (chromium, node)`);
if (values.print) {
  // --print saved.json: the tables of a run saved with --json, without running anything (older files: one result)
  const saved = JSON.parse(await readFile(values.print, 'utf8')) as { config: GpuBenchConfig; places?: PlaceResult[]; result?: GpuBenchResult; totalMs?: number };
  config = saved.config;
  places = saved.places ?? [{ where: 'chromium', result: saved.result ?? null }];
  totalMs = saved.totalMs ?? 0;
} else {
  places = [];
  if (wanted.includes('chromium')) places.push({ where: 'chromium', result: await runInBrowser() });
  if (wanted.includes('node')) places.push(await runInNode());
}

/** harness.ts in a child Node process with Dawn's WebGPU (bench/gpu/node.ts); SwiftShader's Vulkan driver unless --hardware. */
async function runInNode(): Promise<PlaceResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rl-bench-gpu-node-'));
  const out = path.join(dir, 'result.json');
  try {
    const args = [path.join(HERE, 'node.ts'), JSON.stringify(config), out, ...(values.hardware ? ['--hardware'] : []), ...(values.quiet ? ['--quiet'] : [])];
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'inherit', 'pipe'] });
      child.stderr.on('data', (b: Buffer) => {
        for (const line of b.toString().split('\n')) {
          if (!line.trim()) continue;
          // Dawn's complaints about the absent display server are noise on a headless machine
          if (/XDG_RUNTIME_DIR/.test(line)) continue;
          if (!values.quiet || !line.startsWith('[bench:gpu]')) process.stderr.write(`${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s [node] ${line}\n`);
        }
      });
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (!existsSync(out)) return { where: 'node', result: null, error: `the Node harness exited (${code}) without a result` };
    const written = JSON.parse(await readFile(out, 'utf8')) as GpuBenchResult | { error: string };
    return 'error' in written ? { where: 'node', result: null, error: written.error.split('\n')[0] } : { where: 'node', result: written };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Serves bench/gpu/dist, opens it in Debian's headless Chromium and runs the page's harness. */
async function runInBrowser(): Promise<GpuBenchResult> {
  if (!existsSync(path.join(DIST, 'index.html'))) {
    throw new Error('bench:gpu: bench/gpu/dist is missing — run `npm run bench:gpu` (it builds the page first)');
  }
  // no COOP/COEP: tfjs-backend-wasm then runs its single-threaded SIMD build (no pthread scripts to patch)
  const server = await serveStatic(DIST, { isolation: false });
  const profile = await mkdtemp(path.join(os.tmpdir(), 'rl-bench-gpu-'));
  try {
    const base = values.hardware ? [...CHROMIUM_ARGS.filter((arg) => !/swiftshader/i.test(arg)), ...HARDWARE_ARGS] : CHROMIUM_ARGS;
    const context = await launchBrowser(profile, { launchOptions: { ...LAUNCH_OPTIONS, args: [...base, ...(values['browser-arg'] ?? [])] } });
    try {
      const page = await context.newPage();
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
        else if (!values.quiet && m.text().startsWith('[bench:gpu]')) console.error(`${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s ${m.text()}`);
      });
      await page.goto(`${server.url}index.html`);
      await page.waitForFunction(() => window.gpuBench !== undefined, undefined, { timeout: 60_000 });
      return await page.evaluate(([c, logProgress]) => window.gpuBench!.run(c, logProgress), [config, !values.quiet] as const);
    } finally {
      await context.close().catch(() => undefined);
    }
  } finally {
    await server.close();
    await rm(profile, { recursive: true, force: true });
  }
}

if (!values.print) totalMs = performance.now() - started;
if (values.json) await writeFile(values.json, JSON.stringify({ config, places, totalMs }, null, 1));

// ---------------------------------------------------------------- the table

interface GpuRow extends BenchRow {
  /** untimed first use before `ms` (NLR rows) */
  warmUpMs: number | null;
  headsPerSecond: number | null;
  /** max |ΔR²| against the WASM reference, in words */
  vsWasm: string;
  /** tf.memory() over the head groups, in words */
  memory: string;
}

const seconds = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtInt = (v: number) => v.toLocaleString('en-US');
const size = `${fmtInt(config.n)}×${config.d}`;
const MB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const maxAbsDiff = (a: readonly (number | null)[], b: readonly (number | null)[]) => {
  let max = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === null && y === null) continue;
    max = Math.max(max, x === null || y === null ? Infinity : Math.abs(x - y));
  }
  return max;
};

const bytes = (b: number) => (Math.abs(b) < 2 ** 20 ? `${fmtInt(b)} B` : MB(b));
/** The first index from which every later value equals it. */
const flatFrom = (values: number[]) => {
  let k = values.length - 1;
  while (k > 0 && values[k - 1] === values[values.length - 1]) k--;
  return k;
};

/** tf.memory() over the groups: tensor bytes as each group finishes, the WebGPU buffer pool from the first group to the last. */
function memoryWords(run: NlrRun): string {
  const groups = run.afterGroup;
  if (groups.length === 0) return '';
  const flat = (values: number[]) => values.every((v) => v === values[0]);
  const tensors = groups.map((g) => g.numBytes);
  const parts = [`tensors ${flat(tensors) ? `${MB(tensors[0])} every group` : `${MB(Math.min(...tensors))}…${MB(Math.max(...tensors))} (varies)`}`];
  const pool = groups.map((g) => g.gpuBytesAllocated).filter((v): v is number => v !== null);
  if (pool.length > 0) {
    const last = pool[pool.length - 1];
    const from = flatFrom(pool);
    const growth = last === pool[0] ? '' : `, +${bytes(last - pool[0])} by group ${from + 1}`;
    parts.push(`GPU pool ${MB(pool[0])}${growth}${pool.length > 1 ? `, flat from group ${from + 1} to ${pool.length}` : ''}`);
  }
  const left = run.after.numBytes - run.before.numBytes;
  parts.push(left === 0 ? 'no tensor left after' : `${bytes(left)} of tensors left after`);
  return parts.join('; ');
}

function groupWords(run: NlrRun): string {
  const groups = run.groupShapes.length;
  const rest = run.heads % run.headsPerBatch;
  const padded = rest !== 0 && run.groupShapes.every((s) => s === run.headsPerBatch) ? `, last padded ${rest}→${run.headsPerBatch}` : '';
  return `${groups} group${groups === 1 ? '' : 's'} of ${run.headsPerBatch}${padded}`;
}

/** The table and notes of one place's run; returns what failed there (never timings). */
function report(result: GpuBenchResult, where: string): string[] {
  const rows: GpuRow[] = [];
  const reports = [result.wasm, ...(result.webgpu ? [result.webgpu] : [])];
  const a = result.adapter;
  /** the backend, and for WebGPU the adapter (vendor, architecture; software or not) */
  const backendLabel = (name: string) =>
    name === 'webgpu' && a.available ? `webgpu (${[a.vendor, a.architecture].filter((v) => v).join(' ') || 'adapter'}${a.software ? ', software' : ''})` : name;
  const backendName = (r: typeof result.wasm) => r.measure.backend;
  for (const r of reports) {
    rows.push({
      operation: 'matmul, float32 (reference rate)',
      size: `${r.matmul.size}²`,
      backend: backendLabel(backendName(r)),
      ms: r.matmul.ms,
      gflops: r.matmul.gflops,
      ratio: null,
      peakMemMb: null,
      warmUpMs: null,
      headsPerSecond: null,
      vsWasm: '',
      memory: '',
    });
  }
  for (const r of reports) {
    const m = r.measure;
    const ref = result.wasm.measure;
    rows.push({
      operation: 'AAC + LR (float64 on the CPU)',
      size,
      backend: backendLabel(m.backend),
      ms: m.ms,
      gflops: null,
      ratio: null,
      peakMemMb: null,
      warmUpMs: null,
      headsPerSecond: null,
      vsWasm: `AAC ${m.aac?.toFixed(4)}, LR ${m.lr?.toFixed(4)}${r === result.wasm ? ' (reference)' : `; LR per dim ${maxAbsDiff(m.lrPerDim, ref.lrPerDim).toExponential(1)}, |ΔAAC| ${Math.abs((m.aac ?? NaN) - (ref.aac ?? NaN)).toExponential(1)}`}`,
      memory: '',
    });
  }
  const reference = result.wasm.nlr[0];
  for (const r of reports) {
    for (const run of r.nlr) {
      const gflops = run.gflop / (run.ms / 1000);
      const isRef = run === reference;
      const compared = Math.min(reference.heads, run.heads);
      rows.push({
        operation: `NLR, ${run.requested === 'max' ? `max heads per group (memory bound: ${run.headsPerBatch})` : `${run.headsPerBatch} head${run.headsPerBatch === 1 ? '' : 's'} per group`}`,
        size: `${size}, ${run.heads} heads, ${config.epochs} epoch${config.epochs === 1 ? '' : 's'}`,
        backend: backendLabel(run.backend),
        ms: run.ms,
        gflops,
        ratio: `${((100 * gflops) / r.matmul.gflops).toFixed(0)}%`,
        peakMemMb: null,
        warmUpMs: run.warmUpMs,
        headsPerSecond: (1000 * run.heads) / run.ms,
        vsWasm: isRef ? '(reference)' : `${maxAbsDiff(run.heldOutR2.slice(0, compared), reference.heldOutR2.slice(0, compared)).toExponential(1)}${compared < run.heads ? ` (first ${compared} heads)` : ''}`,
        memory: `${groupWords(run)}: ${memoryWords(run)}`,
      });
    }
  }

  const header = ['operation', 'size', 'backend', 'warm-up', 'time', 'GFLOP/s', '% of matmul', 'heads/s', 'vs WASM (max |ΔR²|)', 'tf.memory() as each group finishes'];
  const body = rows.map((r) => [
    r.operation,
    r.size,
    r.backend,
    r.warmUpMs === null ? '' : seconds(r.warmUpMs),
    seconds(r.ms),
    r.gflops === null ? '' : r.gflops.toFixed(2),
    r.ratio ?? '',
    r.headsPerSecond === null ? '' : r.headsPerSecond.toFixed(2),
    r.vsWasm,
    r.memory,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.replaceAll('|', '\\|').padEnd(widths[i] + (c.split('|').length - 1))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  body.forEach((b) => console.log(line(b)));

  console.log('');
  if (a.available) {
    const fields = { vendor: a.vendor, architecture: a.architecture, device: a.device, description: a.description };
    const name = Object.entries(fields).filter(([, v]) => v).map(([k, v]) => `${k} "${v}"`).join(', ') || 'no adapter info';
    console.log(`WebGPU adapter: ${name}; software: ${a.software ? 'YES — a CPU emulation, not a GPU: these are not GPU numbers' : 'no'} (isFallbackAdapter: ${a.isFallbackAdapter}); maxStorageBufferBindingSize ${a.maxStorageBufferBindingSize === null ? '?' : MB(a.maxStorageBufferBindingSize)}`);
  } else {
    console.log(`WebGPU: not available (${a.reason})`);
  }
  console.log('warm-up: untimed, before the timed run: one group of that size for one step per tensor shape (first use compiles the WebGPU shaders); time, GFLOP/s and heads/s: the timed run after it');
  console.log(`backends: ${reports.map((r) => `${backendName(r)} = ${r.detail}`).join('; ')}`);
  console.log(
    `settings: MLP (D−1)→128→64→1, SGD lr 0.01, batch 512, ${config.epochs} epoch${config.epochs === 1 ? '' : 's'}; data: synthetic low-rank + noise (16 ReLU'd factors), N=${config.n}, D=${config.d}, split 75/25; tfjs ${result.tfjs}; ${result.userAgent.match(/(Headless)?Chrome\/[\d.]+/)?.[0] ?? result.userAgent}${totalMs > 0 ? `; ${seconds(totalMs)} in all` : ''}`,
  );
  const gpuRuns = result.webgpu?.nlr ?? [];
  // flat: the same tensor bytes as every group finishes, nothing left after the call, and the WebGPU buffer pool no
  // larger at the last group than at the second (the first use of a shape may allocate once; growth after that would
  // be a pool that keeps growing with the number of groups)
  const pool = (r: NlrRun) => r.afterGroup.map((g: MemorySample) => g.gpuBytesAllocated ?? 0);
  const grew = gpuRuns.filter((r) => {
    const p = pool(r);
    return p.length > 1 && flatFrom(p) > 1;
  });
  const tensorsVary = gpuRuns.filter((r) => r.afterGroup.some((g) => g.numBytes !== r.afterGroup[0].numBytes) || r.after.numBytes !== r.before.numBytes);
  if (gpuRuns.length > 0) {
    const oneOff = gpuRuns.filter((r) => flatFrom(pool(r)) === 1).map((r) => `+${bytes(pool(r)[1] - pool(r)[0])} after the first of ${r.groupShapes.length} groups at ${r.headsPerBatch} per group`);
    console.log(
      grew.length === 0 && tensorsVary.length === 0
        ? `GPU memory: flat across head groups at every group size (the same tensor bytes every group, nothing left after, the buffer pool flat from the second group${oneOff.length ? `; one-off: ${oneOff.join(', ')}` : ''})`
        : `GPU memory: NOT flat — ${[...grew.map((r) => `the pool grows up to group ${flatFrom(pool(r)) + 1} at ${r.headsPerBatch} per group`), ...tensorsVary.map((r) => `tensor bytes vary or are left over at ${r.headsPerBatch} per group`)].join('; ')}`,
    );
  }

  // ---------------------------------------------------------------- failures (never timings)
  const failures: string[] = [];
  if (!a.available) failures.push(`WebGPU not available: ${a.reason}`);
  if (values.hardware && a.software) failures.push('--hardware was asked for, but the WebGPU adapter is a software one (see the adapter line): these are not GPU numbers');
  for (const r of reports) {
    if (!(r.matmul.gflops > 0)) failures.push(`${backendName(r)}: matmul rate ${r.matmul.gflops}`);
    if (!Number.isFinite(r.measure.aac ?? NaN) || !Number.isFinite(r.measure.lr ?? NaN)) failures.push(`${backendName(r)}: AAC ${r.measure.aac}, LR ${r.measure.lr}`);
    for (const run of r.nlr) if (!run.heldOutR2.every(Number.isFinite)) failures.push(`${run.backend} NLR ${run.headsPerBatch}/group: a held-out R² is not finite`);
    // the same numbers as WASM: float32 training on another backend, one head or many per group (tests see ~1e-8)
    for (const run of r === result.wasm ? [] : r.nlr) {
      const ref = result.wasm.nlr[0];
      const k = Math.min(ref.heads, run.heads);
      const diff = maxAbsDiff(run.heldOutR2.slice(0, k), ref.heldOutR2.slice(0, k));
      if (!(diff <= NLR_TOLERANCE)) failures.push(`${run.backend} NLR ${run.headsPerBatch}/group: held-out R² differs from WASM by ${diff.toExponential(1)} (> ${NLR_TOLERANCE})`);
    }
  }
  return failures.map((f) => `${where}: ${f}`);
}

const failures = [...problems];
for (const place of places) {
  const heading = place.where === 'chromium' ? 'Chromium (Debian, headless) — WebGPU in the browser' : 'Node — WebGPU through Dawn (the webgpu package)';
  console.log(`\n### ${heading}\n`);
  if (place.result) failures.push(...report(place.result, place.where));
  else {
    console.log(`not run: ${place.error}`);
    failures.push(`${place.where}: ${place.error}`);
  }
}
if (failures.length > 0) {
  console.error(`\nbench:gpu failed:\n  ${failures.join('\n  ')}`);
  process.exitCode = 1;
}
