/**
 * Bench rows for the float64 D×D step, one run: the Cholesky factorisation and the SPD inverse through
 * the WebAssembly SIMD micro-kernel and the plain-JS one, and the straightforward reference.
 * FLOP counts: Cholesky D³/3, SPD inverse D³ (factor, triangular inverse and Y·Yᵀ, D³/3 each).
 */
import { choleskyInPlace, linalgKernel, setLinalgKernel, spdInverse, type LinalgKernel } from '../src/core/index.ts';
import type { BenchRow } from './benchRow.ts';
import { straightforwardSpdInverse } from './reference/straightforwardCholesky.ts';

type Timed = <T>(fn: () => Promise<T> | T) => Promise<{ ms: number; value: T; peakMb: number }>;

/** A well-conditioned SPD test matrix (diagonally dominant), the same for every row. */
export function benchSpd(dim: number): Float64Array {
  const a = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) for (let j = 0; j <= i; j++) a[i * dim + j] = a[j * dim + i] = i === j ? dim : Math.cos(i * 7 + j * 13) * 0.5;
  return a;
}

function maxRelDiff(got: Float64Array, ref: Float64Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - ref[i]));
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  return diff / scale;
}

export async function benchSpdInverse(dim: number, timed: Timed): Promise<BenchRow[]> {
  const a = benchSpd(dim);
  const size = `${dim}²`;
  const gf = (flop: number, ms: number) => flop / ms / 1e6;
  const initial = linalgKernel();
  const ref = await timed(() => straightforwardSpdInverse(a, dim));
  const rows: BenchRow[] = [];
  const kernels: LinalgKernel[] = initial === 'wasm-simd' ? ['wasm-simd', 'js'] : ['js'];
  try {
    for (const kernel of kernels) {
      setLinalgKernel(kernel);
      const factor = await timed(() => choleskyInPlace(Float64Array.from(a), dim));
      const inverse = await timed(() => spdInverse(a, dim));
      const diff = maxRelDiff(inverse.value.inverse, ref.value.inverse);
      rows.push(
        { operation: `float64 Cholesky factorisation (blocked, ${kernel})`, size, backend: kernel, ms: factor.ms, gflops: gf(dim ** 3 / 3, factor.ms), ratio: null, peakMemMb: factor.peakMb },
        { operation: `float64 SPD inverse (blocked, ${kernel})`, size, backend: kernel, ms: inverse.ms, gflops: gf(dim ** 3, inverse.ms), ratio: `${(ref.ms / inverse.ms).toFixed(1)}× faster than reference; max rel diff ${diff.toExponential(1)}`, peakMemMb: inverse.peakMb },
      );
    }
  } finally {
    setLinalgKernel(initial);
  }
  rows.push({ operation: 'float64 SPD inverse, straightforward (reference)', size, backend: 'js', ms: ref.ms, gflops: gf(dim ** 3, ref.ms), ratio: null, peakMemMb: ref.peakMb });
  return rows;
}
