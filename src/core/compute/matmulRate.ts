import * as tf from '@tensorflow/tfjs-core';

/**
 * Micro-benchmark: GFLOP/s of a size×size float32 matMul on the current backend (2·size³ FLOPs per
 * product, result read back each time). One warm-up product, then as many as fit in `minMs`
 * (at least `minRepeats`).
 */
export async function matmulRate(size = 1024, options: { minMs?: number; minRepeats?: number } = {}): Promise<number> {
  const minMs = options.minMs ?? 300;
  const minRepeats = options.minRepeats ?? 3;
  const a = tf.randomUniform([size, size], -1, 1, 'float32', 1);
  const b = tf.randomUniform([size, size], -1, 1, 'float32', 2);
  try {
    const product = async (): Promise<void> => {
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
    };
    await product();
    let repeats = 0;
    const start = performance.now();
    while (repeats < minRepeats || performance.now() - start < minMs) {
      await product();
      repeats++;
    }
    const seconds = (performance.now() - start) / 1000;
    return (2 * size ** 3 * repeats) / seconds / 1e9;
  } finally {
    a.dispose();
    b.dispose();
  }
}
