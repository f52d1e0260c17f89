/**
 * The exact ridge on a subset of targets (the null baseline's: leverage from the triangular factor, Q on the
 * targets' columns only) gives each target the numbers of the full all-dims ridge — the straightforward path,
 * itself checked against scikit-learn in lrExact tests — to rounding, with the held-out SSE from the held-out Gram
 * (N_te ≥ D) and from the held-out rows (N_te < D), at low and high D/N. And the factor: Y Yᵀ = (G + αI)⁻¹.
 */
import { describe, expect, it } from 'vitest';
import { ExactRidge } from '../../../src/core/measures/heldOutRidge.ts';
import { spdInverse, spdInverseFactor } from '../../../src/core/numerics/linalg.ts';
import { mulberry32 } from '../../../src/core/measures/mlpRandom.ts';

const ALPHAS = [1e-3, 1e-2, 1e-1, 1, 10];

/** rows × d, standardised per column (population std), with some shared structure so α choices differ */
function standardised(rows: number, d: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const factors = 4;
  const load = Array.from({ length: factors * d }, gauss);
  const z = new Float64Array(rows * d);
  for (let r = 0; r < rows; r++) {
    const f = Array.from({ length: factors }, gauss);
    for (let j = 0; j < d; j++) {
      // a third of the dims pure noise (large α), the rest factors plus noise of growing size (smaller α)
      let v = gauss() * (0.2 + (2 * (j % 7)) / 7);
      if (j % 3 !== 0) for (let a = 0; a < factors; a++) v += f[a] * load[a * d + j];
      z[r * d + j] = v;
    }
  }
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let r = 0; r < rows; r++) m += z[r * d + j] / rows;
    let v = 0;
    for (let r = 0; r < rows; r++) v += (z[r * d + j] - m) ** 2 / rows;
    for (let r = 0; r < rows; r++) z[r * d + j] = (z[r * d + j] - m) / Math.sqrt(v);
  }
  return z;
}

function gram(z: Float64Array, rows: number, d: number): Float64Array {
  const g = new Float64Array(d * d);
  for (let r = 0; r < rows; r++) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) g[i * d + j] += z[r * d + i] * z[r * d + j];
  return g;
}

function run(train: Float64Array, test: Float64Array, nTrain: number, nTest: number, d: number, useTestGram: boolean, targets?: number[]) {
  const ridge = new ExactRidge(gram(train, nTrain, d), d, nTrain, nTest, ALPHAS, useTestGram ? gram(test, nTest, d) : null, 0, targets);
  for (const group of ridge.groups()) {
    ridge.prepareGroup(group);
    // in uneven blocks, as the streaming reader hands them over
    for (let r0 = 0; r0 < nTrain; r0 += 700) ridge.addTrainRows(train.subarray(r0 * d), Math.min(700, nTrain - r0));
    if (ridge.needsTestRows()) ridge.addTestRows(test, nTest);
    ridge.finishGroup();
  }
  return { ...ridge.outcome(), loo: ridge.rowSums().loo };
}

describe('ExactRidge on a subset of targets', () => {
  const cases = [
    { name: 'D/N_train 0.06, held-out Gram', nTrain: 1500, nTest: 500, d: 90, testGram: true },
    { name: 'D/N_train 0.6, held-out rows', nTrain: 200, nTest: 70, d: 120, testGram: false },
    { name: 'D/N_train 0.9 (near-singular Gram), held-out rows', nTrain: 150, nTest: 50, d: 135, testGram: false },
  ];
  for (const c of cases) {
    it(`each target equals the full ridge: ${c.name}`, () => {
      const train = standardised(c.nTrain, c.d, 1);
      const test = standardised(c.nTest, c.d, 2);
      const full = run(train, test, c.nTrain, c.nTest, c.d, c.testGram);
      const targets = [0, 1, 3, 5, 7, 13, 64, c.d - 2, c.d - 1];
      const subset = run(train, test, c.nTrain, c.nTest, c.d, c.testGram, targets);
      expect(subset.r2).toHaveLength(targets.length);
      targets.forEach((dim, s) => {
        expect(subset.alpha[s]).toBe(full.alpha[dim]);
        expect(Math.abs(subset.r2[s] - full.r2[dim])).toBeLessThan(1e-9 * Math.max(1, Math.abs(full.r2[dim])));
      });
      // every α's leave-one-out error, not only the chosen one's (a wrong leverage could still pick the same α)
      ALPHAS.forEach((_, k) =>
        targets.forEach((dim, s) => expect(Math.abs(subset.loo[k * targets.length + s] - full.loo[k * c.d + dim])).toBeLessThan(1e-9 * full.loo[k * c.d + dim])),
      );
      if (c.testGram) expect(new Set(targets.map((dim) => full.alpha[dim])).size).toBeGreaterThanOrEqual(2);
    });
  }

  it('the factor: Y upper triangular with Y Yᵀ = A⁻¹', () => {
    const d = 150;
    const z = standardised(400, d, 3);
    const a = gram(z, 400, d);
    for (let i = 0; i < d; i++) a[i * d + i] += 0.1;
    const { inverse } = spdInverse(a, d);
    const { factor } = spdInverseFactor(a, d);
    let worst = 0;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        if (j < i) expect(factor[i * d + j]).toBe(0);
        let sum = 0;
        for (let k = Math.max(i, j); k < d; k++) sum += factor[i * d + k] * factor[j * d + k];
        worst = Math.max(worst, Math.abs(sum - inverse[i * d + j]) / Math.abs(inverse[i * d + i]));
      }
    }
    expect(worst).toBeLessThan(1e-12);
  });
});
