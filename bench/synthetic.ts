/**
 * Synthetic embeddings for the benchmarks, like real features: `factors` latent Gaussian factors mixed into
 * `cols` dims plus noise (optionally through a ReLU, so some links are non-linear). Deterministic (fixed LCG).
 */
import type { Matrix } from '../src/core/io/types.ts';

export function lowRankEmbeddings(rows: number, cols: number, options: { factors?: number; seed?: number; relu?: boolean } = {}): Matrix {
  const { factors = 32, seed = 12345, relu = false } = options;
  let s = seed;
  const uniform = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const mix = Float32Array.from({ length: factors * cols }, normal);
  const data = new Float32Array(rows * cols);
  const z = new Float32Array(factors);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < factors; i++) z[i] = relu ? Math.max(0, normal()) : normal();
    for (let j = 0; j < cols; j++) {
      let v = 0.5 * normal();
      for (let i = 0; i < factors; i++) v += z[i] * mix[i * cols + j];
      data[r * cols + j] = v;
    }
  }
  return { rows, cols, data };
}

/** The matrix as a float32 C-order .npy (NumPy format v1). */
export function npyBytes(m: Matrix): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${m.rows}, ${m.cols}), }`;
  header += ' '.repeat((64 - ((11 + header.length) % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + m.data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength), 10 + header.length);
  return out;
}
