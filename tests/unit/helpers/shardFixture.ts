/** The split-run fixture: a seeded, correlated, ReLU'd 1,200 × 24 float32 .npy (small enough for CI's SLURM test). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { correlatedGaussian } from './synthetic.ts';

/** A float32 C-order .npy of rows × cols (NumPy's v1 format). */
export function npyBytes(data: Float32Array, rows: number, cols: number): Buffer {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(pre);
  pre.writeUInt16LE(header.length, 8);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

export function writeShardFixture(dir: string, name = 'fixture.npy', rows = 1200, cols = 24, seed = 19): string {
  const m = correlatedGaussian(rows, cols, seed, 0.9);
  const data = m.data.map((v) => Math.max(0, v + 0.3));
  const path = join(dir, name);
  writeFileSync(path, npyBytes(data, rows, cols));
  return path;
}

/** The measure options every split-run test uses: NLR on 4 dims, few epochs (seconds, not minutes). */
export const SHARD_OPTIONS = ['--nlr-dims', '4', '--epochs', '3'];

/** Asserts a merged result equals `measure --json`'s: AAC to 1e-12, per-dim LR to 1e-9, NLR dims and R² identical. */
export function compareToMeasure(got: any, want: any, expect: (v: unknown, msg?: string) => any): void {
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  expect(Math.abs(got.aac.value - want.aac.value)).toBeLessThan(1e-12);
  want.aac.meanAbsCorrPerDim.forEach((v: number | null, i: number) => (v === null ? expect(got.aac.meanAbsCorrPerDim[i]).toBeNull() : expect(Math.abs(got.aac.meanAbsCorrPerDim[i] - v)).toBeLessThan(1e-12)));
  want.lr.perDim.forEach((v: number | null, i: number) => (v === null ? expect(got.lr.perDim[i]).toBeNull() : expect(Math.abs(got.lr.perDim[i] - v)).toBeLessThan(1e-9)));
  expect(got.lr.alphaPerDim).toEqual(want.lr.alphaPerDim);
  expect(got.nlr.evaluatedDims).toEqual(want.nlr.evaluatedDims);
  expect(got.nlr.perDim).toEqual(want.nlr.perDim);
  expect(got.nlr.trainingStatePerDim).toEqual(want.nlr.trainingStatePerDim);
  // the null baseline went through the same passes
  expect(Math.abs(got.reliability.lrNull - want.reliability.lrNull)).toBeLessThan(1e-9);
  expect(got.reliability.nlrNull).toBe(want.reliability.nlrNull);
  expect(got.reliability.nlrNullDims).toEqual(want.reliability.nlrNullDims);
  expect(got.reliability.warnings.map((w: any) => w.code)).toEqual(want.reliability.warnings.map((w: any) => w.code));
  expect(Math.abs(got.extras.gaussianTotalCorrelation - want.extras.gaussianTotalCorrelation)).toBeLessThan(1e-9);
}
