/**
 * How long a job will take, before it runs: the work of each stage of `measureArray` (and of the probe)
 * counted by where it runs, times a machine's rates.
 *
 * Where the work runs (measure.ts): the Gram matrices, the ridge inverses and the ridge products Z·M of AAC and
 * LR run in float64 through the WebAssembly SIMD kernel on the CPU (`float64` FLOPs), on every backend alike; the
 * eigenvalue extras are memory-bound scalar JavaScript (`scalar` FLOPs); NLR's MLPs and the probe train on the
 * tfjs backend (`backend` FLOPs); every pass over the file streams N·D values (`values`). A machine's rates are
 * the float64 kernel's GFLOP/s and the backend's matMul GFLOP/s (the worker times both once per backend); the
 * efficiencies below turn those peak rates into what each kind of work reaches (npm run bench; docs/performance.md).
 *
 * Pure: no tfjs, no DOM — the page computes estimates with it (through lite.ts).
 */
import type { BackendName } from './compute/backend.ts';
import { nullLrTargetCount } from './measures/nullBaseline.ts';
import { SPECTRUM_MAX_D, type MeasureSettings, type Progress } from './measures/types.ts';

/** A machine's speed, as the worker measured it (or typical values until it has). */
export interface MachineRates {
  /** GFLOP/s of the float64 WebAssembly SIMD kernel (gemmNT) — Gram, ridge products, inverses */
  float64Gflops: number;
  /** GFLOP/s of a plain float32 matMul on the tfjs backend — NLR and the probe */
  backendGflops: number;
  /** the backend those were measured on */
  backend: BackendName;
  /** false: typical values of a 2-core laptop-class CPU (WASM), not measured on this machine */
  measured: boolean;
}

/** Typical rates (a 2-core laptop-class CPU on WASM: docs/performance.md), used until this machine's are measured. */
export const TYPICAL_RATES: MachineRates = { float64Gflops: 10, backendGflops: 15, backend: 'wasm', measured: false };

/** Work of one stage, by where it runs. */
export interface Work {
  /** FLOPs through the float64 kernel */
  float64: number;
  /** FLOPs of scalar, memory-bound float64 JavaScript (the eigenvalue extras) */
  scalar: number;
  /** FLOPs of NLR training and prediction on the backend */
  nlr: number;
  /** FLOPs of the linear probe on the backend */
  probe: number;
  /** values (N·D per pass) read from the file and converted */
  values: number;
  /** NLR optimiser steps (one per batch per epoch per head group): each costs a fixed dispatch overhead */
  steps: number;
}

export type Stage = Progress['stage'];
export type WorkByStage = Record<Stage, Work>;

/** Fractions of the measured peak rates each kind of work reaches (bench tables in docs/performance.md). */
export const EFFICIENCY = {
  /** blocked Cholesky inverse, Gram and Z·M products (with their element-wise leave-one-out terms) */
  float64: 0.65,
  /** the eigenvalue tridiagonalisation runs memory-bound, ~20× under the kernel */
  scalar: 0.05,
  /** one NLR head per batch at the paper's batch of 512 (the timed 384² matMul reads its result back: NLR does not) */
  nlr: 1.05,
  /** the probe's full-batch products */
  probe: 1,
} as const;

/** Values per second one pass over a file streams (read, convert, split), whatever the backend. */
export const VALUES_PER_SECOND = 150e6;
/** Fixed cost of one NLR optimiser step on a CPU backend (tfjs op dispatch), seconds; GPUs: GPU_STEP_SECONDS. */
export const CPU_STEP_SECONDS = 1e-3;
export const GPU_STEP_SECONDS = 2e-3;

/** The probe's fixed protocol (linearProbe.ts DEFAULT_PROBE_SETTINGS, probe.ts DEFAULT_PROBE_RUN; a unit test keeps them equal). */
export const PROBE_PROTOCOL = { steps: 200, lambdas: 5, validationFraction: 0.2, rowCap: 50_000 } as const;

/** How many heads NLR trains for `d` dims (all of them usable). */
export function nlrHeadCount(d: number, s: MeasureSettings): number {
  if (!s.measures.includes('nlr')) return 0;
  const sel = s.nlrDims;
  switch (sel.kind) {
    case 'all':
      return d;
    case 'fraction':
      return Math.max(1, Math.min(d, Math.round(sel.fraction * d)));
    case 'count':
      return Math.max(1, Math.min(d, sel.count));
    case 'list':
      return new Set(sel.dims.filter((j) => Number.isInteger(j) && j >= 0 && j < d)).size;
  }
}

/** sklearn's split sizes: ceil(t·N) held out. */
export function splitSizes(n: number, testFraction: number): { nTrain: number; nTest: number } {
  const nTest = Math.ceil(testFraction * n);
  return { nTrain: n - nTest, nTest };
}

/** The rows NLR trains and scores on (standardisedRows.ts nlrRowCaps; a unit test keeps them equal). */
export function nlrRows(cap: number | null, nTrain: number, nTest: number): { train: number; test: number } {
  if (cap === null || cap >= nTrain + nTest) return { train: nTrain, test: nTest };
  const test = Math.max(2, Math.round((cap * nTest) / (nTrain + nTest)));
  return { train: Math.max(2, cap - test), test };
}

/**
 * MLP FLOPs (multiply and add counted separately) of the matMuls, for `heads` heads on `rows` rows; element-wise ops
 * not counted. A training step does the forward pass, W1's gradient (no input gradient), and both gradients of every
 * later layer. The one definition: NLR's reported GFLOP (mlpHeads.ts re-exports it as mlpFlops) and the estimate.
 */
export function mlpFlopCount(inputs: number, hidden: readonly number[], heads: number, rows: number): { forward: number; train: number } {
  const sizes = [...hidden, 1];
  let later = 0;
  for (let l = 1; l < sizes.length - 1; l++) later += sizes[l - 1] * sizes[l];
  const last = sizes[sizes.length - 2];
  const first = inputs * sizes[0];
  const unit = 2 * rows * heads;
  return { forward: unit * (first + later + last), train: unit * (2 * first + 3 * later + 2.5 * last) };
}

const none = (): Work => ({ float64: 0, scalar: 0, nlr: 0, probe: 0, values: 0, steps: 0 });

function add(a: Work, b: Work): Work {
  return { float64: a.float64 + b.float64, scalar: a.scalar + b.scalar, nlr: a.nlr + b.nlr, probe: a.probe + b.probe, values: a.values + b.values, steps: a.steps + b.steps };
}

export function emptyWork(): WorkByStage {
  return { read: none(), stats: none(), gram: none(), extras: none(), lr: none(), nlr: none(), null: none(), probe: none(), done: none() };
}

/** Sum of a job's work over its stages. */
export function totalWork(w: WorkByStage): Work {
  return (Object.values(w) as Work[]).reduce(add, none());
}

export interface MeasureCostOptions {
  /** the null baseline (a column-permuted copy through the same pipeline); default true, as measureArray */
  nullBaseline?: boolean;
  /** the eigenvalue and inverse extras; default true */
  extras?: boolean;
  spectrumMaxD?: number;
  /** NLR heads for the null baseline (internal: measureArray passes its own) */
  nlrHeads?: number;
  /** LR targets of the null baseline's copy (nullLrTargets); default all D */
  lrTargets?: number;
}

/**
 * The work of `measureArray` on an N × D array with these settings, stage by stage (all dims taken as usable:
 * dead dims only make it cheaper).
 */
export function measureWork(n: number, d: number, s: MeasureSettings, options: MeasureCostOptions = {}): WorkByStage {
  const w = emptyWork();
  const { nTrain, nTest } = splitSizes(n, s.testFraction);
  const K = s.ridgeAlphas.length;
  const wantsLr = s.measures.includes('lr');
  const heads = options.nlrHeads ?? nlrHeadCount(d, s);
  // pass 1 (means) and pass 2 (the centred scatter: the lower triangle of each split's Gram, n·d² FLOPs)
  w.read.values = n * d;
  w.gram.values = n * d;
  w.gram.float64 = n * d * d;
  // the correlation matrix, two eigenvalue problems ((4/3)·D³ each) up to SPECTRUM_MAX_D, one SPD inverse (D³)
  if (options.extras ?? true) {
    if (d <= (options.spectrumMaxD ?? SPECTRUM_MAX_D)) w.extras.scalar = 2 * (4 / 3) * d ** 3;
    w.extras.float64 = d ** 3 + 2 * d * d;
  }
  if (wantsLr || heads > 0) {
    // pass 3 over the standardised rows: once per group of α maps that fit 256 MiB
    const perGroup = Math.max(1, Math.floor((256 * 2 ** 20) / (8 * d * d)));
    const passes = wantsLr ? Math.ceil(K / perGroup) : 1;
    w.lr.values = passes * n * d;
    if (wantsLr) {
      const testGram = nTest >= d;
      // per α: (G + αI)⁻¹ (D³), with the held-out Gram G_te·M (2·D³); Z·M over the train rows (2·N_tr·D²) and its
      // leave-one-out terms (~4·N_tr·D), or over the held-out rows (2·N_te·D²) when N_te < D
      const t = options.lrTargets ?? d;
      w.lr.float64 =
        t < d
          ? // the null's sample of t targets: the factor Y (2/3·D³), M's t rows (2·t·D²), the held-out SSE (2·t·D² or
            // 2·N_te·D·t), the triangular Z·Y for the leverage (≈ N_tr·D², zero slices skipped in 256-wide steps) and
            // Q_S (2·N_tr·D·t)
            K * ((2 / 3) * d ** 3 + 2 * t * d * d + (testGram ? 2 * t * d * d : 2 * nTest * d * t) + nTrain * d * (d + 256) + 2 * nTrain * d * t + 4 * nTrain * t)
          : K * (d ** 3 + (testGram ? 2 * d ** 3 : 2 * nTest * d * d) + 2 * nTrain * d * d + 4 * nTrain * d);
    }
  }
  if (heads > 0) {
    const rows = nlrRows(s.nlrRowCap, nTrain, nTest);
    const { hidden, batchSize } = s.mlp;
    const early = s.mlp.earlyStopping;
    // nlr.ts: with early stopping a validation part of the train rows is watched, not trained on; else the held-out rows
    const epochs = expectedEpochs(s.mlp);
    const valRows = early ? Math.ceil(early.validationFraction * rows.train) : 0;
    const fitRows = rows.train - valRows;
    const train = mlpFlopCount(d, hidden, heads, fitRows).train;
    const watch = mlpFlopCount(d, hidden, heads, early ? valRows : rows.test).forward;
    const predict = mlpFlopCount(d, hidden, heads, rows.test).forward;
    w.nlr.nlr = epochs * (train + watch) + predict;
    // one head per batch on CPUs; GPUs batch heads, but a step's fixed cost is counted per head here (an upper bound)
    w.nlr.steps = heads * epochs * Math.ceil(fitRows / Math.max(1, batchSize));
  }
  if ((options.nullBaseline ?? true) && wantsLr) {
    const nullHeads = Math.min(heads, 4); // nlrDims.ts NLR_NULL_DIMS
    const copy = measureWork(n, d, { ...s, measures: nullHeads ? ['lr', 'nlr'] : ['lr'], nlrDims: { kind: 'count', count: nullHeads } }, { nullBaseline: false, extras: false, nlrHeads: nullHeads, lrTargets: nullLrTargetCount(d) });
    w.null = totalWork(copy);
    // the permuted copy is shuffled column by column on every pass (3 passes): random access, ~4× a streamed value
    w.null.values += 3 * 4 * n * d;
  }
  return w;
}

/**
 * Epochs an NLR head is expected to run: all of them without early stopping; with it, the best epoch (seen at 1–45
 * on planted and real data with Adam lr 1e-3, batch 128: docs/science.md) plus the patience, within the cap.
 */
export const EXPECTED_BEST_EPOCH = 30;
export function expectedEpochs(mlp: MeasureSettings['mlp']): number {
  return mlp.earlyStopping ? Math.min(mlp.epochs, EXPECTED_BEST_EPOCH + mlp.earlyStopping.patience) : mlp.epochs;
}

/** The linear probe's work (probe.ts: 200 full-batch Adam steps for 5 λ at once, then the refit), for `classes` classes. */
export function probeWork(n: number, d: number, testFraction: number, classes = 10): WorkByStage {
  const w = emptyWork();
  const { nTrain } = splitSizes(n, testFraction);
  const train = Math.min(nTrain, Math.round(PROBE_PROTOCOL.rowCap * (1 - testFraction)));
  const nFit = Math.round(train * (1 - PROBE_PROTOCOL.validationFraction));
  // per step: logits X·W and the gradient Xᵀ(P − Y), 2·rows·D·width each
  w.probe.probe = PROBE_PROTOCOL.steps * 4 * d * classes * (nFit * PROBE_PROTOCOL.lambdas + train);
  w.probe.values = n * d;
  return w;
}

/**
 * What NLR reaches of the timed matMul's rate: EFFICIENCY.nlr at the paper's batch of 512, less for small batches
 * (a step's products [batch × D]·[D × 128] are thinner); the fixed cost of a step is counted apart (CPU_STEP_SECONDS).
 */
export function nlrEfficiency(batchSize: number): number {
  return (EFFICIENCY.nlr * (1 + 64 / 512) * batchSize) / (batchSize + 64);
}

/** Seconds `w` takes at `rates`. `batchSize`: the MLP's batch (NLR efficiency). */
export function workSeconds(w: Work, rates: MachineRates, batchSize = 512): number {
  const gpu = rates.backend === 'webgpu' || rates.backend === 'webgl';
  const f64 = Math.max(1e-3, rates.float64Gflops) * 1e9;
  const be = Math.max(1e-3, rates.backendGflops) * 1e9;
  return (
    w.float64 / (f64 * EFFICIENCY.float64) +
    w.scalar / (f64 * EFFICIENCY.scalar) +
    w.nlr / (be * nlrEfficiency(batchSize)) +
    w.probe / (be * EFFICIENCY.probe) +
    w.values / VALUES_PER_SECOND +
    w.steps * (gpu ? GPU_STEP_SECONDS : CPU_STEP_SECONDS)
  );
}

/** Seconds per stage. */
export function stageSeconds(w: WorkByStage, rates: MachineRates, batchSize = 512): Record<Stage, number> {
  const out = {} as Record<Stage, number>;
  for (const stage of Object.keys(w) as Stage[]) out[stage] = workSeconds(w[stage], rates, batchSize);
  return out;
}

/** Estimated seconds of measuring an N × D array with these settings on a machine with these rates. */
export function measureSeconds(n: number, d: number, s: MeasureSettings, rates: MachineRates = TYPICAL_RATES): number {
  return workSeconds(totalWork(measureWork(n, d, s)), rates, s.mlp.batchSize);
}

/** Estimated seconds of the linear probe on an N × D array. */
export function probeSeconds(n: number, d: number, testFraction: number, rates: MachineRates = TYPICAL_RATES, classes = 10): number {
  return workSeconds(totalWork(probeWork(n, d, testFraction, classes)), rates);
}

/** An array to measure: rows × dims. */
export interface Shape {
  n: number;
  d: number;
}

/** Estimated seconds of measuring each of these arrays in turn with the same settings. */
export function jobSeconds(shapes: readonly Shape[], s: MeasureSettings, rates: MachineRates = TYPICAL_RATES): number {
  return shapes.reduce((t, { n, d }) => t + measureSeconds(n, d, s, rates), 0);
}

/** The largest integer in [lo, hi] for which `fits` holds (fits is monotone: true up to some point); lo − 1 if none. */
function largestFitting(lo: number, hi: number, fits: (x: number) => boolean): number {
  if (hi < lo || !fits(lo)) return lo - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The most NLR dims (a seeded sample, the same count for every array) that keep the job within `seconds`, below
 * what the settings train now; 0 when even one dim does not fit or the settings train no more than that.
 */
export function nlrDimsWithin(shapes: readonly Shape[], s: MeasureSettings, rates: MachineRates, seconds: number): number {
  const now = Math.max(0, ...shapes.map(({ d }) => nlrHeadCount(d, s)));
  const withCount = (count: number): MeasureSettings => ({ ...s, nlrDims: { kind: 'count', count } });
  return Math.max(0, largestFitting(1, now - 1, (count) => jobSeconds(shapes, withCount(count), rates) <= seconds));
}

/**
 * The largest NLR row cap (a round number, at least `minRows`, below the rows NLR uses now) that keeps the job within
 * `seconds`; null when none does.
 */
export function nlrRowCapWithin(shapes: readonly Shape[], s: MeasureSettings, rates: MachineRates, seconds: number, minRows = 500): number | null {
  const now = Math.max(0, ...shapes.map(({ n }) => Math.min(n, s.nlrRowCap ?? n)));
  const cap = largestFitting(minRows, now - 1, (c) => jobSeconds(shapes, { ...s, nlrRowCap: c }, rates) <= seconds);
  if (cap < minRows) return null;
  // a round number a person would type
  const step = cap >= 10_000 ? 1000 : cap >= 1000 ? 100 : 50;
  return Math.max(minRows, Math.floor(cap / step) * step);
}
