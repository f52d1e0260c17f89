/**
 * npm run bench:peers [-- --small]: this tool against what a researcher would run instead, in one run, same files.
 * - AAC + LR (the default job: null baseline and extras included) vs NumPy float64 doing the same exact all-dims
 *   RidgeCV closed form (bench/peers/numpy_lr.py): whole process (what `time` says) and in-process (compute only).
 *   The per-dim LR of both is compared (they must agree: the same protocol in float64).
 * - NLR per dim at the paper's settings (SGD lr 0.01, batch 512, MLP (D−1)→128→64→1) vs PyTorch CPU
 *   (bench/peers/torch_nlr.py) at the same thread count (1: ours runs one thread in Node).
 * Prints one table; asserts nothing about time. Needs Debian's python3-numpy and python3-torch (a row says so if not).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { heldOutMlpR2, PAPER_SETTINGS, type Matrix } from '../src/core/index.ts';
import { selectNodeBackend } from '../src/node/index.ts';
import { lowRankEmbeddings, npyBytes } from './synthetic.ts';

const { values } = parseArgs({ options: { small: { type: 'boolean', default: false } } });
const small = values.small;
const PYTHON = '/usr/bin/python3';
const lrSizes: [number, number][] = small ? [[2000, 64]] : [[10_000, 512], [10_000, 2048]];
const nlrSize: [number, number] = small ? [2000, 64] : [10_000, 512];
const nlrEpochs = small ? 5 : 100;
const nlrDims = small ? 1 : 2;
const dir = mkdtempSync(join(tmpdir(), 'rl-peers-'));
let disagreement: string | null = null;
const table: string[][] = [['what', 'size', 'ours', 'peer', 'ours / peer speed', 'agreement']];
const fmt = (s: number) => `${s.toFixed(2)} s`;

function run(cmd: string, args: string[]): { seconds: number; ok: boolean; stderr: string } {
  const t = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { seconds: (performance.now() - t) / 1000, ok: r.status === 0, stderr: r.stderr ?? '' };
}

const hasPython = (module: string) => spawnSync(PYTHON, ['-c', `import ${module}`]).status === 0;

function writeEmbeddings(n: number, d: number): string {
  const path = join(dir, `emb_${n}x${d}.npy`);
  writeFileSync(path, npyBytes(lowRankEmbeddings(n, d, { factors: 32, seed: 7, relu: true })));
  return path;
}

/** The rows of the authors' split (NumPy's RandomState(0) permutation: train rows after the first ⌈N/4⌉), standardised. */
function paperSplits(m: Matrix): { train: Matrix; test: Matrix } {
  const py = spawnSync(PYTHON, ['-c', `import numpy as np,sys; sys.stdout.write(','.join(map(str, np.random.RandomState(0).permutation(${m.rows}))))`], { encoding: 'utf8' });
  const perm = py.stdout.split(',').map(Number);
  const nTest = Math.ceil(0.25 * m.rows);
  const take = (rows: number[]): Matrix => {
    const d = m.cols;
    const data = new Float32Array(rows.length * d);
    rows.forEach((r, i) => data.set(m.data.subarray(r * d, (r + 1) * d), i * d));
    for (let j = 0; j < d; j++) {
      let mean = 0;
      for (let r = 0; r < rows.length; r++) mean += data[r * d + j];
      mean /= rows.length;
      let v = 0;
      for (let r = 0; r < rows.length; r++) v += (data[r * d + j] - mean) ** 2;
      const sd = Math.sqrt(v / rows.length) || 1;
      for (let r = 0; r < rows.length; r++) data[r * d + j] = (data[r * d + j] - mean) / sd;
    }
    return { rows: rows.length, cols: d, data };
  };
  return { train: take(perm.slice(nTest)), test: take(perm.slice(0, nTest)) };
}

try {
  if (!hasPython('numpy')) table.push(['AAC + LR', '—', '—', 'python3-numpy not installed', '—', '—']);
  else {
    for (const [n, d] of lrSizes) {
      const file = writeEmbeddings(n, d);
      const size = `${n.toLocaleString('en-US')}×${d}`;
      const oursOut = join(dir, 'ours.json');
      const ours = run('sh', ['-c', `${process.execPath} bin/redundancy-lab.mjs measure ${file} --measures aac,lr --json -q > ${oursOut}`]);
      const peerOut = join(dir, 'numpy.json');
      const peer = run(PYTHON, ['bench/peers/numpy_lr.py', file, peerOut]);
      if (!ours.ok || !peer.ok) {
        table.push(['AAC + LR', size, ours.ok ? fmt(ours.seconds) : `failed: ${ours.stderr.trim().split('\n').pop()}`, peer.ok ? fmt(peer.seconds) : `failed: ${peer.stderr.trim().split('\n').pop()}`, '—', '—']);
        continue;
      }
      const o = JSON.parse(readFileSync(oursOut, 'utf8'));
      const p = JSON.parse(readFileSync(peerOut, 'utf8'));
      const maxDiff = Math.max(...p.lrPerDim.map((v: number, j: number) => Math.abs(v - (o.lr.perDim[j] ?? Number.NaN))));
      if (!(maxDiff <= 1e-6)) disagreement = `${size}: per-dim LR differs from NumPy's by ${maxDiff}`;
      const agreement = `max |ΔLR| per dim ${maxDiff.toExponential(1)}, |ΔAAC| ${Math.abs(o.aac.value - p.aac).toExponential(1)}`;
      table.push(['AAC + LR, whole process (ours: null baseline + extras too)', size, fmt(ours.seconds), fmt(peer.seconds), `${(peer.seconds / ours.seconds).toFixed(2)}×`, agreement]);
      const oursCompute = o.timingsMs.total / 1000;
      const inner = Object.entries(o.timingsMs as Record<string, number>).filter(([k]) => k !== 'total').map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(', ');
      table.push([`AAC + LR, in-process (ours: ${inner} s)`, size, fmt(oursCompute), fmt(p.seconds.compute), `${(p.seconds.compute / oursCompute).toFixed(2)}×`, '']);
    }
  }
  const [n, d] = nlrSize;
  const size = `${n.toLocaleString('en-US')}×${d}, ${nlrEpochs} epochs`;
  if (!hasPython('torch')) table.push(['NLR per dim (paper settings)', size, '—', 'python3-torch not installed', '—', '—']);
  else {
    const file = writeEmbeddings(n, d);
    const peerOut = join(dir, 'torch.json');
    const peer = run(PYTHON, ['bench/peers/torch_nlr.py', file, '1', String(nlrDims), String(nlrEpochs), peerOut]);
    await selectNodeBackend('wasm');
    const { train, test } = paperSplits(lowRankEmbeddings(n, d, { factors: 32, seed: 7, relu: true }));
    const t = performance.now();
    const heads = await heldOutMlpR2(train, test, Array.from({ length: nlrDims }, (_, i) => i), { ...PAPER_SETTINGS.mlp, epochs: nlrEpochs });
    const oursPerDim = (performance.now() - t) / 1000 / nlrDims;
    if (!peer.ok) table.push(['NLR per dim, 1 thread', size, fmt(oursPerDim), `failed: ${peer.stderr.trim().split('\n').pop()}`, '—', '—']);
    else {
      const p = JSON.parse(readFileSync(peerOut, 'utf8'));
      const r2 = `R² ours ${Array.from(heads.heldOutR2, (v) => v.toFixed(3)).join(', ')}; torch ${p.r2.map((v: number) => v.toFixed(3)).join(', ')} (other inits)`;
      table.push(['NLR per dim, in-process, 1 thread (ours WASM; torch CPU)', size, fmt(oursPerDim), fmt(p.secondsPerDim), `${(p.secondsPerDim / oursPerDim).toFixed(2)}×`, r2]);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
console.log([line(table[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...table.slice(1).map(line)].join('\n'));
console.log('ours / peer speed: > 1 means ours is faster. One run each, this machine (nproc and load as they are).');
if (disagreement) console.error(`bench:peers: ${disagreement} (the same protocol in float64 must agree to 1e-6)`);
process.exit(disagreement ? 1 : 0);
