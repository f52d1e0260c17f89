/**
 * Dense float64 linear algebra for the D×D step (TF.js has no float64 and no factorisations).
 * Matrices are row-major Float64Array of size n·n. The O(n³) work runs through the cache-blocked
 * kernel in linalgKernels.ts (docs/performance.md has the rates).
 */
import { gemmNT, substituteRows } from './linalgKernels.ts';

export class NotPositiveDefiniteError extends Error {
  constructor(readonly column: number) {
    super(`matrix is not positive definite (pivot ${column})`);
  }
}

/**
 * Outer block width of the factorisation, the triangular inverse and the product: the p (or m)
 * dimension of every gemmNT call. The O(n²·NB) triangular substitutions inside the blocks run at a
 * lower rate than the O(n³) gemmNT part, which favours a small NB; gemmNT favours a large one.
 */
const NB = 64;
/**
 * k-slice of the triangular products: a slice only takes the rows of Y that are non-zero on it, so
 * the zeros multiplied are a KSLICE-wide triangle per slice (≈ 1.5·KSLICE/n of the work).
 */
const KSLICE = 128;

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

/**
 * In-place lower Cholesky factor L (A = L Lᵀ) in the lower triangle; the upper triangle is zeroed.
 * Reads only the lower triangle of A. Left-looking blocked: for each NB-wide block column J,
 *   A[J0:n, J] −= L[J0:n, 0:J0] · L[J, 0:J0]ᵀ      (gemmNT, n³/3 multiply–adds in all)
 * then the unblocked factor of the diagonal block and row-wise substitution for the panel below it.
 * Throws NotPositiveDefiniteError(j) at the first column j whose pivot is not > 0 (also NaN).
 */
export function choleskyInPlace(a: Float64Array, n: number, onBlock?: (done: number) => void): void {
  const invDiag = new Float64Array(NB);
  for (let j0 = 0; j0 < n; j0 += NB) {
    onBlock?.(j0 / n);
    const j1 = Math.min(n, j0 + NB);
    gemmNT(n - j0, j1 - j0, j0, a, j0 * n, n, a, j0 * n, n, a, j0 * n + j0, n, -1);
    // diagonal block, column by column (dot products over the block's own columns only)
    for (let j = j0; j < j1; j++) {
      const rowJ = j * n;
      const d = a[rowJ + j] - dot(a, rowJ + j0, a, rowJ + j0, j - j0);
      if (!(d > 0)) throw new NotPositiveDefiniteError(j);
      const ljj = Math.sqrt(d);
      a[rowJ + j] = ljj;
      const inv = 1 / ljj;
      invDiag[j - j0] = inv;
      for (let i = j + 1; i < j1; i++) {
        const rowI = i * n;
        a[rowI + j] = (a[rowI + j] - dot(a, rowI + j0, a, rowJ + j0, j - j0)) * inv;
      }
    }
    substituteRows(a, j1, n, a, n, j0, j1, invDiag);
  }
  for (let i = 0; i < n; i++) a.fill(0, i * n + i + 1, i * n + n);
}

/**
 * Y = (L⁻¹)ᵀ, upper triangular, row-major: Y_ji = X_ij with X = L⁻¹, i.e.
 *   Y_ji = (δ_ij − Σ_{k=j}^{i−1} Y_jk L_ik) / L_ii.
 * By NB-wide column blocks I of Y: the part of the sum over earlier blocks (k < I0) is gemmNT
 * over k-slices (row j of Y is zero before column j, so a slice [k0, k0+KSLICE) only needs rows
 * j < k0+KSLICE), the rest is substitution inside the block. n³/3 multiply–adds in all.
 */
function inverseLowerTransposed(l: Float64Array, n: number, onBlock?: (done: number) => void): Float64Array {
  const y = new Float64Array(n * n);
  const invDiag = new Float64Array(n);
  for (let i = 0; i < n; i++) invDiag[i] = 1 / l[i * n + i];
  for (let i0 = 0; i0 < n; i0 += NB) {
    onBlock?.(i0 / n);
    const i1 = Math.min(n, i0 + NB);
    for (let k0 = 0; k0 < i0; k0 += KSLICE) {
      const kc = Math.min(KSLICE, i0 - k0);
      gemmNT(Math.min(i0, k0 + kc), i1 - i0, kc, y, k0, n, l, i0 * n + k0, n, y, i0, n, -1);
    }
    for (let j = i0; j < i1; j++) y[j * n + j] = 1;
    substituteRows(y, 0, i1, l, n, i0, i1, invDiag.subarray(i0, i1));
  }
  return y;
}

export interface SpdInverseOptions {
  /** factor in the input's own storage instead of a copy (saves one n² array: 512 MiB at n = 8192) */
  overwriteInput?: boolean;
  /** fraction done (0–1), after each block of columns: minutes of work at n = 8192 */
  onProgress?: (fraction: number) => void;
}

/**
 * The inverse's triangular factor: A⁻¹ = Y Yᵀ with Y = (L⁻¹)ᵀ upper triangular (zeros below the diagonal), and
 * log det A; the first two of spdInverse's three steps (2n³/3 multiply–adds). For callers that need A⁻¹ only
 * through products with it (the null baseline's ridge: zᵀA⁻¹z = ‖Yᵀz‖², a few of A⁻¹'s rows).
 */
export function spdInverseFactor(a: Float64Array, n: number, options: SpdInverseOptions = {}): { factor: Float64Array; logDet: number } {
  const { onProgress } = options;
  const step = (k: number) => (onProgress ? (done: number) => onProgress((k + done) / 2) : undefined);
  const l = options.overwriteInput ? a : Float64Array.from(a);
  choleskyInPlace(l, n, step(0));
  let logDet = 0;
  for (let i = 0; i < n; i++) logDet += 2 * Math.log(l[i * n + i]);
  const factor = inverseLowerTransposed(l, n, step(1));
  onProgress?.(1);
  return { factor, logDet };
}

/**
 * Inverse of a symmetric positive-definite matrix through its Cholesky factor.
 * Returns the inverse and log det A (free from the factor).
 * A⁻¹ = (L⁻¹)ᵀ L⁻¹ = Y Yᵀ with Y upper triangular: (A⁻¹)_ij = Σ_{k ≥ max(i,j)} Y_ik Y_jk. The lower
 * triangle is computed by NB-wide block columns and k-slices (gemmNT, n³/3 multiply–adds), then mirrored.
 */
export function spdInverse(a: Float64Array, n: number, options: SpdInverseOptions = {}): { inverse: Float64Array; logDet: number } {
  const { onProgress } = options;
  // the three steps cost n³/3 FLOP each; within a step, progress by blocks is close enough
  const step = (k: number) => (onProgress ? (done: number) => onProgress((k + done) / 3) : undefined);
  // the first two steps; the Cholesky factor is let go inside, before the third n² array
  const { factor: y, logDet } = spdInverseFactor(a, n, { overwriteInput: options.overwriteInput, onProgress: onProgress && ((f) => onProgress((2 * f) / 3)) });
  const inv = new Float64Array(n * n);
  const productStep = step(2);
  for (let i0 = 0; i0 < n; i0 += NB) {
    productStep?.(i0 / n);
    const i1 = Math.min(n, i0 + NB);
    for (let k0 = i0; k0 < n; k0 += KSLICE) {
      const kc = Math.min(KSLICE, n - k0);
      // rows j ≥ k0 + kc of Y are zero on this slice
      // the block column below the diagonal, (A⁻¹)_ji for j ≥ i0: the rows of Y from i0 to k0 + kc are the ones
      // non-zero on this slice. As the tall operand they are what the threads share (the NB rows of the other
      // are too few to split), and the small one is packed once per call.
      gemmNT(Math.min(n, k0 + kc) - i0, i1 - i0, kc, y, i0 * n + k0, n, y, i0 * n + k0, n, inv, i0 * n + i0, n, 1);
    }
  }
  // mirror the lower triangle, tile by tile (column-strided reads stay within NB rows)
  for (let i0 = 0; i0 < n; i0 += NB) {
    const i1 = Math.min(n, i0 + NB);
    for (let j0 = i0; j0 < n; j0 += NB) {
      const j1 = Math.min(n, j0 + NB);
      for (let i = i0; i < i1; i++) for (let j = Math.max(j0, i + 1); j < j1; j++) inv[i * n + j] = inv[j * n + i];
    }
  }
  onProgress?.(1);
  return { inverse: inv, logDet };
}

/**
 * Eigenvalues of a symmetric matrix (descending): Householder tridiagonalisation, then implicit QL
 * with Wilkinson shifts (Numerical Recipes' tred2/tqli without eigenvectors).
 *
 * Memory-bound at large n (the block no longer fits in cache), so each step reads the block once: only
 * the lower triangle is kept (rows are contiguous), and the rank-2 update of step i is fused with the
 * symmetric matrix–vector product of step i−1 (whose Householder row is updated first). Reads the lower
 * triangle of the input, which must be symmetric.
 */
export function symmetricEigenvalues(aIn: Float64Array, n: number, onProgress?: (fraction: number) => void): Float64Array {
  const a = Float64Array.from(aIn);
  const d = new Float64Array(n);
  const e = new Float64Array(n); // e[i]: sub-diagonal; e[0..l]: the step's q while it is applied
  const y = new Float64Array(n); // A·u of the next step, accumulated during this step's update
  /** Householder vector of row i (in place, cols 0..i−1); its h, or 0 where no reflection is needed. */
  const reflect = (i: number): number => {
    const l = i - 1;
    const rowI = i * n;
    if (l === 0) {
      e[i] = a[rowI];
      return 0;
    }
    let scale = 0;
    for (let k = 0; k <= l; k++) scale += Math.abs(a[rowI + k]);
    if (scale === 0) {
      e[i] = a[rowI + l];
      return 0;
    }
    let h = 0;
    for (let k = 0; k <= l; k++) {
      a[rowI + k] /= scale;
      h += a[rowI + k] * a[rowI + k];
    }
    const f = a[rowI + l];
    const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
    e[i] = scale * g;
    a[rowI + l] = f - g;
    return h - f * g;
  };
  /** y = A[0..l, 0..l]·(row i), from the lower triangle alone. */
  const symmetricMatvec = (i: number) => {
    const l = i - 1;
    const rowI = i * n;
    y.fill(0, 0, l + 1);
    for (let j = 0; j <= l; j++) {
      const rowJ = j * n;
      const uj = a[rowI + j];
      let s = 0;
      for (let k = 0; k < j; k++) {
        const v = a[rowJ + k];
        s += v * a[rowI + k];
        y[k] += v * uj;
      }
      y[j] += s + a[rowJ + j] * uj;
    }
  };
  let h = n > 1 ? reflect(n - 1) : 0;
  if (h !== 0) symmetricMatvec(n - 1);
  for (let i = n - 1; i > 0; i--) {
    if (onProgress && (i & 63) === 0) onProgress(1 - (i / n) ** 3);
    const l = i - 1;
    const rowI = i * n;
    if (h === 0) {
      h = l >= 1 ? reflect(l) : 0;
      if (h !== 0) symmetricMatvec(l);
      continue;
    }
    // q = p − K·u with p = A·u / h, K = uᵀp / 2h (Numerical Recipes' tred2), kept in e[0..l]
    let f = 0;
    for (let j = 0; j <= l; j++) {
      e[j] = y[j] / h;
      f += e[j] * a[rowI + j];
    }
    const hh = f / (h + h);
    for (let j = 0; j <= l; j++) e[j] -= hh * a[rowI + j];
    // A −= u·qᵀ + q·uᵀ on the lower triangle: row l first, because it is the next step's Householder row
    const rowL = l * n;
    const ul = a[rowI + l];
    const ql = e[l];
    for (let k = 0; k <= l; k++) a[rowL + k] -= ul * e[k] + ql * a[rowI + k];
    const next = l >= 1 ? reflect(l) : 0;
    if (next === 0) {
      for (let j = 0; j < l; j++) {
        const rowJ = j * n;
        const uj = a[rowI + j];
        const qj = e[j];
        for (let k = 0; k <= j; k++) a[rowJ + k] -= uj * e[k] + qj * a[rowI + k];
      }
    } else {
      // the rest of the update fused with the next step's A·u' (u' = row l): the block is read once per step
      y.fill(0, 0, l);
      for (let j = 0; j < l; j++) {
        const rowJ = j * n;
        const uj = a[rowI + j];
        const qj = e[j];
        const wj = a[rowL + j];
        let s = 0;
        for (let k = 0; k < j; k++) {
          const v = a[rowJ + k] - (uj * e[k] + qj * a[rowI + k]);
          a[rowJ + k] = v;
          s += v * a[rowL + k];
          y[k] += v * wj;
        }
        const diagonal = a[rowJ + j] - 2 * uj * qj;
        a[rowJ + j] = diagonal;
        y[j] += s + diagonal * wj;
      }
    }
    h = next;
  }
  for (let i = 0; i < n; i++) d[i] = a[i * n + i];
  // tqli
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  if (n > 0) e[n - 1] = 0;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    let m: number;
    do {
      for (m = l; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= Number.EPSILON * dd) break;
      }
      if (m !== l) {
        if (iter++ === 60) throw new Error('eigenvalue iteration did not converge');
        let g = (d[l + 1] - d[l]) / (2 * e[l]);
        let r = Math.hypot(g, 1);
        g = d[m] - d[l] + e[l] / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)));
        let s = 1;
        let c = 1;
        let p = 0;
        let i: number;
        for (i = m - 1; i >= l; i--) {
          let f = s * e[i];
          const b = c * e[i];
          r = Math.hypot(f, g);
          e[i + 1] = r;
          if (r === 0) {
            d[i + 1] -= p;
            e[m] = 0;
            break;
          }
          s = f / r;
          c = g / r;
          g = d[i + 1] - p;
          r = (d[i] - g) * s + 2 * c * b;
          p = s * r;
          d[i + 1] = g + p;
          g = c * r - b;
          f = 0;
        }
        if (r === 0 && i >= l) continue;
        d[l] -= p;
        e[l] = g;
        e[m] = 0;
      }
    } while (m !== l);
  }
  return d.sort().reverse();
}
