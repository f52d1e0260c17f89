/**
 * Synthetic embeddings for the benchmarks, like real features: `factors` latent Gaussian factors mixed into
 * `cols` dims plus noise (optionally through a ReLU, so some links are non-linear). Deterministic (fixed LCG).
 */
import type { Matrix } from '../src/core/index.ts';

export function lowRankEmbeddings(rows: number, cols: number, options: { factors?: number; seed?: number; relu?: boolean } = {}): Matrix {
  const [only] = lowRankBlocks(rows, cols, Math.max(1, rows), options);
  return only ?? { rows: 0, cols, data: new Float32Array(0) };
}

/** The same rows as lowRankEmbeddings, generated `blockRows` at a time (files larger than memory). */
export function* lowRankBlocks(
  rows: number,
  cols: number,
  blockRows: number,
  options: { factors?: number; seed?: number; relu?: boolean } = {},
): Generator<Matrix> {
  const { factors = 32, seed = 12345, relu = false } = options;
  let s = seed;
  const uniform = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const mix = Float32Array.from({ length: factors * cols }, normal);
  const z = new Float32Array(factors);
  for (let start = 0; start < rows; start += blockRows) {
    const count = Math.min(blockRows, rows - start);
    const data = new Float32Array(count * cols);
    for (let r = 0; r < count; r++) {
      for (let i = 0; i < factors; i++) z[i] = relu ? Math.max(0, normal()) : normal();
      for (let j = 0; j < cols; j++) {
        let v = 0.5 * normal();
        for (let i = 0; i < factors; i++) v += z[i] * mix[i * cols + j];
        data[r * cols + j] = v;
      }
    }
    yield { rows: count, cols, data };
  }
}

/** The header of a float32 C-order (rows, cols) .npy (NumPy format v1), padded to 64 bytes. */
export function npyHeader(rows: number, cols: number): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  header += ' '.repeat((64 - ((11 + header.length) % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  return out;
}

/** The matrix as a float32 C-order .npy (NumPy format v1). */
export function npyBytes(m: Matrix): Uint8Array {
  const header = npyHeader(m.rows, m.cols);
  const out = new Uint8Array(header.length + m.data.byteLength);
  out.set(header);
  out.set(new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength), header.length);
  return out;
}
