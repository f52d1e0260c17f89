/**
 * What the measure worker offers the page. The UI reaches it only through `client.ts`.
 * Everything here crosses a structured clone: plain data, `File` objects (passed by reference, never read on
 * the main thread) and a comlink proxy for progress.
 */
import type { BackendInfo, BackendName, ErrorKind, FileFormat, FinishedNlrDims, MeasureResult, MeasureSettings, Progress, ProbeResult, MeasureSplit, BlockAveragedCorrelation, SplitSpread } from '../core/index.ts';

export type { BackendInfo, BackendName, FinishedNlrDims, MeasureResult, MeasureSettings, ProbeResult, Progress, SplitSpread };

export type SplitSpreads = Partial<Record<'lr' | 'nlr', SplitSpread>>;

/** Where a file's class labels come from: an array in the same file or in another opened file. */
/** Linear CKA between representations of the same rows (as `redundancy-lab compare --json`). */
export interface CkaComparison {
  /** the representations, as "file" or "file › array" */
  files: string[];
  n: number;
  d: number[];
  linearCka: number[][];
  linearCkaDebiased: number[][];
}

export interface LabelsRef {
  fileId: string;
  arrayName: string;
}

export type { MeasureSplit };

export interface ProbeRunResult extends ProbeResult {
  /** the labels' file and array, as the user knows them */
  labelsSource: string;
  /** the embedding array probed */
  array: string;
  splitSeed: number;
  /** the held-out fraction of the measurement's split (the probe uses the same split) */
  testFraction: number;
  backend: BackendInfo;
  wallMs: number;
}

/** One array inside an opened file, as the file list shows it. */
export interface ArraySummary {
  name: string;
  shape: number[];
  dtype: string;
  rows: number;
  cols: number;
  /** set when the array is listed but cannot be measured: says why */
  unusable?: string;
}

export interface FileSummary {
  /** id the worker knows the file by (given by the client so a restarted worker can reopen it) */
  id: string;
  name: string;
  byteLength: number;
  format: FileFormat;
  arrays: ArraySummary[];
  /** the largest 2-D float array, or null when the file has none */
  defaultEmbedding: string | null;
  /** a 1-D integer array, or null */
  defaultLabels: string | null;
}

/** One shard of a sharded set: an opened file and the arrays picked in it. */
export interface ShardPart {
  fileId: string;
  /** the embedding array of this shard */
  embedding: string;
  /** its labels array; the set gets labels only when every shard has some */
  labels: string | null;
}

/** |r| between dims, block-averaged so the side is at most 512 (for the heatmap). */
export type CorrelationPreview = BlockAveragedCorrelation;

/** Progress as the worker reports it: the core's progress plus the elapsed time and an estimate of what is left. */
export interface JobProgress extends Progress {
  elapsedMs: number;
  /** null until the estimate means something */
  etaMs: number | null;
}

export interface ResultSummary {
  /** mean over dims of (NLR R² − LR R²), on the dims where both were evaluated */
  nlrMinusLr: number | null;
  /** how many dims that mean is over */
  nlrMinusLrDims: number;
  /** wall-clock time of the whole job in the worker */
  wallMs: number;
}

export interface RunResult extends MeasureResult {
  summary: ResultSummary;
  correlationPreview?: CorrelationPreview;
  /** |partial r| (−P_ij/√(P_ii P_jj), P = C⁻¹), block-averaged like correlationPreview; absent where C is singular */
  partialCorrelationPreview?: CorrelationPreview;
}

/** A RedundancyLabError as it crosses the worker boundary. */
export interface WorkerErrorPayload {
  name: string;
  /** 'worker-crashed' and 'device-lost' are recovered by the client: a fresh worker on the next backend reruns the job */
  kind: ErrorKind | 'internal' | 'worker-crashed' | 'device-lost';
  message: string;
  file?: string;
  /** kind 'cancelled': the result finished before the cancel (AAC, LR, the NLR dims trained), marked `cancelled` */
  partial?: RunResult;
}

