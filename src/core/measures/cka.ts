/**
 * Linear CKA between representations of the same rows (Kornblith et al. 2019, "Similarity of Neural Network
 * Representations Revisited") and its debiased estimator (the unbiased HSIC of Song et al. 2012, as Kornblith's
 * `feature_space_linear_cka(..., debiased=True)` computes it). Both in feature space — XᵀX, YᵀY, XᵀY of the centred
 * data, in float64 on the float64 kernel — so N can be large: no N × N Gram is formed.
 */
import type { Matrix } from '../io/types.ts';
import { gemmNT } from '../numerics/linalgKernels.ts';
import { RedundancyLabError } from '../errors.ts';

/** One representation, centred, in float64 and transposed (cols × rows), with what both estimators need. */
interface Centred {
  readonly t: Float64Array;
  readonly rows: number;
  readonly cols: number;
  /** ‖x_r‖² per row (centred) */
  readonly rowSquares: Float64Array;
  /** ‖X‖²_F (centred) */
  readonly squaredNorm: number;
}

function centre(x: Matrix): Centred {
  const { rows, cols, data } = x;
  const t = new Float64Array(rows * cols);
  for (let c = 0; c < cols; c++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += data[r * cols + c];
    const mean = s / rows;
    for (let r = 0; r < rows; r++) t[c * rows + r] = data[r * cols + c] - mean;
  }
  const rowSquares = new Float64Array(rows);
  for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) rowSquares[r] += t[c * rows + r] ** 2;
  let squaredNorm = 0;
  for (const v of rowSquares) squaredNorm += v;
  return { t, rows, cols, rowSquares, squaredNorm };
}

/** ‖AᵀB‖²_F of centred A, B. */
function crossSquared(a: Centred, b: Centred): number {
  const product = new Float64Array(a.cols * b.cols);
  gemmNT(a.cols, b.cols, a.rows, a.t, 0, a.rows, b.t, 0, b.rows, product, 0, b.cols, 1);
  let s = 0;
  for (const v of product) s += v * v;
  return s;
}

/** Unbiased HSIC × (n(n−3)), from the feature-space pieces (Kornblith's _debiased_dot_product_similarity_helper). */
function debiasedDot(xty: number, a: Centred, b: Centred): number {
  const n = a.rows;
  let rowDot = 0;
  for (let r = 0; r < n; r++) rowDot += a.rowSquares[r] * b.rowSquares[r];
  return xty - (n / (n - 2)) * rowDot + (a.squaredNorm * b.squaredNorm) / ((n - 1) * (n - 2));
}

export interface CkaMatrices {
  /** linear CKA, [i][j] between representation i and j (1 on the diagonal) */
  linearCka: number[][];
  /** the debiased estimator (can be slightly negative for unrelated representations) */
  linearCkaDebiased: number[][];
}

/**
 * Linear CKA (and debiased) between every pair of representations of the same N rows. `names` label the
 * errors: a different N, fewer than 4 rows, a constant representation.
 */
export function linearCkaMatrices(representations: readonly Matrix[], names: readonly string[]): CkaMatrices {
  const n = representations[0]?.rows ?? 0;
  representations.forEach((m, i) => {
    if (m.rows !== n)
      throw new RedundancyLabError('bad-shape', `has ${m.rows} rows but ${names[0]} has ${n}: CKA compares representations of the same samples (the same rows, in the same order)`, names[i]);
  });
  if (n < 4) throw new RedundancyLabError('bad-shape', `${n} rows: CKA's debiased estimator needs at least 4`, names[0]);
  const centred = representations.map(centre);
  centred.forEach((c, i) => {
    if (!(c.squaredNorm > 0)) throw new RedundancyLabError('bad-values', 'every column is constant: CKA is undefined for a representation without variance', names[i]);
  });
  const k = centred.length;
  const self = centred.map((c) => crossSquared(c, c));
  const selfDebiased = centred.map((c, i) => debiasedDot(self[i], c, c));
  const linear = Array.from({ length: k }, () => new Array<number>(k).fill(1));
  const debiased = Array.from({ length: k }, () => new Array<number>(k).fill(1));
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      const xty = crossSquared(centred[i], centred[j]);
      linear[i][j] = linear[j][i] = xty / Math.sqrt(self[i] * self[j]);
      debiased[i][j] = debiased[j][i] = debiasedDot(xty, centred[i], centred[j]) / Math.sqrt(selfDebiased[i] * selfDebiased[j]);
    }
  }
  return { linearCka: linear, linearCkaDebiased: debiased };
}
