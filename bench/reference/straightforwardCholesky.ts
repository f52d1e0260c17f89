/**
 * The straightforward float64 Cholesky inverse that src/core/numerics/linalg.ts used before its
 * cache-blocked kernel (unblocked dot-product form, one column at a time). Independent of the blocked
 * code: the exactness reference of tests/unit/numerics/linalg.test.ts, and the reference row of
 * `npm run bench`, so the speed-up is measured within one run.
 */
import { NotPositiveDefiniteError } from '../../src/core/index.ts';

/**
 * a[offA + k]·b[offB + k] summed over k < len, with four accumulators: the loop is bound by the
 * latency of dependent additions, so independent partial sums run ~3× faster in V8.
 */
function dot(a: Float64Array, offA: number, b: Float64Array, offB: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < len; k += 4) {
    s0 += a[offA + k] * b[offB + k];
    s1 += a[offA + k + 1] * b[offB + k + 1];
    s2 += a[offA + k + 2] * b[offB + k + 2];
    s3 += a[offA + k + 3] * b[offB + k + 3];
  }
  for (; k < len; k++) s0 += a[offA + k] * b[offB + k];
  return s0 + s1 + s2 + s3;
}

/** In-place lower Cholesky factor L (A = L Lᵀ) in the lower triangle; the upper triangle is zeroed. */
export function straightforwardCholeskyInPlace(a: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    const d = a[rowJ + j] - dot(a, rowJ, a, rowJ, j);
    if (!(d > 0)) throw new NotPositiveDefiniteError(j);
    const ljj = Math.sqrt(d);
    a[rowJ + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      a[rowI + j] = (a[rowI + j] - dot(a, rowI, a, rowJ, j)) * inv;
    }
    for (let k = j + 1; k < n; k++) a[rowJ + k] = 0;
  }
}

/**
 * Y = (L⁻¹)ᵀ, upper triangular, row-major: row j of Y is column j of L⁻¹, solved by forward
 * substitution on contiguous rows (X_ij = −(Σ_{k=j}^{i−1} L_ik X_kj) / L_ii).
 */
function inverseLowerTransposed(l: Float64Array, n: number): Float64Array {
  const y = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    y[rowJ + j] = 1 / l[rowJ + j];
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      y[rowJ + i] = -dot(l, rowI + j, y, rowJ + j, i - j) / l[rowI + i];
    }
  }
  return y;
}

/**
 * Inverse of a symmetric positive-definite matrix through its Cholesky factor.
 * Returns the inverse and log det A (free from the factor).
 */
export function straightforwardSpdInverse(a: Float64Array, n: number): { inverse: Float64Array; logDet: number } {
  const l = Float64Array.from(a);
  straightforwardCholeskyInPlace(l, n);
  let logDet = 0;
  for (let i = 0; i < n; i++) logDet += 2 * Math.log(l[i * n + i]);
  const y = inverseLowerTransposed(l, n);
  // A⁻¹ = (L⁻¹)ᵀ L⁻¹ = Y Yᵀ, and Y is upper triangular: (A⁻¹)_ij = Σ_{k ≥ max(i,j)} Y_ik Y_jk
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    for (let j = i; j < n; j++) {
      const v = dot(y, rowI + j, y, j * n + j, n - j);
      inv[rowI + j] = v;
      inv[j * n + i] = v;
    }
  }
  return { inverse: inv, logDet };
}
