/**
 * Many small MLPs ("heads") trained at once, one per target column, written against tfjs ops only.
 *
 * Head k predicts column t_k from all other columns: (d−1) → h1 → … → hL → 1, ReLU, MSE loss.
 * Layout for H heads on a batch X_b (B × d):
 *   layer 1:  Z1 = X_b · W1 + b1, one matMul, W1 is d × (H·h1) (head k owns columns k·h1 … k·h1+h1−1);
 *             W1's row t_k in head k's columns is zero and its gradient is masked, so it stays zero:
 *             exactly the same model as one with column t_k removed (the init uses fan_in = d−1);
 *   layer l≥2: batched matMul on rank-3 tensors: [H, B, h_{l−1}] · [H, h_{l−1}, h_l];
 *   output:   [H, B, h_L] · [H, h_L, 1].
 * Loss = Σ_k MSE_k, so the gradient of each head's weights is that of its own MSE: every head trains
 * exactly as if it were alone. Gradients are written out by hand (no autodiff tape) with explicit
 * transposes: rank-2 matMul with transposeA is ~30× slower than an explicit transpose on WASM.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Matrix } from '../io/types.ts';
import type { MlpSettings } from './types.ts';
import { headInit } from './mlpRandom.ts';

/**
 * Adam constants (PyTorch's defaults except ε). ε is passed explicitly (tfjs' backend epsilon is
 * 1e-4 on WebGL, 1e-7 elsewhere); 1e-7 rather than PyTorch's 1e-8 keeps √v̂ + ε meaningful in float32.
 */
export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPSILON = 1e-7;

export interface HeadGroup {
  readonly inputs: number;
  readonly hidden: readonly number[];
  readonly targets: readonly number[];
  /** [W1, b1, W2, b2, …, Wout, bout]; replaced (old ones disposed) by every training step */
  params: tf.Tensor[];
  /** [d, H, 1]: 1 everywhere except 0 at (t_k, k); multiplies W1's gradient */
  readonly mask: tf.Tensor3D;
  /** Adam moments (same shapes as params) and step count; null for plain SGD */
  adam: { m: tf.Tensor[]; v: tf.Tensor[]; step: number } | null;
}

/** Builds the weights of H heads from each head's own seeded PyTorch-style init. */
export function createHeadGroup(
  inputs: number,
  targets: readonly number[],
  hidden: readonly number[],
  seed: number,
  optimizer: MlpSettings['optimizer'],
): HeadGroup {
  const H = targets.length;
  const sizes = [...hidden, 1];
  const h1 = sizes[0];
  const w1 = new Float32Array(inputs * H * h1);
  const b1 = new Float32Array(H * h1);
  const rest = sizes.slice(1).map((out, l) => ({
    weight: new Float32Array(H * sizes[l] * out),
    bias: new Float32Array(H * out),
  }));
  const mask = new Float32Array(inputs * H).fill(1);
  targets.forEach((t, k) => {
    const layers = headInit(seed, t, inputs, hidden);
    const first = layers[0];
    for (let o = 0; o < h1; o++) {
      for (let i = 0; i < inputs; i++) {
        if (i === t) continue;
        const j = i < t ? i : i - 1;
        w1[i * H * h1 + k * h1 + o] = first.weight[o * (inputs - 1) + j];
      }
      b1[k * h1 + o] = first.bias[o];
    }
    mask[t * H + k] = 0;
    for (let l = 1; l < layers.length; l++) {
      const { fanIn, fanOut, weight, bias } = layers[l];
      const dst = rest[l - 1];
      for (let i = 0; i < fanIn; i++) {
        for (let o = 0; o < fanOut; o++) dst.weight[(k * fanIn + i) * fanOut + o] = weight[o * fanIn + i];
      }
      dst.bias.set(bias, k * fanOut);
    }
  });
  const params: tf.Tensor[] = [tf.tensor2d(w1, [inputs, H * h1]), tf.tensor1d(b1)];
  rest.forEach(({ weight, bias }, l) => {
    params.push(tf.tensor3d(weight, [H, sizes[l], sizes[l + 1]]), tf.tensor3d(bias, [H, 1, sizes[l + 1]]));
  });
  return {
    inputs,
    hidden: [...hidden],
    targets: [...targets],
    params,
    mask: tf.tensor3d(mask, [inputs, H, 1]),
    adam: optimizer === 'adam' ? { m: params.map((p) => tf.zerosLike(p)), v: params.map((p) => tf.zerosLike(p)), step: 0 } : null,
  };
}

export function disposeHeadGroup(group: HeadGroup): void {
  tf.dispose(group.params);
  group.mask.dispose();
  if (group.adam) tf.dispose([...group.adam.m, ...group.adam.v]);
}

/** Hidden activations [H, B, h_l] of every hidden layer, and the predictions [H, B, 1]. */
function forward(group: HeadGroup, x: tf.Tensor2D): { acts: tf.Tensor3D[]; pred: tf.Tensor3D } {
  const rows = x.shape[0];
  const H = group.targets.length;
  const { params, hidden } = group;
  const z1 = tf.add(tf.matMul(x, params[0] as tf.Tensor2D), params[1]);
  let a = tf.transpose(tf.reshape(tf.relu(z1), [rows, H, hidden[0]]), [1, 0, 2]) as tf.Tensor3D;
  const acts = [a];
  for (let l = 1; l < hidden.length; l++) {
    a = tf.relu(tf.add(tf.matMul(a, params[2 * l] as tf.Tensor3D), params[2 * l + 1])) as tf.Tensor3D;
    acts.push(a);
  }
  const L = hidden.length;
  const pred = tf.add(tf.matMul(a, params[2 * L] as tf.Tensor3D), params[2 * L + 1]) as tf.Tensor3D;
  return { acts, pred };
}

/** [H, m, n] → [H, n, m]. Explicit: matMul's transpose flags leave WASM's fast (XNNPACK) path. */
function transpose3(x: tf.Tensor): tf.Tensor3D {
  return tf.transpose(x, [0, 2, 1]) as tf.Tensor3D;
}

/**
 * Sum over the rows axis as a product with a row of ones: a strided reduction is slow on WASM,
 * a matMul takes its fast path. x: [rows, n] → [n]; x: [H, rows, n] → [H, 1, n].
 */
function sumRows2(x: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(tf.matMul(tf.ones([1, x.shape[0]]), x), [x.shape[1]]) as tf.Tensor1D;
}
function sumRows3(x: tf.Tensor3D): tf.Tensor3D {
  const [H, rows] = x.shape;
  return tf.matMul(tf.ones([H, 1, rows]) as tf.Tensor3D, x);
}

/** A training batch: rows × d inputs, the same transposed (d × rows, for W1's gradient), and [H, rows, 1] targets. */
export interface TrainBatch {
  x: tf.Tensor2D;
  xT: tf.Tensor2D;
  y: tf.Tensor3D;
}

/** Gradients of Σ_k MSE_k (in params order) and each head's sum of squared errors on the batch. */
function gradients(group: HeadGroup, batch: TrainBatch): { grads: tf.Tensor[]; sse: tf.Tensor1D } {
  const { x, xT, y } = batch;
  const rows = x.shape[0];
  const H = group.targets.length;
  const { params, hidden, inputs } = group;
  const L = hidden.length;
  const { acts, pred } = forward(group, x);
  const err = tf.sub(pred, y);
  const sse = tf.sum(tf.square(err), [1, 2]) as tf.Tensor1D;
  const grads: tf.Tensor[] = new Array(params.length);
  // output layer: dLoss/dpred = 2·err / B (MSE over this batch's rows)
  const g = tf.mul(err, 2 / rows) as tf.Tensor3D;
  grads[2 * L] = tf.matMul(transpose3(acts[L - 1]), g);
  grads[2 * L + 1] = sumRows3(g);
  // [H,B,1] · [H,1,h_L] is an outer product: a broadcast multiply, not a matMul
  let dA = tf.mul(g, transpose3(params[2 * L])) as tf.Tensor3D;
  for (let l = L - 1; l >= 1; l--) {
    const dZ = tf.mul(dA, tf.step(acts[l])) as tf.Tensor3D;
    grads[2 * l] = tf.matMul(transpose3(acts[l - 1]), dZ);
    grads[2 * l + 1] = sumRows3(dZ);
    dA = tf.matMul(dZ, transpose3(params[2 * l]));
  }
  const dZ1t = tf.mul(dA, tf.step(acts[0]));
  const dZ1 = tf.reshape(tf.transpose(dZ1t, [1, 0, 2]), [rows, H * hidden[0]]) as tf.Tensor2D;
  const dW1 = tf.matMul(xT, dZ1);
  grads[0] = tf.reshape(tf.mul(tf.reshape(dW1, [inputs, H, hidden[0]]), group.mask), [inputs, H * hidden[0]]);
  grads[1] = sumRows2(dZ1);
  return { grads, sse };
}

/**
 * One optimiser step on one batch; replaces group.params (and Adam moments).
 * Returns each head's sum of squared errors on the batch, before the step ([H]; caller disposes).
 */
export function trainStep(group: HeadGroup, batch: TrainBatch, learningRate: number): tf.Tensor1D {
  const adam = group.adam;
  const step = adam ? adam.step + 1 : 0;
  const out = tf.tidy(() => {
    const { grads, sse } = gradients(group, batch);
    if (!adam) {
      return { sse, params: group.params.map((p, i) => tf.sub(p, tf.mul(grads[i], learningRate))), m: [], v: [] };
    }
    const stepSize = learningRate / (1 - ADAM_BETA1 ** step);
    const rootCorrection2 = Math.sqrt(1 - ADAM_BETA2 ** step);
    const m = adam.m.map((mi, i) => tf.add(tf.mul(mi, ADAM_BETA1), tf.mul(grads[i], 1 - ADAM_BETA1)));
    const v = adam.v.map((vi, i) => tf.add(tf.mul(vi, ADAM_BETA2), tf.mul(tf.square(grads[i]), 1 - ADAM_BETA2)));
    const params = group.params.map((p, i) => {
      const denominator = tf.add(tf.div(tf.sqrt(v[i]), rootCorrection2), ADAM_EPSILON);
      return tf.sub(p, tf.mul(tf.div(m[i], denominator), stepSize));
    });
    return { sse, params, m, v };
  });
  tf.dispose(group.params);
  group.params = out.params;
  if (adam) {
    tf.dispose([...adam.m, ...adam.v]);
    adam.m = out.m;
    adam.v = out.v;
    adam.step = step;
  }
  return out.sse;
}

/** Predictions of every head for the rows of x: [H, rows]. */
export function predictHeads(group: HeadGroup, x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.reshape(forward(group, x).pred, [group.targets.length, x.shape[0]]) as tf.Tensor2D);
}

/** The MLP's FLOP count lives with the cost model (pure, also used by the page's run estimate). */
export { mlpFlopCount as mlpFlops } from '../estimate.ts';

/**
 * Bytes one head adds to the working set of a training step with `batchRows` rows: about 8 live
 * activation-sized tensors (B × Σh) and 5 (SGD) or 10 (Adam) parameter-sized ones.
 */
export function bytesPerHead(inputs: number, hidden: readonly number[], batchRows: number, optimizer: MlpSettings['optimizer']): number {
  const sizes = [inputs, ...hidden, 1];
  let paramCount = 0;
  for (let l = 1; l < sizes.length; l++) paramCount += (sizes[l - 1] + 1) * sizes[l];
  const activations = hidden.reduce((s, h) => s + h, 0) * batchRows;
  return 4 * (8 * activations + (optimizer === 'adam' ? 10 : 5) * paramCount);
}

/** Rows [start, start+rows) of m as a rows × d tensor. */
export function rowBlockTensor(m: Matrix, start: number, rows: number): tf.Tensor2D {
  return tf.tensor2d(m.data.subarray(start * m.cols, (start + rows) * m.cols), [rows, m.cols]);
}

/** Columns `targets` of rows [start, start+rows) of m, as the [H, rows, 1] targets of H heads. */
export function targetBlockTensor(m: Matrix, targets: readonly number[], start: number, rows: number): tf.Tensor3D {
  const H = targets.length;
  const out = new Float32Array(H * rows);
  const d = m.cols;
  for (let r = 0; r < rows; r++) {
    const base = (start + r) * d;
    for (let k = 0; k < H; k++) out[k * rows + r] = m.data[base + targets[k]];
  }
  return tf.tensor3d(out, [H, rows, 1]);
}
