/**
 * How many NLR heads to train at once.
 *
 * 1. Memory bounds it: one training step's working set (activations B × H × Σh, weights, gradients
 *    and optimiser state ≈ d × H × h1) must fit in the backend's largest tensor (backendLimits).
 * 2. Speed decides within that bound, measured rather than assumed: on a GPU many heads per batch
 *    fill the device, but on WASM a batched (rank-3) matMul leaves XNNPACK for a plain loop ~10×
 *    slower, so one head at a time can be fastest. We time a few steps at each candidate size and
 *    keep the fastest per head. The choice changes speed only: a head's init and its updates do not
 *    depend on the other heads in its batch.
 */
import * as tf from '@tensorflow/tfjs';
import { backendLimits } from '../compute/limits.ts';
import type { Matrix } from '../io/types.ts';
import type { MlpSettings } from './types.ts';
import { bytesPerHead, createHeadGroup, disposeHeadGroup, targetBlockTensor, trainStep, type TrainBatch } from './mlpHeads.ts';

/** The most heads whose training step fits the backend's limits, spread evenly over the groups. */
export function maxHeadsPerBatch(inputs: number, settings: MlpSettings, targetCount: number, trainRows: number): number {
  const batchRows = Math.min(settings.batchSize, Math.max(1, trainRows));
  const perHead = bytesPerHead(inputs, settings.hidden, batchRows, settings.optimizer);
  const fit = Math.max(1, Math.floor(backendLimits().maxTensorBytes / perHead));
  const count = Math.max(1, targetCount);
  const capped = Math.min(fit, count);
  const groups = Math.ceil(count / capped);
  return Math.ceil(count / groups);
}

/** Candidate group sizes: 1, 4, 16, 64, … below the bound, and the bound itself. */
export function headsPerBatchCandidates(maxHeads: number): number[] {
  const out: number[] = [];
  for (let h = 1; h < maxHeads; h *= 4) out.push(h);
  out.push(maxHeads);
  return out;
}

/** Milliseconds per head of one training step with `heads` heads (best of `repeats`, after a warm-up step). */
async function msPerHeadStep(
  train: Matrix,
  targets: readonly number[],
  heads: number,
  settings: MlpSettings,
  x: tf.Tensor2D,
  xT: tf.Tensor2D,
  repeats: number,
): Promise<number> {
  const chosen = Array.from({ length: heads }, (_, k) => targets[k % targets.length]);
  const group = createHeadGroup(train.cols, chosen, settings.hidden, settings.seed, settings.optimizer);
  const batch: TrainBatch = { x, xT, y: targetBlockTensor(train, chosen, 0, x.shape[0]) };
  try {
    let best = Infinity;
    for (let i = 0; i <= repeats; i++) {
      const start = performance.now();
      const sse = trainStep(group, batch, settings.learningRate);
      await sse.data();
      sse.dispose();
      if (i > 0) best = Math.min(best, performance.now() - start);
    }
    return best / heads;
  } finally {
    disposeHeadGroup(group);
    batch.y.dispose();
  }
}

/**
 * The candidate group size (≤ maxHeads) with the lowest measured time per head and step, using the
 * first training batch (x, xT = its first rows). Costs about (1 + repeats) steps per candidate.
 */
export async function fastestHeadsPerBatch(
  train: Matrix,
  targets: readonly number[],
  settings: MlpSettings,
  maxHeads: number,
  x: tf.Tensor2D,
  xT: tf.Tensor2D,
  repeats = 2,
): Promise<number> {
  const candidates = headsPerBatchCandidates(Math.max(1, Math.min(maxHeads, targets.length)));
  if (candidates.length === 1) return candidates[0];
  let best = candidates[0];
  let bestMs = Infinity;
  for (const heads of candidates) {
    const ms = await msPerHeadStep(train, targets, heads, settings, x, xT, repeats);
    if (ms < bestMs) {
      bestMs = ms;
      best = heads;
    } else if (ms > 1.5 * bestMs) {
      break; // clearly getting slower per head: larger groups will not win
    }
  }
  // spread the targets evenly over groups of at most `best`
  const groups = Math.ceil(targets.length / best);
  return Math.ceil(targets.length / groups);
}
