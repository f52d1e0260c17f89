import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choleskyInPlace, NotPositiveDefiniteError, spdInverse, symmetricEigenvalues } from '../../../src/core/numerics/linalg.ts';
import { gemmNT, linalgKernel, setLinalgKernel, type LinalgKernel } from '../../../src/core/numerics/linalgKernels.ts';
import { seededNormal } from '../helpers/synthetic.ts';
// independent reference: the unblocked column-by-column Cholesky inverse linalg.ts used before
import { straightforwardCholeskyInPlace, straightforwardSpdInverse } from '../../../bench/reference/straightforwardCholesky.ts';

/** B Bᵀ / m + shift·I with B n × m Gaussian: well conditioned for m ≫ n. */
function randomSpd(n: number, seed: number, m = 2 * n + 8, shift = 0.1): Float64Array {
  const normal = seededNormal(seed);
  const b = Float64Array.from({ length: n * m }, normal);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += b[i * m + k] * b[j * m + k];
      a[i * n + j] = a[j * n + i] = s / m + (i === j ? shift : 0);
    }
  }
  return a;
}

/** Q diag(λ) Qᵀ with λ geometric from 1 down to 1/cond and Q a product of random Householder reflections. */
function spdWithCondition(n: number, cond: number, seed: number): Float64Array {
  return symmetricWithSpectrum(Array.from({ length: n }, (_, i) => (n === 1 ? 1 : cond ** (-i / (n - 1)))), seed);
}

/** Q·diag(λ)·Qᵀ, Q a product of 4 random Householder reflections. */
function symmetricWithSpectrum(spectrum: number[], seed: number): Float64Array {
  const n = spectrum.length;
  const normal = seededNormal(seed);
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let h = 0; h < 4; h++) {
    const v = Float64Array.from({ length: n }, normal);
    const vv = v.reduce((s, x) => s + x * x, 0);
    for (let r = 0; r < n; r++) {
      let dotRv = 0;
      for (let k = 0; k < n; k++) dotRv += q[r * n + k] * v[k];
      const f = (2 * dotRv) / vv;
      for (let k = 0; k < n; k++) q[r * n + k] -= f * v[k];
    }
  }
  const lambda = Float64Array.from(spectrum);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += q[i * n + k] * lambda[k] * q[j * n + k];
      a[i * n + j] = a[j * n + i] = s;
    }
  }
  return a;
}

function maxAbs(x: Float64Array): number {
  let m = 0;
  for (const v of x) m = Math.max(m, Math.abs(v));
  return m;
}

function maxAbsDiff(x: Float64Array, y: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}

/** ‖A·X − I‖_max: independent of either implementation. */
function residual(a: Float64Array, x: Float64Array, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * x[k * n + j];
      m = Math.max(m, Math.abs(s - (i === j ? 1 : 0)));
    }
  }
  return m;
}

// block edges of the kernel: NB = 64 (outer blocks), 4 (micro-kernel), KC = 256 / KSLICE = 128 (k-slices)
const SIZES = [1, 2, 3, 5, 63, 64, 65, 127, 257, 300];

it('Node has WebAssembly SIMD, so the fast kernel is the default here (and in Chromium)', () => {
  expect(linalgKernel()).toBe('wasm-simd');
});

it('the committed WebAssembly bytes are compiled from gemmF64.wat', () => {
  // exits 1 with "stale" when the .wat was edited without `npm run build:wasm`
  execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { stdio: 'pipe' });
});

// every test below runs once per micro-kernel
for (const kernel of ['wasm-simd', 'js'] as const satisfies readonly LinalgKernel[]) {
describe(`with the ${kernel} micro-kernel`, () => {
const initial = linalgKernel();
beforeAll(() => setLinalgKernel(kernel));
afterAll(() => setLinalgKernel(initial));

describe('blocked float64 Cholesky inverse equals the straightforward implementation', () => {
  for (const n of SIZES) {
    it(`well conditioned, D = ${n}`, () => {
      const a = randomSpd(n, 100 + n);
      const before = Float64Array.from(a);
      const got = spdInverse(a, n);
      const ref = straightforwardSpdInverse(a, n);
      expect(a).toEqual(before); // input untouched
      expect(maxAbsDiff(got.inverse, ref.inverse)).toBeLessThan(1e-12 * maxAbs(ref.inverse));
      expect(Math.abs(got.logDet - ref.logDet)).toBeLessThan(1e-11 * Math.max(1, Math.abs(ref.logDet)));
      expect(residual(a, got.inverse, n)).toBeLessThan(1e-11);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(got.inverse[i * n + j]).toBe(got.inverse[j * n + i]);

      const l = Float64Array.from(a);
      const lRef = Float64Array.from(a);
      choleskyInPlace(l, n);
      straightforwardCholeskyInPlace(lRef, n);
      expect(maxAbsDiff(l, lRef)).toBeLessThan(1e-13 * maxAbs(lRef));
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(l[i * n + j]).toBe(0);
    });
  }

  it('reads only the lower triangle (the upper one may hold anything)', () => {
    const n = 130;
    const a = randomSpd(n, 7);
    const scrambled = Float64Array.from(a);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) scrambled[i * n + j] = 1e6 * Math.sin(i + 3 * j);
    const l = Float64Array.from(scrambled);
    const lRef = Float64Array.from(a);
    choleskyInPlace(l, n);
    straightforwardCholeskyInPlace(lRef, n);
    expect(maxAbsDiff(l, lRef)).toBeLessThan(1e-13 * maxAbs(lRef));
  });

  for (const [n, cond] of [
    [65, 1e8],
    [257, 1e10],
  ] as const) {
    it(`ill conditioned (cond ${cond.toExponential(0)}), D = ${n}`, () => {
      const a = spdWithCondition(n, cond, 3 + n);
      const got = spdInverse(a, n);
      const ref = straightforwardSpdInverse(a, n);
      // both carry an error up to ~cond·ε relative; they agree well within it (seen: 3e-11 and 6e-8)
      const tol = 10 * cond * Number.EPSILON;
      expect(maxAbsDiff(got.inverse, ref.inverse)).toBeLessThan(tol * maxAbs(ref.inverse));
      expect(Math.abs(got.logDet - ref.logDet)).toBeLessThan(1e-10 * Math.abs(ref.logDet));
      // and the diagonal that LR divides by
      for (let i = 0; i < n; i++) expect(Math.abs(got.inverse[i * n + i] / ref.inverse[i * n + i] - 1)).toBeLessThan(tol);
    });
  }
});

describe('non-positive-definite input: the same error as the straightforward implementation', () => {
  function refError(a: Float64Array, n: number): NotPositiveDefiniteError {
    try {
      straightforwardSpdInverse(a, n);
    } catch (e) {
      return e as NotPositiveDefiniteError;
    }
    throw new Error('reference did not throw');
  }

  function expectSameError(a: Float64Array, n: number): void {
    const want = refError(a, n);
    expect(want).toBeInstanceOf(NotPositiveDefiniteError);
    let got: unknown = null;
    try {
      spdInverse(a, n);
    } catch (e) {
      got = e;
    }
    expect(got).toBeInstanceOf(NotPositiveDefiniteError);
    expect((got as NotPositiveDefiniteError).column).toBe(want.column);
    expect((got as Error).message).toBe(want.message);
    expect(() => choleskyInPlace(Float64Array.from(a), n)).toThrow(want.message);
  }

  for (const [n, k] of [
    [1, 0],
    [3, 2],
    [65, 0],
    [65, 63],
    [65, 64],
    [257, 70],
    [257, 256],
  ] as const) {
    it(`pivot ${k} of D = ${n} clearly negative`, () => {
      const a = randomSpd(n, 11 + k);
      const l = Float64Array.from(a);
      straightforwardCholeskyInPlace(l, n);
      // make the k-th pivot d_k = a_kk − Σ L_kj² equal to −0.5
      let s = 0;
      for (let j = 0; j < k; j++) s += l[k * n + j] ** 2;
      a[k * n + k] = s - 0.5;
      expectSameError(a, n);
      expect(refError(a, n).column).toBe(k);
    });
  }

  it('indefinite matrix (a negative eigenvalue)', () => {
    const n = 100;
    const a = randomSpd(n, 5);
    for (let i = 0; i < n; i++) a[i * n + i] -= 2; // the spectrum of B Bᵀ/m + 0.1 starts well below 2
    expectSameError(a, n);
  });

  it('NaN entry and zero matrix', () => {
    const n = 70;
    const a = randomSpd(n, 9);
    a[66 * n + 3] = NaN;
    expectSameError(a, n);
    expectSameError(new Float64Array(n * n), n);
  });
});

describe('gemmNT kernel', () => {
  it('C += α·A·Bᵀ on strided sub-blocks, all edge shapes', () => {
    const normal = seededNormal(42);
    const ld = 301;
    const A = Float64Array.from({ length: ld * ld }, normal);
    for (const [m, p, K] of [
      [1, 1, 1],
      [3, 5, 7],
      [4, 4, 256],
      [9, 130, 257],
      [67, 6, 513],
      [301 - 3 - 2, 200, 290], // memory growth, several B panels and k-slices
    ] as const) {
      for (const alpha of [1, -1]) {
        const C = Float64Array.from({ length: ld * ld }, normal);
        const want = Float64Array.from(C);
        const aOff = 3 * ld + 5;
        const bOff = 10 * ld + 1;
        const cOff = 2 * ld + 7;
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < p; j++) {
            let s = 0;
            for (let k = 0; k < K; k++) s += A[aOff + i * ld + k] * A[bOff + j * ld + k];
            want[cOff + i * ld + j] += alpha * s;
          }
        }
        gemmNT(m, p, K, A, aOff, ld, A, bOff, ld, C, cOff, ld, alpha);
        expect(maxAbsDiff(C, want)).toBeLessThan(1e-12 * K);
      }
    }
  });
});
});
}

describe('spdInverse options', () => {
  it('reports rising progress to 1 and, with overwriteInput, gives the same inverse from the input storage', () => {
    const n = 200;
    const a = randomSpd(n, 31);
    const fractions: number[] = [];
    const plain = spdInverse(a, n, { onProgress: (f) => fractions.push(f) });
    expect(fractions.length).toBeGreaterThan(3 * Math.floor(n / 64));
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
    expect(fractions.at(-1)).toBe(1);
    const scratch = Float64Array.from(a);
    const inPlace = spdInverse(scratch, n, { overwriteInput: true });
    expect(maxAbsDiff(inPlace.inverse, plain.inverse)).toBe(0);
    expect(maxAbsDiff(scratch, a)).toBeGreaterThan(0); // the input now holds the factor
  });
});

describe('symmetricEigenvalues', () => {
  // Q·diag(λ)·Qᵀ with Q a product of Householder reflections: the spectrum is known exactly
  for (const [n, cond] of [
    [1, 1],
    [2, 10],
    [5, 1e3],
    [70, 1e6],
    [130, 1e2],
  ] as const) {
    it(`known spectrum, n = ${n}, λ from 1 down to 1/${cond}`, () => {
      const a = spdWithCondition(n, cond, 40 + n);
      const fractions: number[] = [];
      const got = symmetricEigenvalues(a, n, (f) => fractions.push(f));
      const want = Array.from({ length: n }, (_, i) => (n === 1 ? 1 : cond ** (-i / (n - 1))));
      expect(got).toHaveLength(n);
      for (let i = 0; i < n; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-12);
      for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
    });
  }
  it('zero rows and columns (no reflection at those steps): the known spectrum plus zeros', () => {
    // a 6 × 6 known spectrum embedded in 9 × 9 with zero rows at 0, 4 and 8 (the first and last steps included)
    const inner = spdWithCondition(6, 1e3, 7);
    const place = [1, 2, 3, 5, 6, 7];
    const a = new Float64Array(81);
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) a[place[i] * 9 + place[j]] = inner[i * 6 + j];
    const got = symmetricEigenvalues(a, 9);
    const want = [...Array.from({ length: 6 }, (_, i) => 1e3 ** (-i / 5)), 0, 0, 0];
    for (let i = 0; i < 9; i++) expect(Math.abs(got[i] - want[i]), `λ${i}`).toBeLessThan(1e-12);
  });
  it('n = 600, λ from 1 down to 1e-4, two 50-fold repeated values: the fused update keeps every eigenvalue', () => {
    const n = 600;
    const want = Array.from({ length: n }, (_, i) => (i < 50 ? 1 : i >= n - 50 ? 1e-4 : 10 ** (-4 * (i / (n - 1)))));
    const a = symmetricWithSpectrum(want, 11);
    const got = symmetricEigenvalues(a, n);
    for (let i = 0; i < n; i++) expect(Math.abs(got[i] - want[i]), `λ${i}`).toBeLessThan(1e-12);
  });
  it('an indefinite matrix: negative eigenvalues in descending order', () => {
    const got = symmetricEigenvalues(Float64Array.from([2, 1, 0, 1, -3, 0, 0, 0, 0.5]), 3);
    const disc = Math.sqrt(25 / 4 + 1);
    expect(Array.from(got).map((v) => +v.toFixed(12))).toEqual([-0.5 + disc, 0.5, -0.5 - disc].map((v) => +v.toFixed(12)));
  });
});
