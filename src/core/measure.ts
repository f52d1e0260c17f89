/**
 * Measures one embedding array: split → per-split means → centred scatter matrices → AAC, LR, NLR
 * and extras. Reads the rows in blocks (never the whole file at once unless NLR needs the rows).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ArrayHandle, Matrix } from './io/types.ts';
import { CancelledError, RedundancyLabError, throwIfCancelled } from './errors.ts';
import type { BackendInfo, BackendName } from './compute/backend.ts';
import { rowsPerBlock } from './compute/limits.ts';
import { SPECTRUM_MAX_D, type MeasureResult, type MeasureSettings, type PerDim, type RunOptions } from './measures/types.ts';
import { sklearnTrainTestSplit } from './numerics/split.ts';
import { assignRows, correlationFromScatter, pooledScatter, splitMeans, splitScatter, splitScatterFloat32, type SplitMoments, type SplitScatter } from './measures/splitScatter.ts';
import { averageAbsoluteCorrelation } from './measures/aac.ts';
import { alphaReq, inverseExtras, rankMe, symmetricEigenvalues } from './numerics/spectrum.ts';
import { ExactRidge, TOP_PREDICTORS, type RidgeOutcome } from './measures/heldOutRidge.ts';
import { float32Lr } from './measures/heldOutRidgeFloat32.ts';
import { AUTHORS_ZERO_STD_RATIO, authorsScriptAac, authorsScriptInput, numpySplitConstant, savetxtThenReadCsv, type AuthorsInput } from './measures/authorsScript.ts';
import { SplitStandardiser, forEachStandardisedBlock, keepNlrRows, nlrRowCaps, refuseNlrRowsBeyondMemory, standardisedGram } from './measures/standardisedRows.ts';
import { nullNlrDims, selectNlrDims } from './measures/nlrDims.ts';
import { ProgressReporter, estimateCost } from './measures/progress.ts';
import { heldOutMlpR2, type NlrHeadsResult } from './measures/nlr.ts';
import { countTrainingStates, type TrainingState } from './measures/mlpTraining.ts';
import { nullLrTargets, permutedColumns } from './measures/nullBaseline.ts';
import { adjustedInSampleR2, assessReliability } from './measures/reliability.ts';
import { VERSION } from './version.ts';
import { partialCorrelations, redundancyGroups } from './measures/redundancyGroups.ts';
import { expectedEpochs } from './estimate.ts';
import { partOf } from './shard/ranges.ts';
import type { FinishedNlrDims, RidgeRowSums } from './measures/types.ts';

/** A dim is dead when its std is 0 or below this fraction of the largest std (science.md). */
const DEAD_STD_RATIO = 1e-6;
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
  // on request only: raw embeddings go through their corr.py first; the script loses the first data row
  // (pandas header) and turns NaN into 0
  let authorsInput: AuthorsInput | null = authors ? (options.authorsInput ?? settings.authorsInput ?? null) : null;
  if (authors && !options.rowsPrepared) {
    const prepared = await authorsScriptInput(array, settings.authorsInput, Math.max(1, Math.floor((options.blockBytes ?? DEFAULT_BLOCK_BYTES) / (4 * Math.max(1, array.cols)))), signal);
    array = prepared.array;
    authorsInput = prepared.input;
  }
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
  // a part of a run split over SLURM tasks (core/shard): its statistics, LR sums or NLR heads may come from the tasks
  const sharded = options.sharded;
  if (sharded && precision !== 'float64') throw new RedundancyLabError('bad-option', 'split runs (shard) are float64 only');
  let t = now();
  let moments: SplitMoments;
  let scatter: SplitScatter;
  if (sharded?.statistics) {
    ({ moments, scatter } = sharded.statistics);
  } else {
    moments = await splitMeans(array, rows, fileName, scatterBlock, (done) => progress.report('read', done / n, `reading rows ${fmt(done)} of ${fmt(n)}`), signal);
    timingsMs.read = now() - t;
    t = now();
    scatter = await (precision === 'float32' ? splitScatterFloat32 : splitScatter)(array, rows, moments, scatterBlock, (done) => progress.report('gram', done / n, `Gram matrix ${Math.round((100 * done) / n)}%`), signal);
    timingsMs.gram = now() - t;
  }

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
  const aacResult = aacLive && authors ? { value: authorsScriptAac(pooled, moments, d), perDim: aacLive.perDim } : aacLive;
  // Spectra are optional extras whose unblocked (memory-bound) tridiagonalisation takes ~5 s each at D = 2048
  // and would take ~6 min at D = 8192: above SPECTRUM_MAX_D they are left out (null), not waited for.
  const spectra = extras && d <= (options.spectrumMaxD ?? SPECTRUM_MAX_D);
  const extrasProgress = (from: number, to: number) => (f: number) => progress.report('extras', from + (to - from) * f, 'correlation matrix, eigenvalues');
  const eigenvalues = spectra && live.length >= 1 ? symmetricEigenvalues(corrLive, live.length, extrasProgress(0, 0.4)) : null;
  const covEigen = spectra ? symmetricEigenvalues(scaleInPlace(pooled, 1 / n), d, extrasProgress(0.4, 0.8)) : null;
  const kept: { precision: Float64Array | null } = { precision: null }; // C⁻¹ (k × k): not kept through NLR
  const inv = extras && live.length >= 2 ? inverseExtras(corrLive, live.length, extrasProgress(0.8, 1), (m) => (kept.precision = m)) : null;
  // the partial correlations once: the groups' links and the heatmap's preview read the same matrix (k × k, not
  // kept through NLR either)
  let partial = kept.precision ? partialCorrelations(kept.precision, live.length) : null;
  kept.precision = null;
  const groups = extras ? redundancyGroups(corrLive, partial, live, n, d) : null;
  if (partial) options.onPartialCorrelationMatrix?.(partial, live, d);
  partial = null;
  timingsMs.extras = now() - t;
  throwIfCancelled(signal);

  // LR and NLR work on the usable dims, each split standardised with its own statistics.
  const selected = wants.has('nlr') ? selectNlrDims(settings.nlrDims, settings.nlrDimSeed, usable, d, fileName) : [];
  // an NLR task trains its part of the dims only
  const nlrTargets = sharded?.nlrSlice ? partOf(selected, sharded.nlrSlice.index, sharded.nlrSlice.count) : selected;
  // heads finished elsewhere: by the tasks of a split run, or by an earlier attempt at this job
  const givenHeads = sharded?.nlrHeads ?? options.nlrFinished;
  const givenDims = new Set(givenHeads?.dims ?? []);
  // the rows NLR trains on are kept only where a head is trained here (not by a ridge task)
  const keepsNlrRows = !sharded?.onRidgeSums && nlrTargets.some((dim) => !givenDims.has(dim));
  let taskRidgeSums: RidgeRowSums | null = null;
  let sliceHeads: FinishedNlrDims | null = null;
  const inverseStd = (std: Float64Array) => Float64Array.from(lrDims, (j) => (authors ? (isZero(std[j]) ? 0 : 1 / std[j]) : 1 / std[j]));
  const invStdTrain = inverseStd(stdTrain);
  const invStdTest = inverseStd(stdTest);
  // the script's per-split (x − mean) / (std + 1e-100) on a column constant in a split (as pandas read it): 0, or
  // a constant ~±1. sklearn centres the train split, so what reaches the held-out residual is the shift
  // (held-out constant − train constant) of each column.
  const readAs = authorsInput === 'raw' ? savetxtThenReadCsv : (v: number) => v;
  const splitConstant = (std: Float64Array, mean: Float64Array, count: number, j: number) => (isZero(std[j]) ? numpySplitConstant(readAs(mean[j]), count) : 0);
  const testShift = authors ? Float64Array.from(lrDims, (j) => splitConstant(stdTest, moments.meanTest, moments.nTest, j) - splitConstant(stdTrain, moments.meanTrain, moments.nTrain, j)) : null;
  const shiftedDims = testShift ? lrDims.filter((_, c) => testShift[c] !== 0) : [];
  let lrOut: RidgeOutcome | null = null;
  /** the dims lrOut's values belong to: lrDims, or the null copy's sample of them */
  let lrTargetDims = lrDims;
  let nlrRows: { train: Matrix; test: Matrix } | null = null;
  let lrAdjusted: Float64Array | null = null;
  if ((wants.has('lr') || nlrTargets.length > 0) && usable.length >= 2) {
    t = now();
    const standardiser = new SplitStandardiser(lrDims, moments, invStdTrain, invStdTest, shiftedDims.length ? testShift : null);
    const nlrCap = keepsNlrRows ? nlrRowCaps(settings.nlrRowCap, moments) : null;
    const lrProgress = (from: number, to: number) => (done: number) =>
      progress.report('lr', from + ((to - from) * done) / n, `LR: ridge residuals, rows ${fmt(done)} of ${fmt(n)}`);
    const trainGram = wants.has('lr') ? standardisedGram(scatter.train, d, lrDims, invStdTrain) : null;
    // the null baseline's copy reports LR only (no population estimate: one D³ inverse saved)
    lrAdjusted = trainGram && !authors && !options.nullCopy ? adjustedInSampleR2(trainGram, usable.length, moments.nTrain) : null;
    if (precision === 'float32') {
      const K = settings.ridgeAlphas.length;
      const onInverse = (a: number, f: number) => progress.report('lr', (0.5 * (a + f)) / K, `ridge inverse ${a + 1}/${K}`);
      const lr = await float32Lr(array, rows, standardiser, trainGram, scatter, lrDims, moments, settings, nlrCap, scatterBlock, onInverse, lrProgress(0.5, 1), signal);
      lrOut = lr.lrOut;
      nlrRows = lr.nlrRows;
    } else {
      const k = lrDims.length;
      // held-out SSE from the held-out Gram (2·D³ per α) where that is cheaper than the held-out rows (2·N_te·D²)
      const testGram = trainGram && moments.nTest >= k ? standardisedGram(scatter.test, d, lrDims, invStdTest) : null;
      if (testGram && testShift && shiftedDims.length) addShiftOuterProduct(testGram, testShift, k, moments.nTest);
      // the null baseline's copy: its seeded sample of targets (nullLrTargets), each exactly as the full ridge
      const targets = options.nullCopy ? nullLrTargets(k, settings.splitSeed) : null;
      if (targets) lrTargetDims = targets.map((c) => lrDims[c]);
      const topPredictors = targets ? 0 : (options.topPredictors ?? TOP_PREDICTORS);
      const ridge = trainGram ? new ExactRidge(trainGram, k, moments.nTrain, moments.nTest, settings.ridgeAlphas, testGram, topPredictors, targets ?? undefined) : null;
      const groups = ridge ? ridge.groups() : [[]];
      const K = settings.ridgeAlphas.length;
      const keep = nlrCap ? { train: new Float32Array(nlrCap.train * k), test: new Float32Array(nlrCap.test * k) } : null;
      // LR's sums over the rows: here (over sharded.rowSource when a task), or given by the tasks
      const feedRidge = ridge !== null && !sharded?.ridgeSums;
      const rowSource = sharded?.rowSource ?? array;
      for (const [g, group] of groups.entries()) {
        const share = 1 / groups.length;
        ridge?.prepareGroup(group, (a, f) =>
          progress.report('lr', g * share + 0.3 * share * (group.indexOf(a) + f) / group.length, `ridge inverse ${a + 1}/${K} (float64 ${fmt(k)}², ${(100 * f).toFixed(0)}%)`),
        );
        if (feedRidge || (g === 0 && keep)) {
          await forEachStandardisedBlock(feedRidge ? rowSource : array, rows, standardiser, scatterBlock, (z, count, isTest, splitRows, rowStart) => {
            if (ridge && feedRidge && !isTest) ridge.addTrainRows(z, count);
            if (ridge && feedRidge && isTest && ridge.needsTestRows()) ridge.addTestRows(z, count);
            if (g === 0 && keep && nlrCap) keepNlrRows(z, k, isTest ? keep.test : keep.train, isTest ? nlrCap.test : nlrCap.train, splitRows, rowStart, rows);
          }, lrProgress((g + 0.3) * share, (g + 1) * share), signal);
        }
        ridge?.finishGroup();
      }
      if (ridge && sharded?.onRidgeSums) taskRidgeSums = ridge.rowSums();
      if (ridge && sharded?.ridgeSums) ridge.addRowSums(sharded.ridgeSums);
      lrOut = ridge ? ridge.outcome() : null;
      nlrRows = keep && nlrCap ? { train: { rows: nlrCap.train, cols: k, data: keep.train }, test: { rows: nlrCap.test, cols: k, data: keep.test } } : null;
    }
    timingsMs.lr = now() - t;
  }

  const lrPerDim = lrOut ? scatterToOriginal(lrOut.r2, lrTargetDims, d) : null;
  /** The result from what is finished; `awaiting` names what is still to come (a provisional result, shown at once). */
  const assemble = (nlr: MeasureResult['nlr'], nullResult: MeasureResult | null, cancelledDuring: 'nlr' | 'null' | null, awaiting: ('nlr' | 'null')[]): MeasureResult => {
    const perDimValues = (p: PerDim | undefined) => (p ? p.filter((v): v is number => v !== null) : null);
    const lrResult = lrOut && lrPerDim ? { value: mean(Array.from(lrOut.r2)), perDim: lrPerDim, alphaPerDim: scatterToOriginal(lrOut.alpha, lrTargetDims, d), topPredictors: topPredictorsOriginal(lrOut, lrTargetDims, d) } : null;
    const reliability = assessReliability({
      usableDims: lrDims.length,
      nTrain: moments.nTrain,
      lr: lrResult,
      ridgeAlphas: settings.ridgeAlphas,
      nlr,
      lrNullPerDim: perDimValues(nullResult?.lr?.perDim),
      nlrNullPerDim: perDimValues(nullResult?.nlr?.perDim),
      nlrNullDims: nullResult?.nlr?.evaluatedDims ?? [],
      lrAdjustedPerDim: lrAdjusted ? scatterToOriginal(lrAdjusted, usable, d) : null,
    });

    return {
      file: fileName,
      array: array.name,
      n,
      d,
      deadDims,
      splitDegenerateDims: degenerate,
      ...(authorsInput ? { authorsScript: { input: authorsInput, shiftedDims } } : {}),
      nTrain: moments.nTrain,
      nTest: moments.nTest,
      aac: aacResult ? { value: aacResult.value, meanAbsCorrPerDim: scatterToOriginal(aacResult.perDim, live, d) } : null,
      lr: lrResult,
      nlr,
      reliability,
      extras: {
        inSampleR2: inv ? { value: mean(Array.from(inv.inSampleR2)), perDim: scatterToOriginal(inv.inSampleR2, live, d) } : null,
        rankMe: covEigen ? rankMe(covEigen) : null,
        alphaReq: covEigen ? alphaReq(covEigen) : null,
        covarianceEigenvalues: covEigen ? Array.from(covEigen) : null,
        gaussianTotalCorrelation: inv ? inv.gaussianTotalCorrelation : null,
        minEigenvalue: eigenvalues?.length ? eigenvalues[eigenvalues.length - 1] : null,
        eigenvalues: eigenvalues ? Array.from(eigenvalues) : null,
        redundancyGroups: groups,
      },
      settings,
      backend: options.backend ?? { name: tf.getBackend() as BackendName, detail: tf.getBackend(), skipped: [] },
      timingsMs,
      version: VERSION,
      ...(cancelledDuring ? { cancelled: { during: cancelledDuring } } : {}),
      ...(awaiting.length ? { provisional: { awaiting } } : {}),
    };
  };
  // a ridge task ends here: its rows' LR sums are its part
  if (sharded?.onRidgeSums) {
    sharded.onRidgeSums(taskRidgeSums);
    return assemble(null, null, null, []);
  }
  // AAC and LR are exact and final here: hand them over before the NLR and the null baseline (minutes on long runs)
  const willNull = (options.nullBaseline ?? true) && lrOut !== null;
  if (options.onExact && (nlrTargets.length > 0 || willNull)) {
    options.onExact(assemble(null, null, null, [...(nlrTargets.length > 0 ? (['nlr'] as const) : []), ...(willNull ? (['null'] as const) : [])]));
  }
  let nlr: MeasureResult['nlr'] = null;
  /** set when a cancel came after LR: what was finished is returned inside the CancelledError */
  let cancelledDuring: 'nlr' | 'null' | null = null;
  if (nlrTargets.length > 0 && usable.length >= 2 && (nlrRows || !keepsNlrRows)) {
    t = now();
    const compactIndex = new Map(lrDims.map((dim, i) => [dim, i]));
    // heads finished by an earlier attempt at this job (a lost device, a crashed worker) are not trained again
    interface KeptHead { r2: number; state: TrainingState; scoredEpoch: number; loss: number[]; monitor: number[] }
    const kept = new Map<number, KeptHead>();
    const earlier = givenHeads;
    earlier?.dims.forEach((dim, i) => {
      if (nlrTargets.includes(dim)) {
        kept.set(dim, { r2: earlier.heldOutR2[i], state: earlier.trainingState[i], scoredEpoch: earlier.scoredEpoch[i], loss: earlier.lossByEpoch[i], monitor: earlier.monitorByEpoch[i] });
      }
    });
    const toTrain = nlrTargets.filter((dim) => !kept.has(dim));
    const resumed = kept.size;
    const epochsExpected = expectedEpochs(settings.mlp);
    let heads: NlrHeadsResult | null = null;
    try {
      if (toTrain.length > 0 && nlrRows) {
        heads = await heldOutMlpR2(nlrRows.train, nlrRows.test, toTrain.map((dim) => compactIndex.get(dim)!), settings.mlp, {
          signal,
          onProgress: (p) =>
            progress.report(
              'nlr',
              (resumed + p.headsDone + Math.min(0.95, p.epoch / epochsExpected) * (p.lastHead - p.firstHead + 1)) / nlrTargets.length,
              `NLR dims ${resumed + p.firstHead + 1}–${resumed + p.lastHead + 1} of ${nlrTargets.length}, epoch ${p.epoch}${settings.mlp.earlyStopping ? ` (early stopping, ≤ ${p.epochs})` : `/${p.epochs}`}`,
            ),
          onHeadsFinished: (g) => {
            const dims = g.positions.map((pos) => toTrain[pos]);
            dims.forEach((dim, k) => kept.set(dim, { r2: g.heldOutR2[k], state: g.trainingState[k], scoredEpoch: g.scoredEpoch[k], loss: g.lossByEpoch[k], monitor: g.monitorByEpoch[k] }));
            options.onNlrHeads?.({ dims, heldOutR2: g.heldOutR2, trainingState: g.trainingState, scoredEpoch: g.scoredEpoch, lossByEpoch: g.lossByEpoch, monitorByEpoch: g.monitorByEpoch });
          },
        });
      }
    } catch (e) {
      // cancelled mid-NLR: keep AAC, LR and the heads already trained, as a partial NLR (labelled so)
      if (!(e instanceof CancelledError) || !e.partial) throw e;
      heads = e.partial as NlrHeadsResult;
      cancelledDuring = 'nlr';
    }
    const done = nlrTargets.filter((dim) => kept.has(dim));
    const perDim: PerDim = new Array(d).fill(null);
    const trainingStatePerDim: (TrainingState | null)[] = new Array(d).fill(null);
    const scoredEpochPerDim: PerDim = new Array(d).fill(null);
    for (const dim of done) {
      const head = kept.get(dim)!;
      perDim[dim] = head.r2;
      trainingStatePerDim[dim] = head.state;
      scoredEpochPerDim[dim] = head.scoredEpoch;
    }
    const minusLrPerDim = perDim.map((v, j) => (v !== null && lrPerDim?.[j] != null ? v - lrPerDim[j]! : null));
    const both = done.filter((dim) => minusLrPerDim[dim] !== null);
    const curves = done.map((dim) => kept.get(dim)!);
    sliceHeads = { dims: done, heldOutR2: curves.map((c) => c.r2), trainingState: curves.map((c) => c.state), scoredEpoch: curves.map((c) => c.scoredEpoch), lossByEpoch: curves.map((c) => c.loss), monitorByEpoch: curves.map((c) => c.monitor) };
    nlr = done.length === 0 ? null : {
      value: mean(done.map((dim) => perDim[dim]!)),
      perDim,
      minusLrPerDim,
      lrOnNlrDims: both.length ? mean(both.map((dim) => lrPerDim![dim]!)) : null,
      minusLr: both.length ? mean(both.map((dim) => minusLrPerDim[dim]!)) : null,
      evaluatedDims: done,
      training: countTrainingStates(trainingStatePerDim),
      trainingStatePerDim,
      scoredEpochPerDim,
      trainingMonitor: settings.mlp.earlyStopping ? 'validation' : 'held-out',
      meanTrainLossByEpoch: meanCurve(curves.map((c) => c.loss)),
      meanMonitorByEpoch: meanCurve(curves.map((c) => c.monitor)),
      gflop: (heads?.gflop ?? 0) + (sharded?.nlrHeads?.gflop ?? 0),
      ...(cancelledDuring ? { plannedDims: nlrTargets.length } : {}),
      ...(resumed > 0 && !sharded?.nlrHeads ? { reusedDims: done.filter((dim) => !toTrain.includes(dim)).length } : {}),
    };
    timingsMs.nlr = now() - t;
  }
  // an NLR task ends here: its heads are its part
  if (sharded?.nlrSlice) {
    if (cancelledDuring) throw new CancelledError(assemble(nlr, null, cancelledDuring, []));
    const none: FinishedNlrDims = { dims: [], heldOutR2: [], trainingState: [], scoredEpoch: [], lossByEpoch: [], monitorByEpoch: [] };
    sharded.nlrSlice.onHeads({ ...(sliceHeads ?? none), gflop: nlr?.gflop ?? 0 });
    return assemble(nlr, null, null, []);
  }
  // The null baseline: the same pipeline on a column-permuted copy (dependence destroyed, marginals kept).
  let nullResult: MeasureResult | null = null;
  const nlrNullDims = nlr ? nullNlrDims(nlr.evaluatedDims, settings.nlrDimSeed) : [];
  if ((options.nullBaseline ?? true) && lrOut && !cancelledDuring) {
    t = now();
    const nullSettings: MeasureSettings = {
      ...settings,
      measures: nlrNullDims.length ? ['lr', 'nlr'] : ['lr'],
      nlrDims: { kind: 'list', dims: nlrNullDims },
    };
    try {
      nullResult = await measureArray(permutedColumns(array, settings.splitSeed, undefined, scatterBlock), fileName, nullSettings, {
      signal,
      rowsPrepared: true,
      nullCopy: true,
      ...(authorsInput ? { authorsInput } : {}),
      precision,
      blockBytes: options.blockBytes,
      extras: false,
      nullBaseline: false,
      topPredictors: 0,
      backend: options.backend,
      sharded: sharded?.null,
      onProgress: (p) => progress.report('null', p.fraction, `null baseline (column-permuted copy): ${p.message}`),
      });
    } catch (e) {
      if (!(e instanceof CancelledError)) throw e;
      cancelledDuring = 'null'; // the measurement itself is complete; only its null baseline is missing
    }
    timingsMs.null = now() - t;
    // where the null's time went (its own read, Gram, LR), to compare the page with the CLI
    for (const stage of ['read', 'gram', 'lr'] as const) {
      const ms = nullResult?.timingsMs[stage];
      if (ms !== undefined) timingsMs[`null${stage[0].toUpperCase()}${stage.slice(1)}`] = ms;
    }
  }
  timingsMs.total = now() - t0;
  if (!cancelledDuring) progress.report('done', 1, 'done');
  const result = assemble(nlr, nullResult, cancelledDuring, []);
  if (cancelledDuring) throw new CancelledError(result);
  return result;
}

function validateShape(array: ArrayHandle, fileName: string): void {
  const what = `array ${array.name ? `'${array.name}' ` : ''}has shape (${array.shape.join(', ')})`;
  if (array.shape.length < 2) {
    throw new RedundancyLabError('bad-shape', `${what}; embeddings need 2 dimensions (samples × dims) — a 1-D array looks like labels`, fileName);
  }
  if (array.rows < 8) throw new RedundancyLabError('bad-shape', `${what}: ${array.rows} rows are too few to split 75/25 and measure; use at least 8 samples (hundreds for meaningful numbers)`, fileName);
  if (array.cols < 2) throw new RedundancyLabError('bad-shape', `${what}: redundancy needs at least 2 dims`, fileName);
}

function diagStd(s: Float64Array, d: number, count: number): Float64Array {
  return Float64Array.from({ length: d }, (_, j) => Math.sqrt(Math.max(s[j * d + j], 0) / count));
}

function scaleInPlace(a: Float64Array, factor: number): Float64Array {
  for (let i = 0; i < a.length; i++) a[i] *= factor;
  return a;
}

/** The ridge's top predictors with usable-column indices turned into original dims; null where a dim has no LR. */
function topPredictorsOriginal(out: RidgeOutcome, dims: number[], d: number): NonNullable<MeasureResult['lr']>['topPredictors'] {
  if (!out.topPredictors) return null;
  const perDim: ({ dim: number; coef: number; partialCorr: number }[] | null)[] = new Array(d).fill(null);
  out.topPredictors.forEach((list, i) => {
    perDim[dims[i]] = list.map((p) => ({ dim: dims[p.dim], coef: p.coef, partialCorr: p.partialCorr }));
  });
  return perDim;
}

function scatterToOriginal(values: ArrayLike<number>, dims: number[], d: number): PerDim {
  const out: PerDim = new Array(d).fill(null);
  dims.forEach((dim, i) => (out[dim] = values[i]));
  return out;
}

/** Per epoch, the mean over the curves that reach it (heads stopped early have shorter curves). */
function meanCurve(curves: number[][]): number[] {
  const length = Math.max(0, ...curves.map((c) => c.length));
  return Array.from({ length }, (_, e) => {
    const reaching = curves.filter((c) => c.length > e);
    return reaching.reduce((sum, c) => sum + c[e], 0) / reaching.length;
  });
}

const range = (k: number) => Array.from({ length: k }, (_, i) => i);
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const now = () => performance.now();
const fmt = (x: number) => x.toLocaleString('en-US');

export type { BackendInfo };
export { NLR_ROWS_MAX_BYTES } from './measures/standardisedRows.ts';
export { selectNlrDims } from './measures/nlrDims.ts';

/** Z_teᵀZ_te of held-out rows shifted by s (their centred Gram G): G + n·s sᵀ (the cross terms sum to zero). */
function addShiftOuterProduct(gram: Float64Array, s: Float64Array, k: number, n: number): void {
  for (let a = 0; a < k; a++) if (s[a] !== 0) for (let b = 0; b < k; b++) gram[a * k + b] += n * s[a] * s[b];
}
