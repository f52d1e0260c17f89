/**
 * Linear probe: multinomial logistic (softmax) regression on the standardised embedding, trained on the
 * train split, scored as held-out top-1 accuracy — the downstream number the paper relates redundancy to.
 *
 * Optimiser (documented, deterministic): full-batch Adam (lr 0.05, β 0.9/0.999, ε 1e-7 passed explicitly)
 * on the mean cross-entropy + λ/2·‖W‖² (bias unpenalised), weights start at zero (the problem is convex,
 * so no seed is involved). λ is chosen from a grid by accuracy on a validation part (the last 20% of the
 * train split, which is in random order) with all λ trained at once as one wide matrix; the chosen λ is
 * then refit on the whole train split. Gradients are written out by hand (∂/∂W = Xᵀ(P − Y)/n + λW), so
 * the rows can stay in backend-resident chunks.
 */
import * as tf from '@tensorflow/tfjs-core';
import { RedundancyLabError, throwIfCancelled } from '../errors.ts';
import type { Matrix } from '../io/types.ts';
import type { LabelsDigest } from '../study/labelsDigest.ts';

export interface ProbeSettings {
  lambdas: number[];
  steps: number;
  learningRate: number;
  validationFraction: number;
}

export const DEFAULT_PROBE_SETTINGS: ProbeSettings = {
  lambdas: [1e-5, 1e-4, 1e-3, 1e-2, 1e-1],
  steps: 200,
  learningRate: 0.05,
  validationFraction: 0.2,
};

export interface ProbeResult {
  /** held-out top-1 accuracy (0..1) */
  accuracy: number;
  /** accuracy of always predicting the most frequent train class */
  majorityBaseline: number;
  classes: number;
  lambda: number;
  validationAccuracyByLambda: number[];
  trainAccuracy: number;
  nTrain: number;
  nTest: number;
  settings: ProbeSettings;
  /** the labels the probe was given (all N), for a study's check that its models' labels agree; absent in older saves */
  labels?: LabelsDigest;
}

export interface ProbeOptions {
  signal?: AbortSignal;
  onProgress?: (fraction: number, message: string) => void;
}

/** Rows × cols float32 held on the backend in row chunks, with each chunk's transpose (WASM's transposeA is slow). */
class ResidentRows {
  readonly chunks: { x: tf.Tensor2D; xt: tf.Tensor2D; onehot: tf.Tensor2D }[] = [];
  constructor(m: Matrix, labels: Int32Array, classes: number, rows: number) {
    const step = Math.max(1, Math.floor((4 << 20) / m.cols));
    for (let start = 0; start < rows; start += step) {
      const count = Math.min(step, rows - start);
      const x = tf.tensor2d(m.data.subarray(start * m.cols, (start + count) * m.cols), [count, m.cols]);
      this.chunks.push({ x, xt: tf.transpose(x), onehot: tf.oneHot(tf.tensor1d(labels.subarray(start, start + count), 'int32'), classes) as tf.Tensor2D });
    }
  }
  dispose(): void {
    for (const c of this.chunks) tf.dispose([c.x, c.xt, c.onehot]);
  }
}

/** Trains L softmax models (one per λ) at once; returns their weights [d, L·K] and biases [L·K]. */
async function trainSoftmax(data: ResidentRows, n: number, d: number, classes: number, lambdas: number[], s: ProbeSettings, options: ProbeOptions, progressBase: number, progressSpan: number) {
  const L = lambdas.length;
  const width = L * classes;
  let w = tf.zeros([d, width]) as tf.Tensor2D;
  let b = tf.zeros([width]) as tf.Tensor1D;
  let mw = tf.zerosLike(w), vw = tf.zerosLike(w), mb = tf.zerosLike(b), vb = tf.zerosLike(b);
  const lambdaCols = tf.tensor1d(lambdas.flatMap((l) => new Array(classes).fill(l)));
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-7];
  for (let step = 1; step <= s.steps; step++) {
    const next = tf.tidy(() => {
      let gw: tf.Tensor = tf.mul(w, lambdaCols);
      let gb: tf.Tensor = tf.zeros([width]);
      for (const c of data.chunks) {
        const logits = tf.add(tf.matMul(c.x, w), b);
        const p = tf.softmax(tf.reshape(logits, [-1, L, classes]));
        const residual = tf.reshape(tf.sub(p, tf.expandDims(c.onehot, 1)), [-1, width]);
        gw = tf.add(gw, tf.div(tf.matMul(c.xt, residual), n));
        gb = tf.add(gb, tf.div(tf.sum(residual, 0), n));
      }
      const nmw = tf.add(tf.mul(mw, beta1), tf.mul(gw, 1 - beta1));
      const nvw = tf.add(tf.mul(vw, beta2), tf.mul(tf.square(gw), 1 - beta2));
      const nmb = tf.add(tf.mul(mb, beta1), tf.mul(gb, 1 - beta1));
      const nvb = tf.add(tf.mul(vb, beta2), tf.mul(tf.square(gb), 1 - beta2));
      const c1 = 1 - beta1 ** step;
      const c2 = 1 - beta2 ** step;
      const nw = tf.sub(w, tf.mul(tf.div(tf.div(nmw, c1), tf.add(tf.sqrt(tf.div(nvw, c2)), eps)), s.learningRate));
      const nb = tf.sub(b, tf.mul(tf.div(tf.div(nmb, c1), tf.add(tf.sqrt(tf.div(nvb, c2)), eps)), s.learningRate));
      return [nw, nb, nmw, nvw, nmb, nvb];
    });
    tf.dispose([w, b, mw, vw, mb, vb]);
    [w, b, mw, vw, mb, vb] = next as [tf.Tensor2D, tf.Tensor1D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
    if (step % 10 === 0 || step === s.steps) {
      await new Promise((r) => setTimeout(r, 0)); // let cancel and progress through
      throwIfCancelled(options.signal);
      options.onProgress?.(progressBase + (progressSpan * step) / s.steps, `linear probe: step ${step}/${s.steps}`);
    }
  }
  tf.dispose([mw, vw, mb, vb, lambdaCols]);
  return { w, b };
}

/** Top-1 accuracy of each of the L models on resident rows. */
async function accuracies(data: ResidentRows, w: tf.Tensor2D, b: tf.Tensor1D, L: number, classes: number, labels: Int32Array): Promise<number[]> {
  const correct = new Array(L).fill(0);
  let offset = 0;
  for (const c of data.chunks) {
    const pred = tf.tidy(() => tf.argMax(tf.reshape(tf.add(tf.matMul(c.x, w), b), [-1, L, classes]), 2));
    const p = await pred.data();
    pred.dispose();
    const rows = c.x.shape[0];
    for (let r = 0; r < rows; r++) for (let l = 0; l < L; l++) if (p[r * L + l] === labels[offset + r]) correct[l]++;
    offset += rows;
  }
  return correct.map((k) => k / offset);
}

/** Maps arbitrary integer class ids to 0..K−1 (order of first appearance sorted by value). */
export function encodeClasses(...labelSets: Int32Array[]): { encoded: Int32Array[]; classes: number } {
  const values = [...new Set(labelSets.flatMap((l) => Array.from(l)))].sort((a, b) => a - b);
  const index = new Map(values.map((v, i) => [v, i]));
  return { encoded: labelSets.map((l) => Int32Array.from(l, (v) => index.get(v)!)), classes: values.length };
}

/**
 * Held-out accuracy of a softmax probe. `train`/`test` are standardised (with the train split's
 * statistics); labels are class ids, one per row.
 */
export async function linearProbeAccuracy(
  train: Matrix,
  trainLabels: Int32Array,
  test: Matrix,
  testLabels: Int32Array,
  settings: ProbeSettings = DEFAULT_PROBE_SETTINGS,
  options: ProbeOptions = {},
): Promise<ProbeResult> {
  const { encoded, classes } = encodeClasses(trainLabels, testLabels);
  const [ytr, yte] = encoded;
  if (classes < 2) throw new RedundancyLabError('bad-labels', `the labels have ${classes} distinct class; a probe needs at least 2`);
  const d = train.cols;
  const nFit = Math.max(1, Math.round(train.rows * (1 - settings.validationFraction)));
  const valRows: Matrix = { rows: train.rows - nFit, cols: d, data: train.data.subarray(nFit * d) };

  // 1. all λ at once on the fit part, scored on the validation part
  const fit = new ResidentRows(train, ytr, classes, nFit);
  const val = new ResidentRows(valRows, ytr.subarray(nFit), classes, valRows.rows);
  let chosen = settings.lambdas[0];
  let validationAccuracyByLambda: number[] = [];
  try {
    const grid = await trainSoftmax(fit, nFit, d, classes, settings.lambdas, settings, options, 0, 0.7);
    validationAccuracyByLambda = await accuracies(val, grid.w, grid.b, settings.lambdas.length, classes, ytr.subarray(nFit));
    tf.dispose([grid.w, grid.b]);
    // best validation accuracy; ties go to the stronger regularisation
    let best = -1;
    settings.lambdas.forEach((l, i) => {
      if (validationAccuracyByLambda[i] >= best) {
        best = validationAccuracyByLambda[i];
        chosen = l;
      }
    });
  } finally {
    fit.dispose();
    val.dispose();
  }

  // 2. refit the chosen λ on the whole train split, score held-out
  const all = new ResidentRows(train, ytr, classes, train.rows);
  const held = new ResidentRows(test, yte, classes, test.rows);
  try {
    const model = await trainSoftmax(all, train.rows, d, classes, [chosen], settings, options, 0.7, 0.3);
    const [accuracy] = await accuracies(held, model.w, model.b, 1, classes, yte);
    const [trainAccuracy] = await accuracies(all, model.w, model.b, 1, classes, ytr);
    tf.dispose([model.w, model.b]);
    const counts = new Array(classes).fill(0);
    ytr.forEach((c) => counts[c]++);
    const majority = counts.indexOf(Math.max(...counts));
    return {
      accuracy,
      majorityBaseline: yte.filter((c) => c === majority).length / yte.length,
      classes,
      lambda: chosen,
      validationAccuracyByLambda,
      trainAccuracy,
      nTrain: train.rows,
      nTest: test.rows,
      settings,
    };
  } finally {
    all.dispose();
    held.dispose();
  }
}
