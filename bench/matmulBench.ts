import * as tf from '@tensorflow/tfjs-core';
import { matmulRate } from '../src/core/index.ts';
import type { BenchRow } from './benchRow.ts';

/** The current backend's plain size×size float32 matMul: the reference rate the other rows compare with. */
export async function benchMatmul(size: number): Promise<BenchRow> {
  const gflops = await matmulRate(size);
  return {
    operation: 'matmul (reference rate)',
    size: `${size}²`,
    backend: tf.getBackend(),
    ms: (2 * size ** 3) / gflops / 1e6,
    gflops,
    ratio: null,
    peakMemMb: null,
  };
}
