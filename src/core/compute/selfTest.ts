import * as tf from '@tensorflow/tfjs-core';

/** Result of running the numeric self-test on the current tfjs backend. */
export interface SelfTestResult {
  passed: boolean;
  /** largest |backend − float64| / max |float64| over the matMul entries */
  matMulRelError: number;
  /** |backend − float64| / |float64| of the sum of all matMul entries */
  sumRelError: number;
}

/** Relative tolerance: all backends agree with float64 to ~5e-6 here; 1e-4 leaves room, catches garbage. */
export const SELF_TEST_TOLERANCE = 1e-4;

const M = 64;
const K = 48;
const N = 32;

/** Deterministic test values in [−1, 1) (fixed LCG: the self-test must not depend on any seed). */
function testValues(count: number, salt: number): Float32Array {
  const out = new Float32Array(count);
  let s = (0x9e3779b9 ^ salt) >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2147483648 - 1;
  }
  return out;
}

/** Float64 reference product of row-major a (m×k) and b (k×n). */
export function referenceMatMul(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p];
      for (let j = 0; j < n; j++) c[i * n + j] += aip * b[p * n + j];
    }
  }
  return c;
}

/**
 * Multiplies a 64×48 by a 48×32 matrix and sums the result on the current backend, and compares
 * both with a float64 JavaScript reference. A backend that computes garbage (a broken driver, a
 * half-float texture path) fails here before any measure trusts it.
 */
export async function runSelfTest(): Promise<SelfTestResult> {
  const a = testValues(M * K, 1);
  const b = testValues(K * N, 2);
  const expected = referenceMatMul(a, b, M, K, N);
  let expectedSum = 0;
  let expectedMax = 0;
  for (const v of expected) {
    expectedSum += v;
    expectedMax = Math.max(expectedMax, Math.abs(v));
  }
  const [product, total] = tf.tidy(() => {
    const c = tf.matMul(tf.tensor2d(a, [M, K]), tf.tensor2d(b, [K, N]));
    return [c, tf.sum(c)];
  });
  try {
    const got = await product.data();
    const gotSum = (await total.data())[0];
    let worst = 0;
    for (let i = 0; i < expected.length; i++) {
      const err = Math.abs(got[i] - expected[i]);
      worst = Number.isNaN(err) ? Infinity : Math.max(worst, err);
    }
    const matMulRelError = worst / expectedMax;
    const sumRelError = Math.abs(gotSum - expectedSum) / Math.max(Math.abs(expectedSum), 1e-12);
    // the sum may cancel to near zero: judge it against the scale of the entries too
    const sumOk = Math.abs(gotSum - expectedSum) <= SELF_TEST_TOLERANCE * Math.max(Math.abs(expectedSum), expectedMax);
    return {
      passed: matMulRelError <= SELF_TEST_TOLERANCE && sumOk,
      matMulRelError,
      sumRelError: Number.isFinite(sumRelError) ? sumRelError : Infinity,
    };
  } finally {
    product.dispose();
    total.dispose();
  }
}
