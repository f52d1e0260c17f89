/**
 * Dense float64 linear algebra for the D×D step (TF.js has no float64 and no factorisations).
 * Matrices are row-major Float64Array of size n·n. Loops are ordered for row-major cache use.
 */

export class NotPositiveDefiniteError extends Error {
  constructor(readonly column: number) {
    super(`matrix is not positive definite (pivot ${column})`);
  }
}

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
export function choleskyInPlace(a: Float64Array, n: number): void {
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
export function spdInverse(a: Float64Array, n: number): { inverse: Float64Array; logDet: number } {
  const l = Float64Array.from(a);
  choleskyInPlace(l, n);
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

/**
 * Eigenvalues of a symmetric matrix (descending): Householder tridiagonalisation, then implicit QL
 * with Wilkinson shifts (Numerical Recipes' tred2/tqli without eigenvectors).
 */
export function symmetricEigenvalues(aIn: Float64Array, n: number): Float64Array {
  const a = Float64Array.from(aIn);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  // tred2 without accumulating transformations
  for (let i = n - 1; i > 0; i--) {
    const l = i - 1;
    let h = 0;
    const rowI = i * n;
    if (l > 0) {
      let scale = 0;
      for (let k = 0; k <= l; k++) scale += Math.abs(a[rowI + k]);
      if (scale === 0) {
        e[i] = a[rowI + l];
      } else {
        for (let k = 0; k <= l; k++) {
          a[rowI + k] /= scale;
          h += a[rowI + k] * a[rowI + k];
        }
        let f = a[rowI + l];
        const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
        e[i] = scale * g;
        h -= f * g;
        a[rowI + l] = f - g;
        f = 0;
        for (let j = 0; j <= l; j++) {
          const rowJ = j * n;
          let gg = 0;
          for (let k = 0; k <= j; k++) gg += a[rowJ + k] * a[rowI + k];
          for (let k = j + 1; k <= l; k++) gg += a[k * n + j] * a[rowI + k];
          e[j] = gg / h;
          f += e[j] * a[rowI + j];
        }
        const hh = f / (h + h);
        for (let j = 0; j <= l; j++) {
          const fj = a[rowI + j];
          const gj = e[j] - hh * fj;
          e[j] = gj;
          const rowJ = j * n;
          for (let k = 0; k <= j; k++) a[rowJ + k] -= fj * e[k] + gj * a[rowI + k];
        }
      }
    } else {
      e[i] = a[rowI + l];
    }
    d[i] = h;
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
