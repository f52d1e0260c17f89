/**
 * Measures one embedding array: split → per-split means → centred scatter matrices → AAC, LR, NLR
 * and extras. Reads the rows in blocks (never the whole file at once unless NLR needs the rows).
 */
import * as tf from '@tensorflow/tfjs';
import type { ArrayHandle, Matrix } from './io/types.ts';
import { RedundancyLabError, throwIfCancelled } from './errors.ts';
import type { BackendInfo, BackendName } from './compute/backend.ts';
import { rowsPerBlock } from './compute/limits.ts';
import { SPECTRUM_MAX_D, type MeasureResult, type MeasureSettings, type NlrDimSelection, type PerDim, type Progress, type RunOptions } from './measures/types.ts';
import { numpyPermutation, sklearnTrainTestSplit } from './numerics/split.ts';
import {
  assignRows,
  correlationFromScatter,
  partitionBlock,
  pooledScatter,
  splitMeans,
  splitScatter,
  splitScatterFloat32,
  type RowAssignment,
  type SplitMoments,
} from './measures/splitScatter.ts';
import { averageAbsoluteCorrelation } from './measures/aac.ts';
import { inverseExtras, rankMe, symmetricEigenvalues } from './numerics/spectrum.ts';
import { ExactRidge } from './measures/heldOutRidge.ts';
import { RidgeAccumulator, chooseAlphas, planRidge, ridgeRowsPerBlock } from './measures/heldOutRidgeFloat32.ts';
import { heldOutMlpR2 } from './measures/nlr.ts';
import { permutedColumns } from './measures/nullBaseline.ts';
import { adjustedInSampleR2, assessReliability } from './measures/reliability.ts';
import { VERSION } from './version.ts';

/** A dim is dead when its std is 0 or below this fraction of the largest std (science.md). */
const DEAD_STD_RATIO = 1e-6;
/** The authors' script (std + 1e-100) zeroes only columns that are constant up to rounding. */
const AUTHORS_ZERO_STD_RATIO = 1e-12;
/** Default memory budget for one block of rows (see RunOptions.blockBytes). */
const DEFAULT_BLOCK_BYTES = 64 * 2 ** 20;

export async function measureArray(
  input: ArrayHandle,
  fileName: string,
  settings: MeasureSettings,
  options: RunOptions = {},
): Promise<MeasureResult> {
  const { signal } = options;
  const t0 = now();
  const timingsMs: Record<string, number> = {};
  const authors = settings.protocol === 'authors-script';
  let array = input;
  // the authors' script loses the first data row (pandas header) and turns NaN into 0 — on request only
  if (authors && !options.rowsPrepared) array = authorsScriptRows(array);
  const n = array.rows;
  const d = array.cols;
  validateShape(array, fileName);
  const wants = new Set(settings.measures);
  refuseNlrRowsBeyondMemory(wants.has('nlr'), settings.nlrRowCap ?? null, n, d, fileName);

  const split = sklearnTrainTestSplit(n, settings.testFraction, settings.splitSeed);
  const rows = assignRows(split, n);
  const progress = new ProgressReporter(options.onProgress, estimateCost(n, d, settings));
  // a block, its centred copy and its transpose live on the backend at once
  const blockBytes = options.blockBytes ?? DEFAULT_BLOCK_BYTES;
  const scatterBlock = Math.max(1, Math.min(n, rowsPerBlock(d, 3), Math.floor(blockBytes / (4 * d))));

  const precision = options.precision ?? 'float64';
  let t = now();
  const moments = await splitMeans(array, rows, fileName, scatterBlock, (done) => progress.report('read', done / n, `reading rows ${fmt(done)} of ${fmt(n)}`), signal);
  timingsMs.read = now() - t;

  t = now();
  const scatter = await (precision === 'float32' ? splitScatterFloat32 : splitScatter)(array, rows, moments, scatterBlock, (done) => progress.report('gram', done / n, `Gram matrix ${Math.round((100 * done) / n)}%`), signal);
  timingsMs.gram = now() - t;

  // Dead dims (over all rows), then split-degenerate ones (live, but constant in one split).
  const pooled = pooledScatter(scatter, moments, d); // scaled to the covariance in place for the spectrum, below
  const stdAll = diagStd(pooled, d, n);
  const maxStd = Math.max(0, ...stdAll);
  const isTiny = (s: number) => s === 0 || s < DEAD_STD_RATIO * maxStd;
  // their script standardises with std + 1e-100: only a (numerically) constant column becomes zero
  const isZero = (s: number) => s === 0 || s < AUTHORS_ZERO_STD_RATIO * maxStd;
  const live = range(d).filter((j) => !isTiny(stdAll[j]));
  const stdTrain = diagStd(scatter.train, d, moments.nTrain);
  const stdTest = diagStd(scatter.test, d, moments.nTest);
  const degenerate = live.filter((j) => isTiny(stdTrain[j]) || isTiny(stdTest[j]));
  const usable = live.filter((j) => !isTiny(stdTrain[j]) && !isTiny(stdTest[j]));
  // authors' script: every dim is a target and an input; constant columns of a split are zeros there
  const lrDims = authors ? range(d) : usable;
  const deadDims = range(d).filter((j) => isTiny(stdAll[j]));
  if (live.length < 2) {
    throw new RedundancyLabError(
      'bad-values',
      `${deadDims.length} of ${d} dims are constant (dead) over all ${fmt(n)} rows; redundancy needs at least 2 dims that vary — is this the right array?`,
      fileName,
    );
  }

  t = now();
  progress.report('extras', 0, 'correlation matrix, eigenvalues');
  const corrLive = correlationFromScatter(pooled, d, live);
  options.onCorrelationMatrix?.(corrLive, live, d);
  const extras = options.extras ?? true;
  const aacLive = wants.has('aac') && live.length >= 2 ? averageAbsoluteCorrelation(corrLive, live.length) : null;
  const aacResult = aacLive && authors ? { value: authorsScriptAac(pooled, moments, d, live.length, aacLive.value), perDim: aacLive.perDim } : aacLive;
  // Spectra are optional extras whose unblocked (memory-bound) tridiagonalisation takes ~20 s at D = 2048
  // and would take ~20 min at D = 8192: above SPECTRUM_MAX_D they are left out (null), not waited for.
  const spectra = extras && d <= (options.spectrumMaxD ?? SPECTRUM_MAX_D);
  const extrasProgress = (from: number, to: number) => (f: number) => progress.report('extras', from + (to - from) * f, 'correlation matrix, eigenvalues');
  const eigenvalues = spectra && live.length >= 1 ? symmetricEigenvalues(corrLive, live.length, extrasProgress(0, 0.4)) : null;
  const covEigen = spectra ? symmetricEigenvalues(scaleInPlace(pooled, 1 / n), d, extrasProgress(0.4, 0.8)) : null;
  const inv = extras && live.length >= 2 ? inverseExtras(corrLive, live.length, extrasProgress(0.8, 1)) : null;
  timingsMs.extras = now() - t;
  throwIfCancelled(signal);

  // LR and NLR work on the usable dims, each split standardised with its own statistics.
  const nlrTargets = wants.has('nlr') ? selectNlrDims(settings.nlrDims, settings.nlrDimSeed, usable, d, fileName) : [];
  const inverseStd = (std: Float64Array) => Float64Array.from(lrDims, (j) => (authors ? (isZero(std[j]) ? 0 : 1 / std[j]) : 1 / std[j]));
  const invStdTrain = inverseStd(stdTrain);
  const invStdTest = inverseStd(stdTest);
  let lrOut: { r2: Float64Array; alpha: Float64Array } | null = null;
  let nlrRows: { train: Matrix; test: Matrix } | null = null;
  let lrAdjusted: Float64Array | null = null;
  if ((wants.has('lr') || nlrTargets.length > 0) && usable.length >= 2) {
    t = now();
    const standardiser = new SplitStandardiser(lrDims, moments, invStdTrain, invStdTest);
    const nlrCap = nlrTargets.length > 0 ? nlrRowCaps(settings.nlrRowCap, moments) : null;
    const lrProgress = (from: number, to: number) => (done: number) =>
      progress.report('lr', from + ((to - from) * done) / n, `LR: ridge residuals, rows ${fmt(done)} of ${fmt(n)}`);
    const trainGram = wants.has('lr') ? standardisedGram(scatter.train, d, lrDims, invStdTrain) : null;
    lrAdjusted = trainGram && !authors ? adjustedInSampleR2(trainGram, usable.length, moments.nTrain) : null;
    if (precision === 'float32') {
      const lr = await float32Lr(array, rows, standardiser, trainGram, scatter, lrDims, moments, settings, nlrCap, scatterBlock, progress, lrProgress(0.5, 1), signal);
      lrOut = lr.lrOut;
      nlrRows = lr.nlrRows;
    } else {
      const k = lrDims.length;
      // held-out SSE from the held-out Gram (2·D³ per α) where that is cheaper than the held-out rows (2·N_te·D²)
      const testGram = trainGram && moments.nTest >= k ? standardisedGram(scatter.test, d, lrDims, invStdTest) : null;
      const ridge = trainGram ? new ExactRidge(trainGram, k, moments.nTrain, moments.nTest, settings.ridgeAlphas, testGram) : null;
      const groups = ridge ? ridge.groups() : [[]];
      const K = settings.ridgeAlphas.length;
      const keep = nlrCap ? { train: new Float32Array(nlrCap.train * k), test: new Float32Array(nlrCap.test * k) } : null;
      for (const [g, group] of groups.entries()) {
        const share = 1 / groups.length;
        ridge?.prepareGroup(group, (a, f) =>
          progress.report('lr', g * share + 0.3 * share * (group.indexOf(a) + f) / group.length, `ridge inverse ${a + 1}/${K} (float64 ${fmt(k)}², ${(100 * f).toFixed(0)}%)`),
        );
        await forEachStandardisedBlock(array, rows, standardiser, scatterBlock, (z, count, isTest, splitRows, rowStart) => {
          if (ridge && !isTest) ridge.addTrainRows(z, count);
          if (ridge && isTest && ridge.needsTestRows()) ridge.addTestRows(z, count);
          if (g === 0 && keep && nlrCap) keepNlrRows(z, k, isTest ? keep.test : keep.train, isTest ? nlrCap.test : nlrCap.train, splitRows, rowStart, rows);
        }, lrProgress((g + 0.3) * share, (g + 1) * share), signal);
        ridge?.finishGroup();
      }
      lrOut = ridge ? ridge.outcome() : null;
      nlrRows = keep && nlrCap ? { train: { rows: nlrCap.train, cols: k, data: keep.train }, test: { rows: nlrCap.test, cols: k, data: keep.test } } : null;
    }
    timingsMs.lr = now() - t;
  }

  let nlr: MeasureResult['nlr'] = null;
  const lrPerDim = lrOut ? scatterToOriginal(lrOut.r2, lrDims, d) : null;
  if (nlrRows && nlrTargets.length > 0) {
    t = now();
    const compactIndex = new Map(lrDims.map((dim, i) => [dim, i]));
    const targets = nlrTargets.map((dim) => compactIndex.get(dim)!);
    const heads = await heldOutMlpR2(nlrRows.train, nlrRows.test, targets, settings.mlp, {
      signal,
      onProgress: (p) =>
        progress.report(
          'nlr',
          (p.headsDone + p.epoch / p.epochs * (p.lastHead - p.firstHead + 1)) / p.headsTotal,
          `NLR dims ${p.firstHead + 1}–${p.lastHead + 1} of ${p.headsTotal}, epoch ${p.epoch}/${p.epochs}`,
        ),
    });
    const perDim: PerDim = new Array(d).fill(null);
    const convergedPerDim: (boolean | null)[] = new Array(d).fill(null);
    nlrTargets.forEach((dim, i) => {
      perDim[dim] = heads.heldOutR2[i];
      convergedPerDim[dim] = heads.converged[i];
    });
    const minusLrPerDim = perDim.map((v, j) => (v !== null && lrPerDim?.[j] != null ? v - lrPerDim[j]! : null));
    const both = nlrTargets.filter((dim) => minusLrPerDim[dim] !== null);
    nlr = {
      value: mean(nlrTargets.map((dim) => perDim[dim]!)),
      perDim,
      minusLrPerDim,
      lrOnNlrDims: both.length ? mean(both.map((dim) => lrPerDim![dim]!)) : null,
      minusLr: both.length ? mean(both.map((dim) => minusLrPerDim[dim]!)) : null,
      evaluatedDims: nlrTargets,
      convergedPerDim,
      convergedCount: heads.converged.filter(Boolean).length,
      meanTrainLossByEpoch: heads.meanTrainLossByEpoch,
      gflop: heads.gflop,
    };
    timingsMs.nlr = now() - t;
  }
  // The null baseline: the same pipeline on a column-permuted copy (dependence destroyed, marginals kept).
  let nullResult: MeasureResult | null = null;
  const nlrNullDims = nlr ? nullNlrDims(nlr.evaluatedDims, settings.nlrDimSeed) : [];
  if ((options.nullBaseline ?? true) && lrOut) {
    t = now();
    const nullSettings: MeasureSettings = {
      ...settings,
      measures: nlrNullDims.length ? ['lr', 'nlr'] : ['lr'],
      nlrDims: { kind: 'list', dims: nlrNullDims },
    };
    nullResult = await measureArray(permutedColumns(array, settings.splitSeed, undefined, scatterBlock), fileName, nullSettings, {
      signal,
      rowsPrepared: true,
      precision,
      blockBytes: options.blockBytes,
      extras: false,
      nullBaseline: false,
      backend: options.backend,
      onProgress: (p) => progress.report('null', p.fraction, `null baseline (column-permuted copy): ${p.message}`),
    });
    timingsMs.null = now() - t;
  }
  const perDimValues = (p: PerDim | undefined) => (p ? p.filter((v): v is number => v !== null) : null);
  const lrResult = lrOut && lrPerDim ? { value: mean(Array.from(lrOut.r2)), perDim: lrPerDim, alphaPerDim: scatterToOriginal(lrOut.alpha, lrDims, d) } : null;
  const reliability = assessReliability({
    usableDims: lrDims.length,
    nTrain: moments.nTrain,
    lr: lrResult,
    nlr,
    lrNullPerDim: perDimValues(nullResult?.lr?.perDim),
    nlrNullPerDim: perDimValues(nullResult?.nlr?.perDim),
    nlrNullDims: nullResult?.nlr?.evaluatedDims ?? [],
    lrAdjustedPerDim: lrAdjusted ? scatterToOriginal(lrAdjusted, usable, d) : null,
  });
  timingsMs.total = now() - t0;
  progress.report('done', 1, 'done');

  return {
    file: fileName,
    array: array.name,
    n,
    d,
    deadDims,
    splitDegenerateDims: degenerate,
    nTrain: moments.nTrain,
    nTest: moments.nTest,
    aac: aacResult ? { value: aacResult.value, meanAbsCorrPerDim: scatterToOriginal(aacResult.perDim, live, d) } : null,
    lr: lrResult,
    nlr,
    reliability,
    extras: {
      inSampleR2: inv ? { value: mean(Array.from(inv.inSampleR2)), perDim: scatterToOriginal(inv.inSampleR2, live, d) } : null,
      rankMe: covEigen ? rankMe(covEigen) : null,
      gaussianTotalCorrelation: inv ? inv.gaussianTotalCorrelation : null,
      minEigenvalue: eigenvalues?.length ? eigenvalues[eigenvalues.length - 1] : null,
      eigenvalues: eigenvalues ? Array.from(eigenvalues) : null,
    },
    settings,
    backend: options.backend ?? { name: tf.getBackend() as BackendName, detail: tf.getBackend(), skipped: [] },
    timingsMs,
    version: VERSION,
  };
}

function validateShape(array: ArrayHandle, fileName: string): void {
  const what = `array ${array.name ? `'${array.name}' ` : ''}has shape (${array.shape.join(', ')})`;
  if (array.shape.length < 2) {
    throw new RedundancyLabError('bad-shape', `${what}; embeddings need 2 dimensions (samples × dims) — a 1-D array looks like labels`, fileName);
  }
  if (array.rows < 8) throw new RedundancyLabError('bad-shape', `${what}: ${array.rows} rows are too few to split 75/25 and measure; use at least 8 samples (hundreds for meaningful numbers)`, fileName);
  if (array.cols < 2) throw new RedundancyLabError('bad-shape', `${what}: redundancy needs at least 2 dims`, fileName);
}

/**
 * ZᵀZ of a split's standardised columns from its centred scatter: S_ij · (1/σ_i) · (1/σ_j). Equals n·C on live
 * columns; a column with 1/σ = 0 (the authors' script's zero columns) has a zero row and column.
 */
function standardisedGram(s: Float64Array, d: number, cols: number[], invStd: Float64Array): Float64Array {
  const k = cols.length;
  const out = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    const rowA = cols[a] * d;
    for (let b = 0; b < k; b++) out[a * k + b] = s[rowA + cols[b]] * invStd[a] * invStd[b];
  }
  return out;
}

/**
 * AAC as the authors' script computes it: mean over all D(D−1)/2 pairs of |XᵀX / N| on the rows as read. Their
 * input is their standardised CSV (dead dims NaN → 0, so those pairs count as 0); given such a file (every column
 * mean within 0.05 of 0 and std within 0.05 of 1, or all zero — standardised over all rows, of which the script
 * then loses one, NaN cells 0) this is their formula exactly, from
 * Σ_r x_ri x_rj = S_ij + N μ_i μ_j. Given raw embeddings, their formula would depend on the units, so the file is
 * standardised first (over the rows they keep): the mean |Pearson r| of the live pairs, with dead pairs as 0.
 */
function authorsScriptAac(pooled: Float64Array, m: SplitMoments, d: number, liveCount: number, liveAac: number): number {
  const n = m.nTrain + m.nTest;
  const mu = Float64Array.from({ length: d }, (_, j) => (m.nTrain * m.meanTrain[j] + m.nTest * m.meanTest[j]) / n);
  const standardised = mu.every((v, j) => {
    const sd = Math.sqrt(Math.max(0, pooled[j * d + j]) / n);
    return Math.abs(v) < 0.05 && (Math.abs(sd - 1) < 0.05 || (sd === 0 && v === 0));
  });
  if (!standardised) return (liveAac * liveCount * (liveCount - 1)) / (d * (d - 1));
  let sum = 0;
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) sum += Math.abs((pooled[i * d + j] + n * mu[i] * mu[j]) / n);
  return sum / ((d * (d - 1)) / 2);
}

/**
 * The rows as the authors' released script reads them (protocol 'authors-script', on request): pandas'
 * read_csv takes the first data row of a header-less CSV for the header, so that row is lost; NaN becomes 0
 * (np.nan_to_num). Nothing else changes.
 */
function authorsScriptRows(array: ArrayHandle): ArrayHandle {
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

/** Standardises usable columns of raw rows with the split's own mean and std. */
class SplitStandardiser {
  private readonly meanTrain: Float64Array;
  private readonly meanTest: Float64Array;
  private readonly invStdTrain: Float64Array;
  private readonly invStdTest: Float64Array;
  /** invStdTrain / invStdTest: 1/std per entry of `usable` (0 turns a column into zeros: the authors' script) */
  constructor(readonly usable: number[], m: SplitMoments, invStdTrain: Float64Array, invStdTest: Float64Array) {
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
    }
    return out;
  }
}

/** How many train / held-out rows NLR keeps (the first ones in sklearn's split order: a random sample). */
/** NLR trains on rows held in memory; above this (float32 bytes) a cap is required rather than a crash later. */
export const NLR_ROWS_MAX_BYTES = 512 * 2 ** 20;

/**
 * Fails before the first pass — not after minutes of streaming — when NLR would keep more rows in memory than
 * NLR_ROWS_MAX_BYTES, saying which cap fits.
 */
function refuseNlrRowsBeyondMemory(wantsNlr: boolean, cap: number | null, n: number, d: number, fileName: string): void {
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

function nlrRowCaps(cap: number | null, m: SplitMoments): { train: number; test: number } {
  if (cap === null || cap >= m.nTrain + m.nTest) return { train: m.nTrain, test: m.nTest };
  const test = Math.max(2, Math.round((cap * m.nTest) / (m.nTrain + m.nTest)));
  return { train: Math.max(2, cap - test), test };
}

/** Pass 3: every block of rows, split into train and held-out parts, each standardised in float64. */
async function forEachStandardisedBlock(
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
function keepNlrRows(z: Float64Array, k: number, target: Float32Array, limit: number, splitRows: number[], rowStart: number, rows: RowAssignment): void {
  splitRows.forEach((r, i) => {
    const pos = rows.position[rowStart + r];
    if (pos < limit) target.set(z.subarray(i * k, (i + 1) * k), pos * k);
  });
}

/** The previous float32 LR path (bench comparison only): float32 residual maps and products on the backend. */
async function float32Lr(
  array: ArrayHandle,
  rows: RowAssignment,
  standardiser: SplitStandardiser,
  trainGram: Float64Array | null,
  scatter: { test: Float64Array },
  usable: number[],
  moments: SplitMoments,
  settings: MeasureSettings,
  nlrCap: { train: number; test: number } | null,
  scatterBlock: number,
  progress: ProgressReporter,
  onBlock: (rowsDone: number) => void,
  signal?: AbortSignal,
): Promise<{ lrOut: { r2: Float64Array; alpha: Float64Array } | null; nlrRows: { train: Matrix; test: Matrix } | null }> {
  const d = array.cols;
  const k = usable.length;
  const K = settings.ridgeAlphas.length;
  const testGram = trainGram && moments.nTest > 8 * k ? scaleInPlace(correlationFromScatter(scatter.test, d, usable), moments.nTest) : null;
  const plan = trainGram
    ? planRidge(trainGram, k, moments.nTrain, settings.ridgeAlphas, (a, f) => progress.report('lr', (0.5 * (a + f)) / K, `ridge inverse ${a + 1}/${K}`), testGram)
    : null;
  const ridge = plan ? new RidgeAccumulator(plan) : null;
  if (plan) plan.residualMaps = new Float32Array(0); // the backend holds the maps now
  const keep = nlrCap ? { train: new Float32Array(nlrCap.train * k), test: new Float32Array(nlrCap.test * k) } : null;
  const blockRows = Math.min(scatterBlock, plan ? ridgeRowsPerBlock(k, K) : scatterBlock);
  try {
    await forEachStandardisedBlock(array, rows, standardiser, blockRows, async (z64, count, isTest, splitRows, rowStart) => {
      const z = Float32Array.from(z64);
      if (ridge && !isTest) await ridge.addTrainRows(z, count);
      if (ridge && isTest && !plan?.heldOutSquaredError) await ridge.addTestRows(z, count);
      if (keep && nlrCap) keepNlrRows(z64, k, isTest ? keep.test : keep.train, isTest ? nlrCap.test : nlrCap.train, splitRows, rowStart, rows);
    }, onBlock, signal);
  } finally {
    ridge?.dispose();
  }
  return {
    lrOut: plan && ridge ? chooseAlphas(ridge, plan, moments.nTest) : null,
    nlrRows: keep && nlrCap ? { train: { rows: nlrCap.train, cols: k, data: keep.train }, test: { rows: nlrCap.test, cols: k, data: keep.test } } : null,
  };
}

/** Original dim indices NLR trains heads for (a seeded sample reproducible with NumPy's permutation). */
export function selectNlrDims(sel: NlrDimSelection, seed: number, usable: number[], d: number, fileName: string): number[] {
  const sample = (count: number) => {
    const perm = numpyPermutation(usable.length, seed);
    return Array.from(perm.subarray(0, Math.max(1, Math.min(count, usable.length))), (i) => usable[i]).sort((a, b) => a - b);
  };
  switch (sel.kind) {
    case 'all':
      return usable.slice();
    case 'fraction':
      return sample(Math.round(sel.fraction * usable.length));
    case 'count':
      return sample(sel.count);
    case 'list': {
      const bad = sel.dims.filter((j) => !Number.isInteger(j) || j < 0 || j >= d);
      if (bad.length) throw new RedundancyLabError('bad-option', `NLR dims ${bad.join(', ')} are outside 0…${d - 1}`, fileName);
      const ok = new Set(usable);
      return [...new Set(sel.dims)].filter((j) => ok.has(j)).sort((a, b) => a - b);
    }
  }
}

/** How many NLR dims the null baseline trains: a seeded few of the measured ones (NLR_null is a reference level). */
const NLR_NULL_DIMS = 4;

function nullNlrDims(evaluated: number[], seed: number): number[] {
  if (evaluated.length <= NLR_NULL_DIMS) return evaluated.slice();
  const perm = numpyPermutation(evaluated.length, seed);
  return Array.from(perm.subarray(0, NLR_NULL_DIMS), (i) => evaluated[i]).sort((a, b) => a - b);
}

/** Rough FLOP counts per stage, so progress fractions (and the UI's ETA) track where time goes. */
function estimateCost(n: number, d: number, s: MeasureSettings): Record<Progress['stage'], number> {
  const K = s.ridgeAlphas.length;
  const wantsNlr = s.measures.includes('nlr');
  const nlrDims = !wantsNlr ? 0 : s.nlrDims.kind === 'all' ? d : s.nlrDims.kind === 'fraction' ? s.nlrDims.fraction * d : s.nlrDims.kind === 'count' ? s.nlrDims.count : s.nlrDims.dims.length;
  const nlrRows = Math.min(n, s.nlrRowCap ?? n) * (1 - s.testFraction);
  const [h1 = 128, h2 = 64] = s.mlp.hidden;
  return {
    read: n * d * 20,
    gram: 2 * n * d * d,
    extras: 8 * d * d * d,
    lr: s.measures.includes('lr') ? 2 * K * n * d * d * 3 + K * d * d * d : n * d * 20,
    nlr: 6 * nlrRows * (d * h1 + h1 * h2 + h2) * s.mlp.epochs * nlrDims,
    // the null baseline: the pipeline again without extras, NLR on a few dims
    null: s.measures.includes('lr') ? n * d * 20 + 2 * n * d * d + 2 * K * n * d * d * 3 + K * d * d * d + 6 * nlrRows * (d * h1 + h1 * h2 + h2) * s.mlp.epochs * Math.min(nlrDims, 4) : 0,
    stats: 0,
    probe: 0,
    done: 0,
  };
}

class ProgressReporter {
  private readonly order: Progress['stage'][] = ['read', 'gram', 'extras', 'lr', 'nlr', 'null', 'done'];
  private readonly total: number;
  constructor(
    private readonly onProgress: ((p: Progress) => void) | undefined,
    private readonly cost: Record<Progress['stage'], number>,
  ) {
    this.total = this.order.reduce((s, k) => s + cost[k], 0) || 1;
  }
  report(stage: Progress['stage'], within: number, message: string): void {
    if (!this.onProgress) return;
    let before = 0;
    for (const k of this.order) {
      if (k === stage) break;
      before += this.cost[k];
    }
    const fraction = stage === 'done' ? 1 : Math.min(1, (before + Math.min(1, Math.max(0, within)) * this.cost[stage]) / this.total);
    this.onProgress({ stage, fraction, message });
  }
}

function diagStd(s: Float64Array, d: number, count: number): Float64Array {
  return Float64Array.from({ length: d }, (_, j) => Math.sqrt(Math.max(s[j * d + j], 0) / count));
}

function scaleInPlace(a: Float64Array, factor: number): Float64Array {
  for (let i = 0; i < a.length; i++) a[i] *= factor;
  return a;
}

function scatterToOriginal(values: ArrayLike<number>, dims: number[], d: number): PerDim {
  const out: PerDim = new Array(d).fill(null);
  dims.forEach((dim, i) => (out[dim] = values[i]));
  return out;
}

const range = (k: number) => Array.from({ length: k }, (_, i) => i);
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const now = () => performance.now();
const fmt = (x: number) => x.toLocaleString('en-US');

export type { BackendInfo };
