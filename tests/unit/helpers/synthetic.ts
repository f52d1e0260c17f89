/** Seeded synthetic embeddings for tests (row-major Float32Array, rows × cols). */
import type { Matrix } from '../../../src/core/io/types.ts';

export function seededNormal(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = () => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** rows × cols matrix whose entries come from fill(row, col, normal). */
export function makeMatrix(rows: number, cols: number, seed: number, fill?: (z: number[], normal: () => number) => number[]): Matrix {
  const normal = seededNormal(seed);
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const base = Array.from({ length: cols }, normal);
    const row = fill ? fill(base, normal) : base;
    data.set(row, r * cols);
  }
  return { rows, cols, data };
}

/** Correlated Gaussian features: x = z · A with a random mixing matrix. */
export function correlatedGaussian(rows: number, cols: number, seed: number, mixing = 0.6): Matrix {
  const normal = seededNormal(seed + 1000);
  const a = Array.from({ length: cols * cols }, (_, k) => (k % (cols + 1) === 0 ? 1 : mixing * normal() / Math.sqrt(cols)));
  return makeMatrix(rows, cols, seed, (z) => Array.from({ length: cols }, (_, j) => z.reduce((s, zi, i) => s + zi * a[i * cols + j], 0)));
}
