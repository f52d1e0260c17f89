/**
 * The authors' whole pipeline, reproduced on request (protocol 'authors-script'; docs/science.md): their corr.py
 * (raw embeddings z-scored in float32, np.savetxt), then the released script: the rows it reads (pd.read_csv),
 * its AAC, and what its per-split (x − mean) / (std + 1e-100) does to a column constant inside one split (zeros,
 * or — where pandas' parser read the constant an ulp off a float32 value — a constant of magnitude ~1).
 */
import type { ArrayHandle } from '../io/types.ts';
import { throwIfCancelled } from '../errors.ts';
import type { SplitMoments } from './splitScatter.ts';

/** The authors' script (std + 1e-100) zeroes only columns that are constant up to rounding. */
export const AUTHORS_ZERO_STD_RATIO = 1e-12;

/**
 * AAC as the authors' script computes it: mean over all D(D−1)/2 pairs of |XᵀX / N| on the rows as read, from
 * Σ_r x_ri x_rj = S_ij + N μ_i μ_j. Its input is their standardised CSV — the file itself, or corr.py's output
 * for raw embeddings (authorsScriptInput) — where dead dims are NaN → 0, so pairs with one count as 0.
 */
export function authorsScriptAac(pooled: Float64Array, m: SplitMoments, d: number): number {
  const n = m.nTrain + m.nTest;
  const mu = Float64Array.from({ length: d }, (_, j) => (m.nTrain * m.meanTrain[j] + m.nTest * m.meanTest[j]) / n);
  let sum = 0;
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) sum += Math.abs((pooled[i * d + j] + n * mu[i] * mu[j]) / n);
  return sum / ((d * (d - 1)) / 2);
}

/**
 * The rows as the authors' released script reads them (protocol 'authors-script', on request): pandas'
 * read_csv takes the first data row of a header-less CSV for the header, so that row is lost; NaN becomes 0
 * (np.nan_to_num). Nothing else changes.
 */
export function authorsScriptRows(array: ArrayHandle): ArrayHandle {
  const rows = Math.max(0, array.rows - 1);
  const cols = array.cols;
  const fix = (data: Float32Array) => {
    for (let i = 0; i < data.length; i++) if (Number.isNaN(data[i])) data[i] = 0;
    return data;
  };
  return {
    name: array.name,
    shape: [rows, ...array.shape.slice(1)],
    dtype: array.dtype,
    rows,
    cols,
    async read() {
      const m = await array.read();
      return { rows, cols, data: fix(m.data.slice(cols)) };
    },
    async *blocks(rowsPerBlock: number) {
      for await (const block of array.blocks(rowsPerBlock)) {
        const skip = block.rowStart === 0 ? 1 : 0;
        if (block.rows - skip <= 0) continue;
        yield { rowStart: block.rowStart + skip - 1, rows: block.rows - skip, cols, data: fix(block.data.slice(skip * cols)) };
      }
    },
  };
}


/** How the file reached the script: 'raw' embeddings go through corr.py first; 'standardised' is their CSV. */
export type AuthorsInput = 'raw' | 'standardised';

/**
 * The one rule for "this file is already their standardised CSV" (settings.authorsInput absent = auto): on the
 * rows the script reads (first row lost, NaN → 0), every column's mean within 0.05 of 0 and its std within 0.05
 * of 1, or the column all zero (a dead dim, NaN → 0).
 */
export function looksStandardised(mean: ArrayLike<number>, std: ArrayLike<number>): boolean {
  for (let j = 0; j < mean.length; j++) {
    const ok = Math.abs(mean[j]) < 0.05 && (Math.abs(std[j] - 1) < 0.05 || (std[j] === 0 && mean[j] === 0));
    if (!ok) return false;
  }
  return true;
}

/**
 * The authors' script's input from the file: given raw embeddings, their corr.py first (z-scored in float32 as
 * NumPy computes it, written with np.savetxt), then the rows the script reads (authorsScriptRows). `requested`
 * absent: decided by looksStandardised on the rows the script reads.
 */
export async function authorsScriptInput(
  array: ArrayHandle,
  requested: AuthorsInput | undefined,
  rowsPerBlock: number,
  signal?: AbortSignal,
): Promise<{ array: ArrayHandle; input: AuthorsInput }> {
  const d = array.cols;
  // pass 1: float32 sums over every row in file order (corr.py's data.mean(0)), and the moments of the rows
  // the script reads (float64, shifted by the first of them) for the rule
  const sum32 = new Float32Array(d);
  const shift = new Float64Array(d);
  const s1 = new Float64Array(d);
  const s2 = new Float64Array(d);
  let n = 0;
  for await (const block of array.blocks(rowsPerBlock)) {
    throwIfCancelled(signal);
    const x = block.data;
    for (let r = 0; r < block.rows; r++) {
      const off = r * d;
      for (let j = 0; j < d; j++) sum32[j] = Math.fround(sum32[j] + x[off + j]);
      const row = block.rowStart + r;
      if (row === 0) continue;
      for (let j = 0; j < d; j++) {
        const v = Number.isNaN(x[off + j]) ? 0 : x[off + j];
        if (row === 1) shift[j] = v;
        const dv = v - shift[j];
        s1[j] += dv;
        s2[j] += dv * dv;
      }
    }
    n = block.rowStart + block.rows;
  }
  let input = requested;
  if (!input) {
    const kept = Math.max(1, n - 1);
    const mean = Float64Array.from(shift, (s, j) => s + s1[j] / kept);
    const std = Float64Array.from(s1, (s, j) => Math.sqrt(Math.max(0, s2[j] / kept - (s / kept) ** 2)));
    input = looksStandardised(mean, std) ? 'standardised' : 'raw';
  }
  if (input === 'standardised') return { array: authorsScriptRows(array), input };
  // pass 2: corr.py's data.std(0): float32 deviations, squared, summed row by row, / N, sqrt
  const mean32 = Float32Array.from(sum32, (s) => Math.fround(s / n));
  const sq32 = new Float32Array(d);
  for await (const block of array.blocks(rowsPerBlock)) {
    throwIfCancelled(signal);
    const x = block.data;
    for (let r = 0; r < block.rows; r++) {
      const off = r * d;
      for (let j = 0; j < d; j++) {
        const dev = Math.fround(x[off + j] - mean32[j]);
        sq32[j] = Math.fround(sq32[j] + Math.fround(dev * dev));
      }
    }
  }
  const std32 = Float32Array.from(sq32, (s) => Math.fround(Math.sqrt(Math.fround(s / n))));
  return { array: authorsScriptRows(corrPyStandardised(array, mean32, std32)), input };
}

/**
 * corr.py's data_standardized: (data − mean) / std in float32, element by element (0/0 → NaN, which the script
 * turns into 0). The values are float32, so np.savetxt's '%.18e' writes each exactly.
 */
function corrPyStandardised(array: ArrayHandle, mean32: Float32Array, std32: Float32Array): ArrayHandle {
  const cols = array.cols;
  const z = (data: Float32Array) => {
    const out = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const j = i % cols;
      out[i] = Math.fround(data[i] - mean32[j]) / std32[j];
    }
    return out;
  };
  return {
    name: array.name,
    shape: array.shape,
    dtype: array.dtype,
    rows: array.rows,
    cols,
    async read() {
      const m = await array.read();
      return { rows: m.rows, cols, data: z(m.data) };
    },
    async *blocks(rowsPerBlock: number) {
      for await (const block of array.blocks(rowsPerBlock)) yield { ...block, data: z(block.data) };
    },
  };
}

const POWERS_OF_TEN = Array.from({ length: 309 }, (_, k) => Number(`1e${k}`));

/**
 * The float64 that the script's pd.read_csv (pandas' default C parser, precise_xstrtod) reads from np.savetxt's
 * '%.18e' text of `v`: savetxt writes 19 significant digits (correctly rounded, ties to even); the parser keeps
 * the first 17, accumulates them as number·10 + digit in float64 and scales by a power of ten — not always the
 * nearest double (measured: ~1 value in 5 of z-scored float32 features lands an ulp off).
 */
export function savetxtThenReadCsv(v: number): number {
  if (v === 0 || !Number.isFinite(v)) return v;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(v));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = hi >>> 20;
  const mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  const m = biased === 0 ? mantissa : mantissa | (1n << 52n);
  const e = (biased === 0 ? 1 : biased) - 1075;
  // |v| = a / 10^k exactly
  const a = e >= 0 ? m << BigInt(e) : m * 5n ** BigInt(-e);
  const k = e >= 0 ? 0 : -e;
  let digits = a.toString();
  let exp10 = digits.length - 1 - k;
  if (digits.length > 19) {
    let head = BigInt(digits.slice(0, 19));
    const rest = digits.slice(19);
    const up = rest[0] > '5' || (rest[0] === '5' && (/[1-9]/.test(rest.slice(1)) || head % 2n === 1n));
    if (up) head += 1n;
    digits = head.toString();
    if (digits.length > 19) {
      digits = digits.slice(0, 19);
      exp10 += 1;
    }
  } else digits = digits.padEnd(19, '0');
  let number = 0;
  for (let i = 0; i < 17; i++) number = number * 10 + (digits.charCodeAt(i) - 48);
  if (v < 0) number = -number;
  const exponent = exp10 - 16;
  if (exponent > 0) number *= POWERS_OF_TEN[exponent];
  else if (exponent < -308) number = number / POWERS_OF_TEN[-308 - exponent] / POWERS_OF_TEN[308];
  else number /= POWERS_OF_TEN[-exponent];
  return number;
}

/**
 * The value the script's per-split (x − mean) / (std + 1e-100) gives a column that holds `v` on all `n` rows of
 * the split, as NumPy computes it in float64 (axis-0 means of a C-order array: a plain row-by-row sum). When the
 * n-fold sum of v is exact (v a float32 value, n < 2^29) this is 0; otherwise the mean is an ulp off, the std
 * comes out ~1e-16 and the column becomes a constant of magnitude ~1.
 */
export function numpySplitConstant(v: number, n: number): number {
  let sum = 0;
  for (let r = 0; r < n; r++) sum += v;
  const delta = v - sum / n;
  const sq = delta * delta;
  let ss = 0;
  for (let r = 0; r < n; r++) ss += sq;
  return delta / (Math.sqrt(ss / n) + 1e-100);
}
