/**
 * How many NLR heads to train at once. Memory bounds it: one training step's working set (activations
 * B × H × Σh, weights, gradients and optimiser state ≈ d × H × h1) must fit in the backend's largest
 * tensor (backendLimits). Within that bound the backend decides (headsPerBatchFor) — never a timing, which
 * made the same run give NLR 0.7189 in one page load and 0.7143 in another.
 */
import { backendLimits } from '../compute/limits.ts';
import type { MlpSettings } from './types.ts';
import { bytesPerHead } from './mlpHeads.ts';

/**
 * The most floating-point work one GPU dispatch of a head group may do: the first layer's batched matMul
 * (heads × batch × inputs × h1 multiply-adds) is the largest. A laptop GPU's driver resets the device when one
 * dispatch runs past ~2 s (the watchdog, TDR); tfjs's WebGPU matMul reaches 50–500 GFLOP/s on such devices, so
 * 2.5e10 FLOP keeps each dispatch under ~0.5 s at the slow end. With the paper's MLP the memory bound is the
 * tighter one at every D (62 heads at D = 2048, 1.7e10 FLOP per dispatch; tested): this guards other settings.
 */
export const DISPATCH_FLOP_CAP = 2.5e10;

/** FLOPs of the largest dispatch of one head's training step (the first layer's forward or backward matMul). */
export function dispatchFlopsPerHead(inputs: number, settings: MlpSettings, trainRows: number): number {
  const batchRows = Math.min(settings.batchSize, Math.max(1, trainRows));
  return 2 * batchRows * inputs * (settings.hidden[0] ?? 1);
}

/**
 * The most heads whose training step fits the backend's limits, spread evenly over the groups: the memory of one
 * step within the largest tensor; each dispatch within DISPATCH_FLOP_CAP (a driver watchdog); the heads, which
 * the batched matMul dispatches along one grid dimension, within the device's workgroups per dimension.
 */
export function maxHeadsPerBatch(inputs: number, settings: MlpSettings, targetCount: number, trainRows: number): number {
  const batchRows = Math.min(settings.batchSize, Math.max(1, trainRows));
  const perHead = bytesPerHead(inputs, settings.hidden, batchRows, settings.optimizer);
  const limits = backendLimits();
  const byMemory = Math.floor(limits.maxTensorBytes / perHead);
  const byWatchdog = Math.floor(DISPATCH_FLOP_CAP / dispatchFlopsPerHead(inputs, settings, trainRows));
  const fit = Math.max(1, Math.min(byMemory, byWatchdog, limits.maxWorkgroupsPerDimension));
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
