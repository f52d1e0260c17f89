import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { measureArray } from '../../../src/core/measure.ts';
import { regularisedInverse } from '../../../src/core/measures/heldOutRidge.ts';
import { RidgeAccumulator, planRidge } from '../../../src/core/measures/heldOutRidgeFloat32.ts';
import { RedundancyLabError } from '../../../src/core/errors.ts';
import { inMemoryArray } from '../../../src/core/io/inMemory.ts';
import { PAPER_SETTINGS, type MeasureSettings } from '../../../src/core/measures/types.ts';
import { sklearnTrainTestSplit } from '../../../src/core/numerics/split.ts';
import type { Matrix } from '../../../src/core/io/types.ts';
import { correlatedGaussian, makeMatrix } from '../helpers/synthetic.ts';
import { straightforwardAac, straightforwardHeldOutRidgeR2 } from '../helpers/straightforwardRidge.ts';
import { selectNodeBackend } from '../../../src/node/backend.ts';
import type { BackendName } from '../../../src/core/compute/backend.ts';

const LINEAR: MeasureSettings = { ...PAPER_SETTINGS, measures: ['aac', 'lr'] };

function rowsOf(m: Matrix, which: ArrayLike<number>, cols?: number[]): number[][] {
  return Array.from(which, (r) => Array.from(cols ?? Array.from({ length: m.cols }, (_, j) => j), (j) => m.data[r * m.cols + j]));
}

// AAC and LR run in float64 whatever the backend (the backend does NLR): agreement with the plain
// float64 refit loop is to rounding on both.
for (const [backend, tolerance] of [['cpu', 1e-9], ['wasm', 1e-9]] as [BackendName, number][]) describe(`LR on ${backend}: all dims from one inverse per α (RidgeCV LOO) equals a per-dimension refit loop`, () => {
  beforeAll(() => selectNodeBackend(backend));
  for (const [n, d, seed] of [
    [120, 6, 1],
    [90, 9, 2],
    [60, 12, 3], // D/N_train not small: α matters
    [400, 5, 4], // N_te = 100 > 8·D: held-out residuals from the held-out Gram
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

/** Σ_r x_r x_rᵀ over rows [from, to) of m: the Gram matrix the ridge plan takes. */
function gramOfRows(m: Matrix, from: number, to: number): Float64Array {
  const d = m.cols;
  const g = new Float64Array(d * d);
  for (let r = from; r < to; r++) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) g[i * d + j] += m.data[r * d + i] * m.data[r * d + j];
  return g;
}

describe('the previous float32 path (bench comparison): residual maps larger than one tensor', () => {
  beforeAll(() => selectNodeBackend('wasm'));
  it('are cut into row bands (WebGPU binding limit) with the same LOO and held-out sums', async () => {
    const d = 9;
    const m = correlatedGaussian(60, d, 11, 1.1);
    const plan = planRidge(gramOfRows(m, 0, 40), d, 40, LINEAR.ridgeAlphas);
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

describe('the previous float32 path: held-out residuals from the held-out Gram', () => {
  beforeAll(() => selectNodeBackend('wasm'));
  it('equal the pass over the held-out rows: (M·G_te·M)_ii / m_i² = Σ_r (Z_te·W)_ri²', async () => {
    const d = 9;
    const m = correlatedGaussian(70, d, 12, 1.3);
    const plan = planRidge(gramOfRows(m, 0, 40), d, 40, LINEAR.ridgeAlphas, undefined, gramOfRows(m, 40, 70));
    const acc = new RidgeAccumulator(plan);
    await acc.addTestRows(m.data.subarray(40 * d), 30);
    acc.dispose();
    expect(plan.heldOutSquaredError).toHaveLength(LINEAR.ridgeAlphas.length * d);
    for (let k = 0; k < plan.heldOutSquaredError!.length; k++) {
      expect(Math.abs(plan.heldOutSquaredError![k] - acc.heldOutSquaredError[k])).toBeLessThan(1e-4 * acc.heldOutSquaredError[k]);
    }
  });
});

describe('a Gram matrix made indefinite by float32 rounding (N_train < D)', () => {
  /** Q·diag(λ)·Qᵀ for one Householder reflection Q = I − 2vvᵀ/vᵀv: a symmetric matrix with spectrum λ. */
  function withSpectrum(lambda: number[]): Float64Array {
    const d = lambda.length;
    const v = Array.from({ length: d }, (_, i) => Math.sin(1 + 3 * i));
    const vv = v.reduce((s, x) => s + x * x, 0);
    const q = (i: number, j: number) => (i === j ? 1 : 0) - (2 * v[i] * v[j]) / vv;
    const g = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) g[i * d + j] += q(i, k) * lambda[k] * q(j, k);
    return g;
  }
  const d = 12;
  // rank 6 with 6 eigenvalues at −2e-5 of the mean diagonal (≈ −0.005): the rounding of a singular Gram
  const lambda = [900, 700, 500, 400, 300, 200, ...Array(6).fill(-0.005)];
  const meanDiag = lambda.reduce((s, x) => s + x, 0) / d;

  it('is inverted with the smallest shift that factors (×10 steps from 1e-6 of the diagonal, as for a float32 Gram)', () => {
    const alpha = 1e-3;
    const got = regularisedInverse(withSpectrum(lambda), d, alpha, undefined, 1e-6);
    // shifts tried: 0, 1e-6, 1e-5, 1e-4 of meanDiag (≈ 0.025 > 0.005 − 0.001): that one works
    const shift = 1e-4 * meanDiag;
    const want = regularisedInverse(withSpectrum(lambda.map((l) => l + alpha + shift)), d, 0);
    for (let i = 0; i < d * d; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-9 * Math.max(1, Math.abs(want[i])));
  });

  it('without a shift where none is needed, and a clear error where no small shift helps', () => {
    const pd = lambda.map((l) => Math.abs(l) + 1);
    const direct = regularisedInverse(withSpectrum(pd), d, 0.1);
    const shifted = withSpectrum(pd.map((l) => l + 0.1));
    // (G + 0.1 I)·inverse = I
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += shifted[i * d + k] * direct[k * d + j];
        expect(Math.abs(s - (i === j ? 1 : 0))).toBeLessThan(1e-9);
      }
    }
    expect(() => regularisedInverse(withSpectrum(lambda.map((l, i) => (i === 11 ? -0.5 * meanDiag : l))), d, 0.1)).toThrow(RedundancyLabError);
    expect(() => regularisedInverse(withSpectrum(lambda.map((l, i) => (i === 11 ? -0.5 * meanDiag : l))), d, 0.1)).toThrow(/not positive definite even with 1e-2 of its diagonal added/);
  });
});
