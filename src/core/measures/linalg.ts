/**
 * Dense float64 linear algebra for the D×D step (TF.js has no float64 and no factorisations).
 * Matrices are row-major Float64Array of size n·n. Loops are ordered for row-major cache use.
 */

export class NotPositiveDefiniteError extends Error {
  constructor(readonly column: number) {
    super(`matrix is not positive definite (pivot ${column})`);
  }
}

/** In-place lower Cholesky factor L (A = L Lᵀ) in the lower triangle; the upper triangle is zeroed. */
export function choleskyInPlace(a: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let d = a[rowJ + j];
    for (let k = 0; k < j; k++) d -= a[rowJ + k] * a[rowJ + k];
    if (!(d > 0)) throw new NotPositiveDefiniteError(j);
    const ljj = Math.sqrt(d);
    a[rowJ + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let s = a[rowI + j];
      for (let k = 0; k < j; k++) s -= a[rowI + k] * a[rowJ + k];
      a[rowI + j] = s * inv;
    }
    for (let k = j + 1; k < n; k++) a[rowJ + k] = 0;
  }
}

/** Inverse of a lower-triangular matrix, in place (row-major). */
function invertLowerInPlace(l: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    l[rowI + i] = 1 / l[rowI + i];
  }
  // X = L⁻¹ row by row: X_ij = −(1/L_ii) Σ_{k=j}^{i−1} L_ik X_kj, j < i
  const rowBuf = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    const rowI = i * n;
    rowBuf.fill(0, 0, i);
    for (let k = 0; k < i; k++) {
      const lik = l[rowI + k];
      if (lik === 0) continue;
      const rowK = k * n;
      for (let j = 0; j <= k; j++) rowBuf[j] += lik * l[rowK + j];
    }
    const invDiag = l[rowI + i];
    for (let j = 0; j < i; j++) l[rowI + j] = -rowBuf[j] * invDiag;
  }
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
  invertLowerInPlace(l, n); // l now holds X = L⁻¹ (lower)
  // A⁻¹ = Xᵀ X: (A⁻¹)_ij = Σ_{k ≥ max(i,j)} X_ki X_kj — accumulate row by row of X.
  const inv = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const rowK = k * n;
    for (let i = 0; i <= k; i++) {
      const xki = l[rowK + i];
      if (xki === 0) continue;
      const rowI = i * n;
      for (let j = 0; j <= i; j++) inv[rowI + j] += xki * l[rowK + j];
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) inv[j * n + i] = inv[i * n + j];
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
