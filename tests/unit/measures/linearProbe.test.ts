import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROBE_RUN, probeArray } from '../../../src/core/probe.ts';
import { inMemoryArray } from '../../../src/core/io/inMemory.ts';
import { openEmbeddingFile } from '../../../src/core/io/open.ts';
import { bytesByteSource } from '../../../src/core/io/byteRange.ts';
import { readLabels } from '../../../src/core/io/labels.ts';
import { sklearnTrainTestSplit } from '../../../src/core/numerics/split.ts';
import { seededNormal } from '../helpers/synthetic.ts';
import { useTestBackend } from '../helpers/backend.ts';

beforeAll(useTestBackend);

function clusters(n: number, d: number, k: number, separation: number, seed: number) {
  const normal = seededNormal(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => separation * normal()));
  const labels = Int32Array.from({ length: n }, (_, i) => i % k);
  const data = new Float32Array(n * d);
  labels.forEach((c, r) => centres[c].forEach((m, j) => (data[r * d + j] = m + normal())));
  return { matrix: { rows: n, cols: d, data }, labels };
}

/** Independent plain float64 softmax regression: full-batch gradient descent, no tfjs. */
function plainSoftmaxAccuracy(xtr: number[][], ytr: number[], xte: number[][], yte: number[], k: number, lambda: number, steps: number, lr: number): number {
  const d = xtr[0].length;
  const w = Array.from({ length: d }, () => new Float64Array(k));
  const b = new Float64Array(k);
  const logits = (x: number[]) => {
    const z = Array.from({ length: k }, (_, c) => b[c] + x.reduce((s, v, j) => s + v * w[j][c], 0));
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const t = e.reduce((a, c) => a + c, 0);
    return e.map((v) => v / t);
  };
  for (let s = 0; s < steps; s++) {
    const gw = Array.from({ length: d }, (_, j) => Float64Array.from(w[j], (v) => lambda * v));
    const gb = new Float64Array(k);
    xtr.forEach((x, r) => {
      const p = logits(x);
      p[ytr[r]] -= 1;
      for (let c = 0; c < k; c++) {
        gb[c] += p[c] / xtr.length;
        for (let j = 0; j < d; j++) gw[j][c] += (x[j] * p[c]) / xtr.length;
      }
    });
    for (let j = 0; j < d; j++) for (let c = 0; c < k; c++) w[j][c] -= lr * gw[j][c];
    for (let c = 0; c < k; c++) b[c] -= lr * gb[c];
  }
  let correct = 0;
  xte.forEach((x, r) => {
    const p = logits(x);
    if (p.indexOf(Math.max(...p)) === yte[r]) correct++;
  });
  return correct / xte.length;
}

describe('linear probe (softmax regression) against ground truth', () => {
  it('separable classes reach ~100%', async () => {
    const { matrix, labels } = clusters(800, 16, 4, 4, 1);
    const r = await probeArray(inMemoryArray(matrix), labels, 'separable.npy');
    expect(r.accuracy).toBeGreaterThan(0.98);
    expect(r.classes).toBe(4);
  });

  it('streams the rows in blocks (never reads the whole array) and honours the row cap', async () => {
    const { matrix, labels } = clusters(800, 16, 4, 4, 1);
    const whole = inMemoryArray(matrix);
    let blocksAsked = 0;
    const streamingOnly = {
      ...whole,
      name: whole.name,
      shape: whole.shape,
      dtype: whole.dtype,
      rows: whole.rows,
      cols: whole.cols,
      read: () => Promise.reject(new Error('read() would load every row at once')),
      blocks: (rowsPerBlock: number) => {
        blocksAsked++;
        return whole.blocks(Math.min(rowsPerBlock, 64));
      },
    };
    const streamed = await probeArray(streamingOnly, labels, 'separable.npy');
    const inMemory = await probeArray(whole, labels, 'separable.npy');
    expect(blocksAsked).toBeGreaterThan(0);
    expect(streamed.accuracy).toBe(inMemory.accuracy);
    const capped = await probeArray(whole, labels, 'separable.npy', { ...DEFAULT_PROBE_RUN, rowCap: 400 });
    expect(capped.nTrain + capped.nTest).toBe(400);
  });

  it('random labels give chance accuracy (~1/K)', async () => {
    const { matrix } = clusters(1000, 16, 5, 0, 2);
    const normal = seededNormal(3);
    const labels = Int32Array.from({ length: 1000 }, () => Math.floor(5 * Math.abs(normal() * 1e6 % 1)));
    const r = await probeArray(inMemoryArray(matrix), labels, 'random.npy');
    expect(r.accuracy).toBeGreaterThan(0.1);
    expect(r.accuracy).toBeLessThan(0.32);
  });

  it('agrees within 2 points with a plain float64 softmax regression on real MobileNetV2 features', async () => {
    const file = (name: string) => bytesByteSource(new Uint8Array(readFileSync(new URL(`../../fixtures/real/${name}`, import.meta.url))), name);
    const emb = (await openEmbeddingFile(file('mnist1200_mobilenetv2_dense256_f16.npy'))).arrays[0];
    const labels = await readLabels((await openEmbeddingFile(file('mnist1200_labels.npy'))).arrays[0], 'mnist1200_labels.npy', emb.rows, 'emb');
    const ours = await probeArray(emb, labels, 'mnist1200_mobilenetv2_dense256_f16.npy');
    // reference: same split, train-split standardisation, λ as ours chose, plain gradient descent
    const { data } = await emb.read();
    const d = emb.cols;
    const split = sklearnTrainTestSplit(emb.rows, 0.25, 42);
    const mean = Array.from({ length: d }, (_, j) => Array.from(split.train).reduce((s, r) => s + data[r * d + j], 0) / split.train.length);
    const std = mean.map((m, j) => Math.sqrt(Array.from(split.train).reduce((s, r) => s + (data[r * d + j] - m) ** 2, 0) / split.train.length));
    const live = std.map((s, j) => (s > 1e-6 * Math.max(...std) ? j : -1)).filter((j) => j >= 0);
    const rows = (idx: Uint32Array) => Array.from(idx, (r) => live.map((j) => (data[r * d + j] - mean[j]) / std[j]));
    const ref = plainSoftmaxAccuracy(rows(split.train), Array.from(split.train, (r) => labels[r]), rows(split.test), Array.from(split.test, (r) => labels[r]), 10, ours.lambda, 300, 0.5);
    expect(ours.accuracy).toBeGreaterThan(0.5); // MNIST digits are far from chance through MobileNetV2
    expect(Math.abs(ours.accuracy - ref)).toBeLessThan(0.02);
  });

  it('labels with the wrong length or non-integers are refused with a specific message', async () => {
    const good = inMemoryArray({ rows: 5, cols: 1, data: new Float32Array([0, 1, 2, 1, 0]) }, 'y', 'int64');
    await expect(readLabels(good, 'labels.npy', 6, 'features.npy')).rejects.toThrow(/^labels.npy: 5 labels \(array 'y'\), but features.npy has 6 rows/);
    const frac = inMemoryArray({ rows: 3, cols: 1, data: new Float32Array([0, 1.5, 2]) }, 'y', 'float32');
    await expect(readLabels(frac, 'labels.npy', 3, 'features.npy')).rejects.toThrow(/1.5 at row 1/);
  });
});
