/**
 * The centred scatter matrices of both splits against a float64 loop over the rows. Sizes cross the
 * kernel's edges: more train rows than one product takes (2048), and D = 300 = 128 + 128 + 44 columns,
 * so the skipped upper blocks must come back by mirroring, including a partial last block.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { inMemoryArray } from '../../../src/core/io/inMemory.ts';
import { sklearnTrainTestSplit } from '../../../src/core/numerics/split.ts';
import { assignRows, splitMeans, splitScatter } from '../../../src/core/measures/splitScatter.ts';
import { correlatedGaussian } from '../helpers/synthetic.ts';
import { useTestBackend } from '../helpers/backend.ts';

beforeAll(useTestBackend);

function straightforwardScatter(data: Float32Array, d: number, rows: ArrayLike<number> & Iterable<number>): Float64Array {
  const mean = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += data[r * d + j];
  for (let j = 0; j < d; j++) mean[j] /= rows.length;
  const s = new Float64Array(d * d);
  const x = new Float64Array(d);
  for (const r of rows) {
    for (let j = 0; j < d; j++) x[j] = data[r * d + j] - mean[j];
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) s[i * d + j] += x[i] * x[j];
  }
  return s;
}

describe('splitScatter', () => {
  for (const [n, d, rowsPerBlock] of [
    [3400, 300, 1000], // train rows per block < 2048; several file blocks
    [3400, 300, 4000], // one file block, 2550 train rows: two products
    [200, 7, 64], // narrower than one column block
  ] as const) {
    it(`N = ${n}, D = ${d}, ${rowsPerBlock}-row blocks: both splits equal a float64 loop (rel. 1e-5)`, async () => {
      const m = correlatedGaussian(n, d, 5 + d, 0.8);
      const split = sklearnTrainTestSplit(n, 0.25, 42);
      const rows = assignRows(split, n);
      const handle = inMemoryArray(m);
      const tensorsBefore = tf.memory().numTensors;
      const moments = await splitMeans(handle, rows, 'scatter.npy', rowsPerBlock, () => {});
      const got = await splitScatter(handle, rows, moments, rowsPerBlock, () => {});
      expect(tf.memory().numTensors).toBe(tensorsBefore);
      for (const [name, which] of [
        ['train', split.train],
        ['test', split.test],
      ] as const) {
        const want = straightforwardScatter(m.data, d, which);
        let scale = 0;
        let worst = 0;
        for (let i = 0; i < d; i++) scale = Math.max(scale, want[i * d + i]);
        for (let k = 0; k < d * d; k++) worst = Math.max(worst, Math.abs(got[name][k] - want[k]));
        expect(worst / scale, name).toBeLessThan(1e-5);
        for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) expect(got[name][i * d + j]).toBe(got[name][j * d + i]);
      }
    });
  }
});
