/** Bench rows for the float64 D×D step: blocked spdInverse vs the straightforward reference, one run. */
import { spdInverse } from '../src/core/measures/linalg.ts';
import type { BenchRow } from './benchRow.ts';
import { straightforwardSpdInverse } from '../tests/unit/helpers/straightforwardCholesky.ts';

type Timed = <T>(fn: () => Promise<T> | T) => Promise<{ ms: number; value: T; peakMb: number }>;

/** A well-conditioned SPD test matrix (diagonally dominant), the same for both rows. */
export function benchSpd(dim: number): Float64Array {
  const a = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) for (let j = 0; j <= i; j++) a[i * dim + j] = a[j * dim + i] = i === j ? dim : Math.cos(i * 7 + j * 13) * 0.5;
  return a;
}

export async function benchSpdInverse(dim: number, timed: Timed): Promise<BenchRow[]> {
  const a = benchSpd(dim);
  const flop = dim ** 3;
  const gf = (ms: number) => flop / ms / 1e6;
  const blocked = await timed(() => spdInverse(a, dim));
  const ref = await timed(() => straightforwardSpdInverse(a, dim));
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < dim * dim; i++) {
    diff = Math.max(diff, Math.abs(blocked.value.inverse[i] - ref.value.inverse[i]));
    scale = Math.max(scale, Math.abs(ref.value.inverse[i]));
  }
  const size = `${dim}²`;
  return [
    { operation: 'float64 SPD inverse (JS, blocked)', size, backend: 'js', ms: blocked.ms, gflops: gf(blocked.ms), ratio: `${(ref.ms / blocked.ms).toFixed(1)}× faster than reference; max rel diff ${(diff / scale).toExponential(1)}`, peakMemMb: blocked.peakMb },
    { operation: 'float64 SPD inverse, straightforward (reference)', size, backend: 'js', ms: ref.ms, gflops: gf(ref.ms), ratio: null, peakMemMb: ref.peakMb },
  ];
}
