/**
 * How many NLR heads to train at once. Memory bounds it: one training step's working set (activations
 * B × H × Σh, weights, gradients and optimiser state ≈ d × H × h1) must fit in the backend's largest
 * tensor (backendLimits). Within that bound the backend decides (headsPerBatchFor) — never a timing, which
 * made the same run give NLR 0.7189 in one page load and 0.7143 in another.
 */
import { backendLimits } from '../compute/limits.ts';
import type { MlpSettings } from './types.ts';
import { bytesPerHead } from './mlpHeads.ts';

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

/**
 * Heads per batch, fixed per backend so that a result never depends on a timing: one head at a time on
 * CPUs (WASM, CPU: XNNPACK runs a plain matMul ~3× faster than the batched one — npm run bench, "NLR heads"),
 * as many as the memory bound allows on GPUs (WebGPU, WebGL), spread evenly. A head's init and updates
 * do not depend on the others in its batch; only float32 summation order does (≤ 1e-3 in R², tested).
 */
export function headsPerBatchFor(backend: string, maxHeads: number): number {
  return backend === 'webgpu' || backend === 'webgl' ? Math.max(1, maxHeads) : 1;
}
