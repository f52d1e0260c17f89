/**
 * NLR against analytic truth (population values), with a better-trained preset (Adam) so that the
 * MLP gets close to the best predictor:
 * - z3 = z1·z2 (z1, z2 independent standard normal): E[z3 | z1, z2] = z3, so NLR → 1, while every
 *   linear predictor of z3 from z1, z2 is useless (corr(z3, z1) = corr(z3, z2) = 0): LR ≈ 0.
 * - y = 0.8·x1 + 0.6·e: R² = 0.64 for any predictor family that contains the linear one.
 * - independent normals: R² = 0 (finite samples and fitting noise push it slightly below 0).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { selectNodeBackend } from '../../../src/node/backend.ts';
import type { Matrix } from '../../../src/core/io/types.ts';
import { heldOutMlpR2 } from '../../../src/core/measures/nlr.ts';
import type { MlpSettings } from '../../../src/core/measures/types.ts';
import { makeMatrix } from '../helpers/synthetic.ts';

function standardise(m: Matrix): Matrix {
  const out = new Float32Array(m.data.length);
  for (let j = 0; j < m.cols; j++) {
    let mean = 0;
    for (let r = 0; r < m.rows; r++) mean += m.data[r * m.cols + j];
    mean /= m.rows;
    let v = 0;
    for (let r = 0; r < m.rows; r++) v += (m.data[r * m.cols + j] - mean) ** 2;
    const sd = Math.sqrt(v / m.rows);
    for (let r = 0; r < m.rows; r++) out[r * m.cols + j] = (m.data[r * m.cols + j] - mean) / sd;
  }
  return { rows: m.rows, cols: m.cols, data: out };
}

/** 75/25 split of N rows (already in random order), each split standardised on its own. */
function split(rows: number, cols: number, seed: number, fill: (z: number[], normal: () => number) => number[]) {
  const nTrain = Math.round(0.75 * rows);
  return {
    train: standardise(makeMatrix(nTrain, cols, seed, fill)),
    test: standardise(makeMatrix(rows - nTrain, cols, seed + 7, fill)),
  };
}

/** Held-out R² of ordinary least squares (with intercept) of column t on the other columns, float64. */
function linearHeldOutR2(train: Matrix, test: Matrix, t: number): number {
  const cols = [...Array(train.cols).keys()].filter((j) => j !== t);
  const p = cols.length + 1;
  const features = (m: Matrix, r: number) => [1, ...cols.map((j) => m.data[r * m.cols + j])];
  const a = Array.from({ length: p }, () => new Array<number>(p + 1).fill(0));
  for (let r = 0; r < train.rows; r++) {
    const f = features(train, r);
    const y = train.data[r * train.cols + t];
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) a[i][j] += f[i] * f[j];
      a[i][p] += f[i] * y;
    }
  }
  for (let i = 0; i < p; i++) {
    // Gauss–Jordan (the normal matrix is SPD, no pivoting needed)
    const pivot = a[i][i];
    for (let j = i; j <= p; j++) a[i][j] /= pivot;
    for (let k = 0; k < p; k++) {
      if (k === i) continue;
      const factor = a[k][i];
      for (let j = i; j <= p; j++) a[k][j] -= factor * a[i][j];
    }
  }
  const beta = a.map((row) => row[p]);
  let ssRes = 0;
  let ssTot = 0;
  for (let r = 0; r < test.rows; r++) {
    const f = features(test, r);
    const y = test.data[r * test.cols + t];
    ssRes += (f.reduce((s, fi, i) => s + fi * beta[i], 0) - y) ** 2;
    ssTot += y * y; // the test split is standardised: mean 0
  }
  return 1 - ssRes / ssTot;
}

const WELL_TRAINED: MlpSettings = { hidden: [32, 16], epochs: 25, learningRate: 0.003, batchSize: 64, optimizer: 'adam', seed: 0 };

beforeAll(async () => {
  await selectNodeBackend('wasm');
});

describe('NLR on data with a known answer (Adam, N = 3000)', () => {
  it('z3 = z1·z2: the MLP finds it (R² > 0.3), a linear fit cannot (≈ 0)', async () => {
    const { train, test } = split(3000, 5, 21, (z) => [z[0], z[1], z[0] * z[1], z[3], z[4]]);
    const linear = linearHeldOutR2(train, test, 2);
    expect(Math.abs(linear)).toBeLessThan(0.05); // seen: 0.011
    const { heldOutR2 } = await heldOutMlpR2(train, test, [2], WELL_TRAINED);
    expect(heldOutR2[0]).toBeGreaterThan(0.3);
    expect(heldOutR2[0] - linear).toBeGreaterThan(0.3);
  });

  it('y = 0.8·x1 + 0.6·e (jointly Gaussian): R² ≈ 0.64 ± 0.05', async () => {
    const { train, test } = split(3000, 4, 22, (z) => [z[0], 0.8 * z[0] + 0.6 * z[1], z[2], z[3]]);
    const { heldOutR2 } = await heldOutMlpR2(train, test, [1], WELL_TRAINED);
    expect(Math.abs(heldOutR2[0] - 0.64)).toBeLessThan(0.05);
  });

  it('independent normals: R² ≈ 0 for every dim (≤ 0.05)', async () => {
    const { train, test } = split(3000, 4, 23, (z) => z);
    const { heldOutR2 } = await heldOutMlpR2(train, test, [0, 1, 2, 3], WELL_TRAINED);
    for (const r of heldOutR2) {
      expect(r).toBeLessThan(0.05);
      expect(r).toBeGreaterThan(-0.1);
    }
  });
});
