/**
 * The third pass over the rows: each split standardised with its own statistics (float64), block by block,
 * for the exact ridge and for the rows NLR keeps in memory.
 */
import type { ArrayHandle } from '../io/types.ts';
import { RedundancyLabError, throwIfCancelled } from '../errors.ts';
import { partitionBlock, type RowAssignment, type SplitMoments } from './splitScatter.ts';

/** Standardises usable columns of raw rows with the split's own mean and std. */
export class SplitStandardiser {
  private readonly meanTrain: Float64Array;
  private readonly meanTest: Float64Array;
  private readonly invStdTrain: Float64Array;
  private readonly invStdTest: Float64Array;
  /**
   * invStdTrain / invStdTest: 1/std per entry of `usable` (0 turns a column into zeros: the authors' script);
   * testShift: added to each held-out column (the authors' script: its split constants, docs/science.md), or null
   */
  constructor(readonly usable: number[], m: SplitMoments, invStdTrain: Float64Array, invStdTest: Float64Array, private readonly testShift: Float64Array | null = null) {
    this.meanTrain = Float64Array.from(usable, (j) => m.meanTrain[j]);
    this.meanTest = Float64Array.from(usable, (j) => m.meanTest[j]);
    this.invStdTrain = invStdTrain;
    this.invStdTest = invStdTest;
  }
  standardise(raw: Float32Array, rowCount: number, d: number, isTest: boolean): Float64Array {
    const k = this.usable.length;
    const mean = isTest ? this.meanTest : this.meanTrain;
    const inv = isTest ? this.invStdTest : this.invStdTrain;
    const out = new Float64Array(rowCount * k);
    for (let r = 0; r < rowCount; r++) {
      const src = r * d;
      const dst = r * k;
      for (let c = 0; c < k; c++) out[dst + c] = (raw[src + this.usable[c]] - mean[c]) * inv[c];
      if (isTest && this.testShift) for (let c = 0; c < k; c++) out[dst + c] += this.testShift[c];
    }
    return out;
  }
}

/**
 * ZᵀZ of a split's standardised columns from its centred scatter: S_ij · (1/σ_i) · (1/σ_j). Equals n·C on live
 * columns; a column with 1/σ = 0 (the authors' script's zero columns) has a zero row and column.
 */
export function standardisedGram(s: Float64Array, d: number, cols: number[], invStd: Float64Array): Float64Array {
  const k = cols.length;
  const out = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    const rowA = cols[a] * d;
    for (let b = 0; b < k; b++) out[a * k + b] = s[rowA + cols[b]] * invStd[a] * invStd[b];
  }
  return out;
}

/** NLR trains on rows held in memory; above this (float32 bytes) a cap is required rather than a crash later. */
export const NLR_ROWS_MAX_BYTES = 512 * 2 ** 20;

/**
 * Fails before the first pass — not after minutes of streaming — when NLR would keep more rows in memory than
 * NLR_ROWS_MAX_BYTES, saying which cap fits.
 */
export function refuseNlrRowsBeyondMemory(wantsNlr: boolean, cap: number | null, n: number, d: number, fileName: string): void {
  const kept = Math.min(n, cap ?? n);
  if (!wantsNlr || kept * d * 4 <= NLR_ROWS_MAX_BYTES) return;
  const fits = Math.floor(NLR_ROWS_MAX_BYTES / (4 * d));
  const suggestion = Math.max(1000, Math.floor(fits / 1000) * 1000);
  throw new RedundancyLabError(
    'too-large',
    `NLR would hold ${fmt(kept)} rows × ${fmt(d)} dims (${(kept * d * 4 / 2 ** 30).toFixed(1)} GiB) in memory to train on; set NLR's row cap to at most ${fmt(fits)} (e.g. ${fmt(Math.min(suggestion, fits))}: app setting "row cap", CLI --nlr-rows) — AAC and LR stream all rows either way`,
    fileName,
  );
}

export function nlrRowCaps(cap: number | null, m: SplitMoments): { train: number; test: number } {
  if (cap === null || cap >= m.nTrain + m.nTest) return { train: m.nTrain, test: m.nTest };
  const test = Math.max(2, Math.round((cap * m.nTest) / (m.nTrain + m.nTest)));
  return { train: Math.max(2, cap - test), test };
}

/** Pass 3: every block of rows, split into train and held-out parts, each standardised in float64. */
export async function forEachStandardisedBlock(
  array: ArrayHandle,
  rows: RowAssignment,
  standardiser: SplitStandardiser,
  maxBlockRows: number,
  visit: (z: Float64Array, count: number, isTest: boolean, splitRows: number[], rowStart: number) => void | Promise<void>,
  onBlock: (rowsDone: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  const d = array.cols;
  for await (const block of array.blocks(maxBlockRows)) {
    throwIfCancelled(signal);
    const parts = partitionBlock(block.data, block.rows, block.rowStart, d, rows);
    for (const isTest of [false, true]) {
      const splitRows = isTest ? parts.testRows : parts.trainRows;
      if (splitRows.length === 0) continue;
      const z = standardiser.standardise(isTest ? parts.test : parts.train, splitRows.length, d, isTest);
      await visit(z, splitRows.length, isTest, splitRows, block.rowStart);
    }
    onBlock(block.rowStart + block.rows);
    await new Promise((resolve) => setTimeout(resolve, 0)); // let cancel / progress through
  }
}

/** Keeps standardised rows for NLR at their position in sklearn's split order (the first `limit`: a random sample). */
export function keepNlrRows(z: Float64Array, k: number, target: Float32Array, limit: number, splitRows: number[], rowStart: number, rows: RowAssignment): void {
  splitRows.forEach((r, i) => {
    const pos = rows.position[rowStart + r];
    if (pos < limit) target.set(z.subarray(i * k, (i + 1) * k), pos * k);
  });
}


const fmt = (x: number) => x.toLocaleString('en-US');
