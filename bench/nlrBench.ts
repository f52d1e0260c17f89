/**
 * NLR: batched heads against one MLP per dim, on the current backend, same code path
 * (heldOutMlpR2 with headsPerBatch = all vs 1), plus the default choice (fixed per backend: 1 on WASM and CPU, the memory bound on GPUs).
 * Paper architecture (D−1 → 128 → 64 → 1, SGD, batch 512); only `epochs` is shortened.
 */
import * as tf from '@tensorflow/tfjs-core';
import { heldOutMlpR2, matmulRate, maxHeadsPerBatch, PAPER_SETTINGS, type Matrix, type MlpSettings, type NlrHeadsResult } from '../src/core/index.ts';
import type { BenchRow } from './benchRow.ts';
import { lowRankEmbeddings } from './synthetic.ts';

/** Low-rank + noise embeddings (16 latent factors), the first 75% of rows for training; each split standardised. */
function syntheticSplits(n: number, d: number): { train: Matrix; test: Matrix } {
  // ReLU'd factors: some links are non-linear
  const all = lowRankEmbeddings(n, d, { factors: 16, seed: 2024, relu: true }).data;
  const nTrain = Math.round(0.75 * n);
  const standardised = (from: number, to: number): Matrix => {
    const rows = to - from;
    const data = all.slice(from * d, to * d);
    for (let j = 0; j < d; j++) {
      let mean = 0;
      for (let r = 0; r < rows; r++) mean += data[r * d + j];
      mean /= rows;
      let v = 0;
      for (let r = 0; r < rows; r++) v += (data[r * d + j] - mean) ** 2;
      const sd = Math.sqrt(v / rows) || 1;
      for (let r = 0; r < rows; r++) data[r * d + j] = (data[r * d + j] - mean) / sd;
    }
    return { rows, cols: d, data };
  };
  return { train: standardised(0, nTrain), test: standardised(nTrain, n) };
}

async function timedRun(run: () => Promise<NlrHeadsResult>): Promise<{ ms: number; result: NlrHeadsResult; peakMemMb: number | null }> {
  const memory = (globalThis as { process?: { memoryUsage?: () => { rss: number } } }).process?.memoryUsage;
  let peak = memory ? memory().rss : 0;
  const sampler = memory ? setInterval(() => (peak = Math.max(peak, memory().rss)), 20) : null;
  const start = performance.now();
  try {
    const result = await run();
    return { ms: performance.now() - start, result, peakMemMb: memory ? Math.max(peak, memory().rss) / 2 ** 20 : null };
  } finally {
    if (sampler) clearInterval(sampler);
  }
}

/**
 * Rows: batched heads (all `heads` at once, or as many as fit), automatic heads per batch, and one MLP
 * per dim; time per head, speed-up, GFLOP/s and its share of the backend's plain matmul rate.
 */
export async function benchNlr(opts: { n: number; d: number; heads: number; epochs: number }): Promise<BenchRow[]> {
  const { n, d, epochs } = opts;
  const heads = Math.min(opts.heads, d);
  const settings: MlpSettings = { ...PAPER_SETTINGS.mlp, epochs };
  const { train, test } = syntheticSplits(n, d);
  const targets = Array.from({ length: heads }, (_, i) => Math.floor((i * d) / heads));
  const backend = tf.getBackend();
  const size = `${n.toLocaleString('en-US')}×${d}, ${heads} heads, ${epochs} epoch${epochs === 1 ? '' : 's'}`;
  const rate = await matmulRate(512);
  const batchedHeads = Math.min(heads, maxHeadsPerBatch(d, settings, heads, train.rows));

  const batched = await timedRun(() => heldOutMlpR2(train, test, targets, settings, { headsPerBatch: batchedHeads }));
  const auto = await timedRun(() => heldOutMlpR2(train, test, targets, settings));
  const single = await timedRun(() => heldOutMlpR2(train, test, targets, settings, { headsPerBatch: 1 }));

  const msPerHead = (ms: number) => ms / heads;
  const gflops = (r: { ms: number; result: NlrHeadsResult }) => r.result.gflop / (r.ms / 1000);
  const share = (r: { ms: number; result: NlrHeadsResult }) => `${((100 * gflops(r)) / rate).toFixed(0)}% of matmul ${rate.toFixed(1)} GFLOP/s`;
  const perHead = (r: { ms: number }) => `${msPerHead(r.ms).toFixed(0)} ms/head (${((1000 * heads) / r.ms).toFixed(2)} heads/s)`;
  const maxDiff = Math.max(...Array.from(batched.result.heldOutR2, (r2, k) => Math.abs(r2 - single.result.heldOutR2[k])));
  return [
    {
      operation: `NLR, batched heads (${batchedHeads} per batch)`,
      size,
      backend,
      ms: batched.ms,
      gflops: gflops(batched),
      ratio: `${perHead(batched)}; ${share(batched)}`,
      peakMemMb: batched.peakMemMb,
    },
    {
      operation: `NLR, heads per batch by backend (default: ${auto.result.headsPerBatch})`,
      size,
      backend,
      ms: auto.ms,
      gflops: gflops(auto),
      ratio: `${perHead(auto)}; ${share(auto)}`,
      peakMemMb: auto.peakMemMb,
    },
    {
      operation: 'NLR, one MLP per dim (1 head per batch)',
      size,
      backend,
      ms: single.ms,
      gflops: gflops(single),
      ratio: `${perHead(single)}; batched speed-up ${(single.ms / batched.ms).toFixed(2)}×; max |ΔR²| vs batched ${maxDiff.toExponential(1)}`,
      peakMemMb: single.peakMemMb,
    },
  ];
}
