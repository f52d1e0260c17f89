import type { BackendInfo } from '../compute/backend.ts';
import type { TrainingCounts, TrainingState } from './mlpTraining.ts';
import type { RedundancyGroups } from './redundancyGroups.ts';

export type { TrainingCounts, TrainingState } from './mlpTraining.ts';

export type MeasureName = 'aac' | 'lr' | 'nlr';

/** Which dimensions NLR trains a head for (indices are original dimension indices). */
export type NlrDimSelection =
  | { kind: 'all' }
  | { kind: 'fraction'; fraction: number } // seeded random fraction, like the authors' 20%
  | { kind: 'count'; count: number } // seeded random count
  | { kind: 'list'; dims: number[] };

export interface MlpSettings {
  /** hidden layer widths; the paper: [128, 64] */
  hidden: number[];
  epochs: number;
  learningRate: number;
  batchSize: number;
  /** 'sgd' = the paper (plain SGD, no momentum); 'adam' = the better-trained, labelled preset */
  optimizer: 'sgd' | 'adam';
  /** seed for the weight init (and for the validation rows when stopping early) */
  seed: number;
  /**
   * Absent or null: train `epochs` epochs and score the last weights (the paper). Set: hold a seeded
   * `validationFraction` of the train split out of training, stop a head once its validation loss has not
   * improved for `patience` epochs, score its best-on-validation weights; `epochs` is then a cap.
   * The held-out split chooses nothing either way.
   */
  earlyStopping?: EarlyStopping;
}

export interface EarlyStopping {
  validationFraction: number;
  patience: number;
}

export interface MeasureSettings {
  measures: MeasureName[];
  /** random_state of sklearn's train_test_split (NumPy legacy MT19937 permutation) */
  splitSeed: number;
  /** fraction of rows held out; the paper: 0.25 */
  testFraction: number;
  /** RidgeCV's alpha grid (sklearn scale: penalty on a sum over samples) */
  ridgeAlphas: number[];
  nlrDims: NlrDimSelection;
  /** seed for picking a random subset of NLR dims */
  nlrDimSeed: number;
  mlp: MlpSettings;
  /** cap on rows used (a seeded row sample) for NLR only; null = all rows */
  nlrRowCap: number | null;
  /**
   * Absent or 'corrected' (default): dead and split-degenerate dims excluded, every row used.
   * 'authors-script': the released script's quirks, to match a published number (docs/science.md):
   * the first row dropped, NaN → 0, dead dims as zero columns (LR R² = 1, |r| = 0 pairs in AAC),
   * split-degenerate dims kept as inputs and targets.
   */
  protocol?: 'corrected' | 'authors-script';
  /**
   * With 'authors-script' only: what the file is to their pipeline. 'raw' (embeddings: their corr.py z-scores
   * them in float32 and writes them with np.savetxt before the script reads them), 'standardised' (their
   * data_standardized.csv: the script reads it as it is); absent = decided from the file (authorsScript.ts,
   * looksStandardised).
   */
  authorsInput?: 'raw' | 'standardised';
}

export const PAPER_SETTINGS: MeasureSettings = {
  measures: ['aac', 'lr', 'nlr'],
  splitSeed: 0,
  testFraction: 0.25,
  ridgeAlphas: [1e-3, 1e-2, 1e-1, 1, 10],
  nlrDims: { kind: 'all' },
  nlrDimSeed: 0,
  mlp: { hidden: [128, 64], epochs: 100, learningRate: 0.01, batchSize: 512, optimizer: 'sgd', seed: 0 },
  nlrRowCap: null,
};

/** A per-dimension array indexed by the ORIGINAL dimension; null where not evaluated. */
export type PerDim = (number | null)[];

export interface Progress {
  /** machine-readable stage */
  stage: 'read' | 'stats' | 'gram' | 'lr' | 'nlr' | 'null' | 'extras' | 'probe' | 'done';
  /** 0..1 within the whole job */
  fraction: number;
  /** human-readable, e.g. "NLR dims 37–64 of 512, epoch 55/100" */
  message: string;
}

export interface RunOptions {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** what selectBackend() returned; recorded in the result */
  backend?: BackendInfo;
  /**
   * Receives the correlation matrix of the live dims (k×k, float64, row-major) once it exists,
   * with their original indices — for heatmaps, without putting a D×D matrix in the result.
   */
  onCorrelationMatrix?: (corr: Float64Array, liveDims: number[], d: number) => void;
  /** the same for the partial correlations −P_ij/√(P_ii P_jj), P = C⁻¹ (not called where C is singular) */
  onPartialCorrelationMatrix?: (partial: Float64Array, liveDims: number[], d: number) => void;
  /** eigenvalue extras only up to this D (default SPECTRUM_MAX_D) */
  spectrumMaxD?: number;
  /**
   * Memory budget for one block of rows read from the file (bytes; default 64 MiB). Rows stream
   * through in blocks of this size, so memory is O(block·D + D²), not O(N·D) — except the rows
   * NLR trains on (cap them with settings.nlrRowCap).
   */
  blockBytes?: number;
  /**
   * 'float64' (default): AAC's and LR's Gram matrices, inverses and ridge products in float64 — exact.
   * 'float32': the previous path (float32 products on the compute backend), kept only for the benchmark's
   * comparison; wrong by whole units on single dims when D/N_train is not small (docs/science.md).
   */
  precision?: 'float64' | 'float32';
  /** measure the null baseline (a column-permuted copy through the same pipeline); default true */
  nullBaseline?: boolean;
  /** the eigenvalue and inverse extras (RankMe, spectrum, in-sample R², total correlation); default true */
  extras?: boolean;
  /** LR's strongest predictors kept per dim (`lr.topPredictors`); default TOP_PREDICTORS (5), 0 for none */
  topPredictors?: number;
  /**
   * NLR heads an earlier attempt at the same job finished (original dims): not trained again. With the same
   * file, settings and backend the result equals an uninterrupted run's (heads do not depend on each other).
   */
  nlrFinished?: FinishedNlrDims;
  /** receives each group of NLR heads as it finishes (to pass back as nlrFinished if the job dies later) */
  onNlrHeads?: (heads: FinishedNlrDims) => void;
  /** receives a provisional result (AAC, LR, extras; `provisional` set) once they are final, before NLR and the null */
  onExact?: (partial: MeasureResult) => void;
  /** internal: the rows were already prepared for settings.protocol (the null baseline's permuted copy) */
  rowsPrepared?: boolean;
  /** internal: this run is the null baseline's copy: LR on its seeded sample of dims (nullLrTargets), no lrAdjusted */
  nullCopy?: boolean;
  /** one part of a measurement split over SLURM tasks (core/shard): what is given instead of read, and where to stop */
  sharded?: ShardedRun;
  /** internal, with rowsPrepared: what the prepared rows were to the authors' pipeline */
  authorsInput?: 'raw' | 'standardised';
}

/** The per-split statistics passes 1–2 produce: counts, means and centred scatter matrices. */
export interface SplitStatistics {
  moments: { nTrain: number; nTest: number; meanTrain: Float64Array; meanTest: Float64Array };
  scatter: { train: Float64Array; test: Float64Array };
}

/** LR's sums over the rows (K α × k usable dims each): LOO squared errors, and the held-out SSE when read from rows. */
export interface RidgeRowSums {
  loo: Float64Array;
  /** null where the held-out SSE comes from the held-out Gram (no held-out rows needed) */
  heldOut: Float64Array | null;
}

/**
 * A measurement run whose passes over the rows happen elsewhere (the tasks of a SLURM array) or only over some
 * rows. The math is measureArray's own; this says which of its inputs are given and where a task stops.
 */
export interface ShardedRun {
  /** passes 1–2 merged from the tasks: no pass over the rows for them */
  statistics?: SplitStatistics;
  /** the rows LR's pass reads (a task's row range); default all */
  rowSource?: import('../io/types.ts').ArrayHandle;
  /** LR's row sums merged from the tasks: no pass over the rows for LR */
  ridgeSums?: RidgeRowSums;
  /** a ridge task: receives its rows' sums (null when LR is not run), then the run stops */
  onRidgeSums?: (sums: RidgeRowSums | null) => void;
  /** an NLR task: trains slice `index` of `count` of the NLR dims, hands them over, then the run stops */
  nlrSlice?: { index: number; count: number; onHeads: (heads: FinishedNlrDims & { gflop: number }) => void };
  /** NLR heads merged from the tasks: none trained here (and not reported as reused) */
  nlrHeads?: FinishedNlrDims & { gflop: number };
  /** the null baseline's own part (its run is the same pipeline on the column-permuted copy) */
  null?: ShardedRun;
}

/** Finished NLR heads, by original dim: held-out R², training read-out and the per-epoch curves of each. */
export interface FinishedNlrDims {
  dims: number[];
  heldOutR2: number[];
  trainingState: TrainingState[];
  /** 1-based epoch whose weights were scored */
  scoredEpoch: number[];
  /** per head: mean training loss per epoch (as many entries as epochs run) */
  lossByEpoch: number[][];
  /** per head: 1 − R² on the watched split (validation, else held-out) after each epoch */
  monitorByEpoch: number[][];
}

export interface NlrResult {
  value: number;
  perDim: PerDim;
  /** NLR − LR per original dim (null where either is missing) */
  minusLrPerDim: PerDim;
  /** mean LR over the NLR dims (the dims NLR − LR is taken over) */
  lrOnNlrDims: number | null;
  /** "NLR − LR on the NLR dims": NLR minus lrOnNlrDims, both over the same dims */
  minusLr: number | null;
  evaluatedDims: number[];
  /**
   * What each head's learning curve says (mlpTraining.ts): counts over the evaluated dims; null on results saved
   * by versions that judged training by the training loss alone.
   */
  training: TrainingCounts | null;
  /** per original dim: 'under-trained' | 'over-fitted' | 'settled'; null where not evaluated (all null: older save) */
  trainingStatePerDim: (TrainingState | null)[] | null;
  /** per original dim: the 1-based epoch whose weights were scored (the best on validation when stopping early) */
  scoredEpochPerDim: PerDim | null;
  /** the split the learning curves were watched on: 'validation' (part of the train split) or 'held-out' */
  trainingMonitor: 'validation' | 'held-out' | null;
  /** per epoch, mean over the heads still training: training loss, and 1 − R² on the watched split */
  meanTrainLossByEpoch: number[];
  meanMonitorByEpoch: number[];
  gflop: number;
  /** present when the run was cancelled mid-NLR: how many dims were planned (evaluatedDims holds those finished) */
  plannedDims?: number;
  /** dims whose heads an earlier attempt at this job had finished (a reload, a cancel, a lost device): taken, not retrained */
  reusedDims?: number;
}

export interface MeasureResult {
  file: string;
  array: string;
  n: number;
  d: number;
  deadDims: number[];
  splitDegenerateDims: number[];
  /**
   * protocol 'authors-script' only: what the file was to their pipeline ('raw': through corr.py first) and the
   * dims whose column, constant inside one split, the script's per-split standardisation turned into a
   * non-zero constant (pandas read the constant an ulp off; docs/science.md, "The authors' whole pipeline").
   */
  authorsScript?: { input: 'raw' | 'standardised'; shiftedDims: number[] };
  nTrain: number;
  nTest: number;
  aac: { value: number; meanAbsCorrPerDim: PerDim } | null;
  lr: {
    value: number;
    perDim: PerDim;
    /** RidgeCV's chosen alpha per dim */
    alphaPerDim: PerDim;
    /**
     * Per original dim (null where it has no LR): its inputs with the largest |standardised ridge coefficient| at
     * its chosen α, sorted by |coef|; dims are original indices. Null in results saved before it existed.
     */
    topPredictors: ({ dim: number; coef: number; partialCorr: number }[] | null)[] | null;
  } | null;
  nlr: NlrResult | null;
  /** how far to trust the numbers: null baseline, population estimate, warnings (null: saved by an older version) */
  reliability: Reliability | null;
  extras: {
    /** 1 − 1/(C⁻¹)_ii on all rows: IN-SAMPLE OLS R² (optimistic), not the headline LR */
    inSampleR2: { value: number; perDim: PerDim } | null;
    rankMe: number | null;
    /** α-ReQ: power-law decay of the covariance eigenvalues over ranks 6–100, as reptrix fits it (null: see alphaReq) */
    alphaReq: number | null;
    /** −½ log det C over live dims (nats) */
    gaussianTotalCorrelation: number | null;
    minEigenvalue: number | null;
    /** eigenvalues of the covariance matrix of the centred data (all D dims), descending: what RankMe and α-ReQ read (null: not computed, or saved before it was kept) */
    covarianceEigenvalues?: number[] | null;
    /** eigenvalues of the correlation matrix of live dims, descending */
    eigenvalues: number[] | null;
    /** which dims are redundant with which (measures/redundancyGroups.ts); null without extras or in older saves */
    redundancyGroups: RedundancyGroups | null;
  };
  settings: MeasureSettings;
  backend: BackendInfo;
  timingsMs: Record<string, number>;
  version: string;
  /**
   * Present when the user cancelled after LR: what was finished is kept — during 'nlr' the NLR over the dims
   * trained so far (nlr.plannedDims says how many were planned), during 'null' everything but the null baseline.
   */
  cancelled?: { during: 'nlr' | 'null' };
  /**
   * Present on the provisional result a run hands over as soon as AAC and LR are final (RunOptions.onExact): what is
   * still being measured. The final result has none.
   */
  provisional?: { awaiting: ('nlr' | 'null')[] };
}

/** Largest D whose eigenvalue extras (RankMe, the correlation spectrum) are computed: above it they are null. */
export const SPECTRUM_MAX_D = 4096;

// ---------------------------------------------------------------- the reliability read-out (rules: reliability.ts)

export const WARNING_CODES = ['high-d-over-n', 'lr-at-null', 'nlr-at-null', 'outlier-dims', 'nlr-not-converged', 'alpha-at-grid-edge'] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

/**
 * 'warning': do not report this number as it is (it reads as noise, is dominated by a few dims, is a lower bound);
 * 'info': context for reading it (the D/N regime), shown once per file, not on every cell.
 */
export type WarningSeverity = 'info' | 'warning';

export interface ReliabilityWarning {
  code: WarningCode;
  severity: WarningSeverity;
  message: string;
  /** the result cells it concerns ('lr', 'nlr', 'nlrMinusLr', …) */
  measures: string[];
}

export interface Reliability {
  /** usable dims / train rows */
  dOverNTrain: number;
  /** LR on the column-permuted copy (same pipeline, same N and D); null when not measured */
  lrNull: number | null;
  /** [low, high]: LR within it reads as noise */
  lrNullBand: [number, number] | null;
  /** the dims LR_null is the mean over (nullLrTargets: all up to 64, else a seeded sample of max(64, D/8)); null without it */
  lrNullDimCount: number | null;
  /** NLR on the permuted copy, over nlrNullDims */
  nlrNull: number | null;
  nlrNullBand: [number, number] | null;
  nlrNullDims: number[];
  /** mean adjusted in-sample R² (population estimate); null when N_train ≤ D or the train Gram is singular */
  lrAdjusted: number | null;
  lrAdjustedPerDim: PerDim | null;
  lrMedian: number | null;
  /** dims with held-out R² < −1 */
  dimsBelowMinusOne: number;
  /** the NLR heads' training read-out (counts), null without NLR */
  nlrTraining: TrainingCounts | null;
  nlrEvaluated: number | null;
  warnings: ReliabilityWarning[];
}
