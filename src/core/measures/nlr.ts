/**
 * NLR — non-linear redundancy: held-out R² of an MLP that predicts each target dim from all others.
 *
 * The authors' protocol (see docs/science.md): MLP (D−1)→128→64→1, ReLU, MSE, plain SGD lr 0.01,
 * batch 512 in row order (no shuffling; the last partial batch included), 100 epochs, PyTorch default
 * init. Many targets are trained at once as independent heads (mlpHeads.ts); each head trains exactly
 * as if alone, and its init depends only on (seed, target), not on which heads share its batch.
 *
 * With `settings.earlyStopping` (the default preset) a seeded part of the train split is held out of training
 * as validation rows; each head keeps its best-on-validation weights and stops after `patience` epochs
 * without improvement. Every head's learning curve on a split it is not trained on (validation, else the
 * held-out split, watched only) gives its training read-out (mlpTraining.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { CancelledError, RedundancyLabError, throwIfCancelled } from '../errors.ts';
import type { Matrix } from '../io/types.ts';
import type { MlpSettings } from './types.ts';
import { trainingState, type TrainingState } from './mlpTraining.ts';
import { numpyPermutation } from '../numerics/split.ts';
import {
  createHeadGroup,
  disposeHeadGroup,
  mlpFlops,
  predictHeads,
  rowBlockTensor,
  targetBlockTensor,
  trainStep,
  type HeadGroup,
  type TrainBatch,
} from './mlpHeads.ts';
import { headsPerBatchFor, maxHeadsPerBatch } from './mlpHeadsPerBatch.ts';

export interface NlrHeadsResult {
  /** held-out R² per entry of `targets` (sklearn r2_score: 1 − SS_res / SS_tot on the test split) */
  heldOutR2: Float64Array;
  /** per entry of `targets`: what its learning curve says (mlpTraining.ts) */
  trainingState: TrainingState[];
  /** per entry of `targets`: the 1-based epoch whose weights were scored */
  scoredEpoch: number[];
  /** the split the learning curves were watched on */
  monitor: 'validation' | 'held-out';
  /** matMul FLOPs done (training and held-out prediction), in units of 10⁹ */
  gflop: number;
  /** heads trained together (given, or fixed per backend: mlpHeadsPerBatch.ts) */
  headsPerBatch: number;
  /** set when cancelled: how many of `targets` (the first ones) were finished; the arrays hold those only */
  finishedHeads?: number;
}

export interface NlrProgress {
  /** heads finished (trained and scored) before the current group */
  headsDone: number;
  headsTotal: number;
  /** epochs finished by the current group */
  epoch: number;
  epochs: number;
  /** positions in `targets` (0-based, inclusive) of the group being trained */
  firstHead: number;
  lastHead: number;
}

/** Heads finished in one group: positions in `targets`, their held-out R², training read-out and curves. */
export interface FinishedHeadGroup {
  positions: number[];
  heldOutR2: number[];
  trainingState: TrainingState[];
  scoredEpoch: number[];
  /** per head, its mean training loss per epoch run */
  lossByEpoch: number[][];
  /** per head, 1 − R² on the watched split after each epoch run */
  monitorByEpoch: number[][];
}

export interface NlrOptions {
  /** called after every epoch of every head group; progress ≈ (headsDone + epoch/epochs · group size) / headsTotal */
  onProgress?: (done: NlrProgress) => void;
  /** called as each group of heads finishes, so a caller can keep them if the job dies later (device loss, crash) */
  onHeadsFinished?: (group: FinishedHeadGroup) => void;
  /** test hook: the number of heads (real and padding) in each group's tensors */
  onGroupShape?: (heads: number) => void;
  signal?: AbortSignal;
  /** heads trained together; default: fixed per backend within its memory limits (headsPerBatchFor) */
  headsPerBatch?: number;
}

/** How long the trainer may run before it yields to the event loop (ms): keeps cancel responsive. */
const YIELD_EVERY_MS = 100;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function isPositiveInteger(x: number): boolean {
  return Number.isInteger(x) && x >= 1;
}

function validate(train: Matrix, test: Matrix, targets: number[], settings: MlpSettings, headsPerBatch?: number): void {
  if (train.cols !== test.cols) {
    throw new RedundancyLabError('bad-shape', `NLR: the train split has ${train.cols} columns but the held-out split has ${test.cols}`);
  }
  if (train.cols < 2) throw new RedundancyLabError('bad-shape', `NLR needs at least 2 usable dims (got ${train.cols})`);
  if (train.rows < 1) throw new RedundancyLabError('bad-shape', 'NLR: the train split has no rows');
  if (test.rows < 2) throw new RedundancyLabError('bad-shape', `NLR: the held-out split needs at least 2 rows (got ${test.rows})`);
  for (const m of [train, test]) {
    if (m.data.length !== m.rows * m.cols) {
      throw new RedundancyLabError('bad-shape', `NLR: a ${m.rows} × ${m.cols} matrix has ${m.data.length} values`);
    }
  }
  for (const t of targets) {
    if (!Number.isInteger(t) || t < 0 || t >= train.cols) {
      throw new RedundancyLabError('bad-option', `NLR target ${t} is not a column index in 0…${train.cols - 1}`);
    }
  }
  const { hidden, epochs, learningRate, batchSize, optimizer } = settings;
  if (hidden.length < 1 || !hidden.every(isPositiveInteger)) {
    throw new RedundancyLabError('bad-option', `MLP hidden layer widths must be positive integers, at least one layer (got [${hidden.join(', ')}])`);
  }
  if (!isPositiveInteger(epochs)) throw new RedundancyLabError('bad-option', `MLP epochs must be a positive integer (got ${epochs})`);
  if (!isPositiveInteger(batchSize)) throw new RedundancyLabError('bad-option', `MLP batch size must be a positive integer (got ${batchSize})`);
  if (!(learningRate > 0 && Number.isFinite(learningRate))) {
    throw new RedundancyLabError('bad-option', `MLP learning rate must be a positive number (got ${learningRate})`);
  }
  if (optimizer !== 'sgd' && optimizer !== 'adam') {
    throw new RedundancyLabError('bad-option', `MLP optimizer must be 'sgd' or 'adam' (got '${optimizer}')`);
  }
  const early = settings.earlyStopping;
  if (early && (!isPositiveInteger(early.patience) || !(early.validationFraction > 0 && early.validationFraction < 1))) {
    throw new RedundancyLabError('bad-option', `NLR early stopping needs a patience ≥ 1 epoch and a validation fraction in (0, 1) (got ${early.patience}, ${early.validationFraction})`);
  }
  if (headsPerBatch !== undefined && !isPositiveInteger(headsPerBatch)) {
    throw new RedundancyLabError('bad-option', `headsPerBatch must be a positive integer (got ${headsPerBatch})`);
  }
}

function assertFinite(m: Matrix, split: string): void {
  const data = m.data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const row = Math.floor(i / m.cols);
      throw new RedundancyLabError('bad-values', `NLR: the ${split} split has a non-finite value at row ${row}, column ${i - row * m.cols}`);
    }
  }
}

/** Consecutive row blocks of at most `rows` rows (the last one may be shorter). */
function blockStarts(total: number, rows: number): { start: number; rows: number }[] {
  const blocks = [];
  for (let start = 0; start < total; start += rows) blocks.push({ start, rows: Math.min(rows, total - start) });
  return blocks;
}

/** Σ (y − ȳ)² of column t over the rows of m, in float64. */
function totalSumOfSquares(m: Matrix, t: number): number {
  let mean = 0;
  for (let r = 0; r < m.rows; r++) mean += m.data[r * m.cols + t];
  mean /= m.rows;
  let ss = 0;
  for (let r = 0; r < m.rows; r++) ss += (m.data[r * m.cols + t] - mean) ** 2;
  return ss;
}

/**
 * One epoch over the batches in order; returns each head's sum of squared errors over the epoch
 * (the loss seen while training). Yields to the event loop every YIELD_EVERY_MS so a cancel lands.
 */
async function trainEpoch(
  group: HeadGroup,
  batches: TrainBatch[],
  learningRate: number,
  signal: AbortSignal | undefined,
  clock: { lastYield: number },
): Promise<Float32Array> {
  let sse = tf.zeros([group.targets.length]) as tf.Tensor1D;
  try {
    for (const batch of batches) {
      const batchSse = trainStep(group, batch, learningRate);
      const next = tf.add(sse, batchSse) as tf.Tensor1D;
      tf.dispose([sse, batchSse]);
      sse = next;
      if (performance.now() - clock.lastYield > YIELD_EVERY_MS) {
        await yieldToEventLoop();
        clock.lastYield = performance.now();
        throwIfCancelled(signal);
      }
    }
    return (await sse.data()) as Float32Array;
  } finally {
    sse.dispose();
  }
}

/** Σ (prediction − y)² per head over the held-out rows, accumulated in float64. */
async function heldOutResiduals(
  group: HeadGroup,
  test: Matrix,
  xTest: tf.Tensor2D[],
  blocks: { start: number; rows: number }[],
): Promise<Float64Array> {
  const h = group.targets.length;
  const d = test.cols;
  const ssRes = new Float64Array(h);
  for (let i = 0; i < xTest.length; i++) {
    const { start, rows } = blocks[i];
    const predTensor = predictHeads(group, xTest[i]);
    const pred = await predTensor.data();
    predTensor.dispose();
    for (let k = 0; k < h; k++) {
      const t = group.targets[k];
      let s = 0;
      for (let r = 0; r < rows; r++) s += (pred[k * rows + r] - test.data[(start + r) * d + t]) ** 2;
      ssRes[k] += s;
    }
  }
  return ssRes;
}

/** Smallest drop of the validation curve (1 − R²) that counts as an improvement when stopping early. */
export const MIN_IMPROVEMENT = 1e-4;

/**
 * The validation rows for early stopping: a seeded `fraction` of the train split (NumPy's permutation of its rows,
 * the first ones), the rest kept for training in their order. Both stay standardised with the train split's
 * statistics: they are the train split.
 */
export function validationRows(train: Matrix, fraction: number, seed: number): { fit: Matrix; validation: Matrix } {
  const nVal = Math.ceil(fraction * train.rows);
  if (!(fraction > 0 && fraction < 1) || nVal < 2 || train.rows - nVal < 1) {
    throw new RedundancyLabError('bad-option', `NLR early stopping: a validation fraction of ${fraction} of ${train.rows} train rows leaves no rows to train or validate on; use a fraction in (0, 1) and more rows`);
  }
  const perm = numpyPermutation(train.rows, seed);
  const isVal = new Uint8Array(train.rows);
  for (let i = 0; i < nVal; i++) isVal[perm[i]] = 1;
  const d = train.cols;
  const fit = new Float32Array((train.rows - nVal) * d);
  const validation = new Float32Array(nVal * d);
  let f = 0;
  let v = 0;
  for (let r = 0; r < train.rows; r++) {
    const row = train.data.subarray(r * d, (r + 1) * d);
    if (isVal[r]) validation.set(row, d * v++);
    else fit.set(row, d * f++);
  }
  return { fit: { rows: train.rows - nVal, cols: d, data: fit }, validation: { rows: nVal, cols: d, data: validation } };
}

/**
 * `best` with the heads flagged in `improved` replaced by their current weights: p·m + best·(1 − m) with m ∈ {0, 1}
 * per head, which is exact (every value finite: training checks its loss each epoch).
 */
function keepImproved(group: HeadGroup, best: tf.Tensor[], improved: boolean[]): tf.Tensor[] {
  const H = group.targets.length;
  const h1 = group.hidden[0];
  const perHead = Float32Array.from(improved, (b) => (b ? 1 : 0));
  const perUnit = new Float32Array(H * h1);
  for (let k = 0; k < H; k++) perUnit.fill(perHead[k], k * h1, (k + 1) * h1);
  return tf.tidy(() => {
    const masks = [tf.tensor2d(perUnit, [1, H * h1]), tf.tensor1d(perUnit), tf.tensor3d(perHead, [H, 1, 1])];
    return group.params.map((p, i) => {
      const m = masks[Math.min(i, 2)];
      return tf.add(tf.mul(p, m), tf.mul(best[i], tf.sub(1, m)));
    });
  });
}

/**
 * Trains one MLP per target column (as batched heads) on `train` and scores it on `test`.
 * `train` and `test` must already be standardised (each split with its own mean/std) and hold only
 * usable columns; `targets` are column indices into them.
 */
export async function heldOutMlpR2(
  train: Matrix,
  test: Matrix,
  targets: number[],
  settings: MlpSettings,
  options: NlrOptions = {},
): Promise<NlrHeadsResult> {
  validate(train, test, targets, settings, options.headsPerBatch);
  assertFinite(train, 'train');
  assertFinite(test, 'held-out');
  const { signal, onProgress } = options;
  throwIfCancelled(signal);
  const T = targets.length;
  const d = train.cols;
  const { epochs, batchSize, learningRate } = settings;
  const early = settings.earlyStopping ?? null;
  const ssTot = targets.map((t) => totalSumOfSquares(test, t));
  ssTot.forEach((ss, k) => {
    if (!(ss > 0)) {
      throw new RedundancyLabError('bad-values', `NLR: target column ${targets[k]} is constant on the held-out split (it has no R²)`);
    }
  });
  // the rows trained on, and the rows each head's learning curve is watched on
  const { fit, validation } = early ? validationRows(train, early.validationFraction, settings.seed) : { fit: train, validation: null };
  const watched = validation ?? test;
  const monitor = validation ? 'validation' : 'held-out';
  const heldOutR2 = new Float64Array(T);
  const states: TrainingState[] = new Array(T).fill('under-trained');
  const scoredEpoch: number[] = new Array(T).fill(0);
  let flops = 0;
  if (T === 0) return { heldOutR2, trainingState: [], scoredEpoch: [], monitor, gflop: 0, headsPerBatch: 0 };
  let H = 0;
  /** The heads finished before `first` (whole groups), as a result a cancelled caller can keep. */
  const finishedSoFar = (first: number): NlrHeadsResult => ({
    heldOutR2: heldOutR2.slice(0, first),
    trainingState: states.slice(0, first),
    scoredEpoch: scoredEpoch.slice(0, first),
    monitor,
    gflop: flops / 1e9,
    headsPerBatch: H,
    finishedHeads: first,
  });

  const trainBlocks = blockStarts(fit.rows, batchSize);
  const testBlocks = blockStarts(test.rows, batchSize);
  const watchedBlocks = blockStarts(watched.rows, batchSize);
  const xTrain: { x: tf.Tensor2D; xT: tf.Tensor2D }[] = [];
  const xTest: tf.Tensor2D[] = [];
  const xWatched: tf.Tensor2D[] = [];
  const clock = { lastYield: performance.now() };
  try {
    for (const b of trainBlocks) {
      const x = rowBlockTensor(fit, b.start, b.rows);
      xTrain.push({ x, xT: tf.transpose(x) });
    }
    for (const b of testBlocks) xTest.push(rowBlockTensor(test, b.start, b.rows));
    if (validation) for (const b of watchedBlocks) xWatched.push(rowBlockTensor(validation, b.start, b.rows));
    const xWatch = validation ? xWatched : xTest;
    H = Math.min(
      T,
      options.headsPerBatch ?? headsPerBatchFor(tf.getBackend(), maxHeadsPerBatch(d, settings, T, fit.rows)),
    );
    throwIfCancelled(signal);
    for (let first = 0; first < T; first += H) {
      if (signal?.aborted) throw new CancelledError(finishedSoFar(first));
      const groupTargets = targets.slice(first, first + H);
      const h = groupTargets.length;
      // every group has the same tensor shapes (the last one padded with copies of its last head, whose results are
      // dropped): a GPU backend's buffer pool, which keeps freed buffers by size, then stays flat for the whole job
      const shaped = [...groupTargets, ...new Array<number>(H - h).fill(groupTargets[h - 1])];
      const group = createHeadGroup(d, shaped, settings.hidden, settings.seed, settings.optimizer);
      options.onGroupShape?.(shaped.length);
      // the curve's scale: the target's variance over the held-out split, or over the whole train split for validation
      // rows (a sparse dim can be constant on the few validation rows; the train split's variance is 1, standardised)
      const watchedSsTot = shaped.map((t) => (validation ? (totalSumOfSquares(train, t) / train.rows) * validation.rows : totalSumOfSquares(test, t)));
      const batches: TrainBatch[] = [];
      let best: tf.Tensor[] | null = null;
      try {
        trainBlocks.forEach((b, i) => batches.push({ ...xTrain[i], y: targetBlockTensor(fit, shaped, b.start, b.rows) }));
        const losses: number[][] = groupTargets.map(() => []);
        const curves: number[][] = groupTargets.map(() => []);
        const bestLoss = new Array<number>(H).fill(Infinity);
        const bestEpoch = new Array<number>(H).fill(0);
        for (let epoch = 1; epoch <= epochs; epoch++) {
          const sums = await trainEpoch(group, batches, learningRate, signal, clock).catch((e: unknown) => {
            throw e instanceof CancelledError ? new CancelledError(finishedSoFar(first)) : e;
          });
          flops += trainBlocks.reduce((f, b) => f + mlpFlops(d, settings.hidden, h, b.rows).train, 0);
          const ssWatched = await heldOutResiduals(group, watched, xWatch, watchedBlocks);
          flops += watchedBlocks.reduce((f, b) => f + mlpFlops(d, settings.hidden, h, b.rows).forward, 0);
          const improved = new Array<boolean>(H).fill(false);
          let running = 0;
          for (let k = 0; k < H; k++) {
            const stopped = early !== null && epoch - 1 - bestEpoch[k] >= early.patience;
            const curve = ssWatched[k] / watchedSsTot[k];
            if (k < h && !stopped) {
              const loss = sums[k] / fit.rows;
              if (!Number.isFinite(loss) || !Number.isFinite(curve)) {
                throw new RedundancyLabError(
                  'bad-option',
                  `NLR training diverged (loss ${loss}) for column ${groupTargets[k]} at epoch ${epoch}: lower the learning rate (now ${learningRate})`,
                );
              }
              losses[k].push(loss);
              curves[k].push(curve);
            }
            if (!stopped && curve < bestLoss[k] - MIN_IMPROVEMENT) {
              improved[k] = true;
              bestLoss[k] = curve;
              bestEpoch[k] = epoch;
            }
            if (early === null || epoch - bestEpoch[k] < early.patience) running++;
          }
          if (early && improved.some(Boolean)) {
            const next: tf.Tensor[] = best ? keepImproved(group, best, improved) : group.params.map((p) => tf.clone(p));
            if (best) tf.dispose(best);
            best = next;
          }
          onProgress?.({ headsDone: first, headsTotal: T, epoch, epochs, firstHead: first, lastHead: first + h - 1 });
          await yieldToEventLoop();
          clock.lastYield = performance.now();
          if (signal?.aborted) throw new CancelledError(finishedSoFar(first));
          if (running === 0) break; // every head of the group has stopped
        }
        if (best) {
          // score each head's best-on-validation weights
          tf.dispose(group.params);
          group.params = best;
          best = null;
        }
        const ssRes = await heldOutResiduals(group, test, xTest, testBlocks);
        flops += testBlocks.reduce((f, b) => f + mlpFlops(d, settings.hidden, h, b.rows).forward, 0);
        for (let k = 0; k < h; k++) {
          heldOutR2[first + k] = 1 - ssRes[k] / ssTot[first + k];
          scoredEpoch[first + k] = early ? bestEpoch[k] : curves[k].length;
          states[first + k] = trainingState(curves[k], scoredEpoch[first + k]);
        }
        options.onHeadsFinished?.({
          positions: groupTargets.map((_, k) => first + k),
          heldOutR2: Array.from(heldOutR2.subarray(first, first + h)),
          trainingState: states.slice(first, first + h),
          scoredEpoch: scoredEpoch.slice(first, first + h),
          lossByEpoch: losses,
          monitorByEpoch: curves,
        });
      } finally {
        if (best) tf.dispose(best);
        disposeHeadGroup(group);
        tf.dispose(batches.map((b) => b.y));
      }
    }
  } finally {
    tf.dispose(xTrain.flatMap((b) => [b.x, b.xT]));
    tf.dispose(xTest);
    tf.dispose(xWatched);
  }
  return { heldOutR2, trainingState: states, scoredEpoch, monitor, gflop: flops / 1e9, headsPerBatch: H };
}
