import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { measureArray } from '../../../src/core/measure.ts';
import { RidgeAccumulator, planRidge } from '../../../src/core/measures/heldOutRidge.ts';
import { inMemoryArray } from '../../../src/core/io/inMemory.ts';
import { PAPER_SETTINGS, type MeasureSettings } from '../../../src/core/measures/types.ts';
import { sklearnTrainTestSplit } from '../../../src/core/measures/split.ts';
import type { Matrix } from '../../../src/core/io/types.ts';
import { correlatedGaussian, makeMatrix } from '../helpers/synthetic.ts';
import { straightforwardAac, straightforwardHeldOutRidgeR2 } from '../helpers/straightforwardRidge.ts';
import { selectNodeBackend } from '../../../src/core/compute/node.ts';
import type { BackendName } from '../../../src/core/compute/backend.ts';

const LINEAR: MeasureSettings = { ...PAPER_SETTINGS, measures: ['aac', 'lr'] };

function rowsOf(m: Matrix, which: ArrayLike<number>, cols?: number[]): number[][] {
  return Array.from(which, (r) => Array.from(cols ?? Array.from({ length: m.cols }, (_, j) => j), (j) => m.data[r * m.cols + j]));
}

// The algorithm is exact; what limits agreement is the backend's float32 matmul. tfjs's CPU kernel
// accumulates like a plain loop (1e-6 holds); WASM's XNNPACK kernel is ~1e-6 relative per Gram entry,
// which moves held-out R² by up to ~2e-5 on these tiny, strongly correlated cases.
for (const [backend, tolerance] of [['cpu', 1e-6], ['wasm', 5e-5]] as [BackendName, number][]) describe(`LR on ${backend}: all dims from one inverse per α (RidgeCV LOO) equals a per-dimension refit loop`, () => {
  beforeAll(() => selectNodeBackend(backend));
  for (const [n, d, seed] of [
    [120, 6, 1],
    [90, 9, 2],
    [60, 12, 3], // D/N_train not small: α matters
  ] as const) {
    it(`N=${n}, D=${d}`, async () => {
      const m = correlatedGaussian(n, d, seed, 1.2);
      const result = await measureArray(inMemoryArray(m), 'synthetic.npy', LINEAR);
      const split = sklearnTrainTestSplit(n, 0.25, LINEAR.splitSeed);
      const ref = straightforwardHeldOutRidgeR2(rowsOf(m, split.train), rowsOf(m, split.test), LINEAR.ridgeAlphas);
      expect(result.lr!.perDim).toHaveLength(d);
      for (let i = 0; i < d; i++) {
        expect(result.lr!.alphaPerDim[i]).toBe(ref.alpha[i]);
        expect(Math.abs(result.lr!.perDim[i]! - ref.r2[i])).toBeLessThan(tolerance);
      }
      expect(Math.abs(result.aac!.value - straightforwardAac(rowsOf(m, Array.from({ length: n }, (_, i) => i))))).toBeLessThan(tolerance);
    });
  }

  it('excludes a dead dim everywhere and a split-degenerate dim from LR only, reporting both by original index', async () => {
    const n = 80;
    const split = sklearnTrainTestSplit(n, 0.25, LINEAR.splitSeed);
    const firstTest = split.test[0];
    // dim 2 dead (constant); dim 4 non-zero on one held-out row only (ReLU unit that fires once)
    const m = makeMatrix(n, 6, 5, (z) => z.map((v, j) => (j === 2 ? 3 : j === 4 ? 0 : v)));
    m.data[firstTest * 6 + 4] = 1.5;
    const result = await measureArray(inMemoryArray(m), 'dead.npy', LINEAR);
    expect(result.deadDims).toEqual([2]);
    expect(result.splitDegenerateDims).toEqual([4]);
    expect(result.lr!.perDim[2]).toBeNull();
    expect(result.lr!.perDim[4]).toBeNull();
    expect(result.aac!.meanAbsCorrPerDim[2]).toBeNull();
    expect(result.aac!.meanAbsCorrPerDim[4]).not.toBeNull();
    const usable = [0, 1, 3, 5];
    const ref = straightforwardHeldOutRidgeR2(rowsOf(m, split.train, usable), rowsOf(m, split.test, usable), LINEAR.ridgeAlphas);
    usable.forEach((dim, i) => expect(Math.abs(result.lr!.perDim[dim]! - ref.r2[i])).toBeLessThan(tolerance));
    expect(JSON.stringify(result)).not.toContain('NaN');
  });

  it('leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    await measureArray(inMemoryArray(correlatedGaussian(100, 5, 9)), 'x.npy', LINEAR);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('residual maps larger than one tensor', () => {
  beforeAll(() => selectNodeBackend('wasm'));
  it('are cut into row bands (WebGPU binding limit) with the same LOO and held-out sums', async () => {
    const d = 9;
    const m = correlatedGaussian(60, d, 11, 1.1);
    const gram = new Float64Array(d * d);
    for (let r = 0; r < 40; r++) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) gram[i * d + j] += m.data[r * d + i] * m.data[r * d + j];
    const plan = planRidge(gram, d, 40, LINEAR.ridgeAlphas);
    const K = LINEAR.ridgeAlphas.length;
    const before = tf.memory().numTensors;
    const sums = async (maxTensorBytes?: number) => {
      const acc = new RidgeAccumulator(plan, maxTensorBytes);
      await acc.addTrainRows(m.data.subarray(0, 40 * d), 40);
      await acc.addTestRows(m.data.subarray(40 * d), 20);
      acc.dispose();
      return [acc.looSquaredError, acc.heldOutSquaredError];
    };
    const whole = await sums();
    // bands of 2 rows (5 bands, as d = 9 is odd the last has 1) and of 4 rows
    for (const bandRows of [2, 4]) {
      const banded = await sums(4 * K * d * bandRows);
      for (let w = 0; w < 2; w++) {
        for (let k = 0; k < K * d; k++) expect(Math.abs(banded[w][k] - whole[w][k])).toBeLessThan(1e-4 * Math.max(1, whole[w][k]));
      }
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
