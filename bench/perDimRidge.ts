/**
 * The reference the all-dims LR is measured against: one RidgeCV per target dimension, as the authors
 * (and scikit-learn) do it — for each target and each α, factor the (D−1)×(D−1) system, fit, compute the
 * leave-one-out errors from that model's own hat matrix, keep the best α, score on the held-out split.
 * Same backend for the N×D products, float64 for the factorisation. Kept in bench/, not in the app.
 */
import * as tf from '@tensorflow/tfjs-core';
import { spdInverse } from '../src/core/index.ts';

export interface StandardisedSplits {
  train: Float32Array; // nTrain × d
  test: Float32Array; // nTest × d
  nTrain: number;
  nTest: number;
  d: number;
  /** ZᵀZ of the train split, float64 */
  trainGram: Float64Array;
}

export function perDimRidgeR2(s: StandardisedSplits, target: number, alphas: number[]): { r2: number; alpha: number } {
  const { d, nTrain, nTest } = s;
  const others = Array.from({ length: d }, (_, j) => j).filter((j) => j !== target);
  const p = others.length;
  const g = Float64Array.from(others, (j) => s.trainGram[j * d + target]);
  let best = { loo: Infinity, alpha: alphas[0], beta: new Float64Array(p) };
  const xTrain = tf.tidy(() => tf.gather(tf.tensor2d(s.train, [nTrain, d]), others, 1));
  const yTrain = tf.tidy(() => tf.gather(tf.tensor2d(s.train, [nTrain, d]), [target], 1));
  for (const alpha of alphas) {
    const a = new Float64Array(p * p);
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) a[i * p + j] = s.trainGram[others[i] * d + others[j]] + (i === j ? alpha : 0);
    const { inverse } = spdInverse(a, p);
    const beta = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      let acc = 0;
      for (let j = 0; j < p; j++) acc += inverse[i * p + j] * g[j];
      beta[i] = acc;
    }
    const loo = tf.tidy(() => {
      const m = tf.tensor2d(Float32Array.from(inverse), [p, p]);
      const leverage = tf.sum(tf.mul(tf.matMul(xTrain, m), xTrain), 1, true);
      const residual = tf.sub(yTrain, tf.matMul(xTrain, tf.tensor2d(Float32Array.from(beta), [p, 1])));
      return tf.mean(tf.square(tf.div(residual, tf.sub(1 - 1 / nTrain, leverage)))).dataSync()[0];
    });
    if (loo < best.loo) best = { loo, alpha, beta };
  }
  const r2 = tf.tidy(() => {
    const test = tf.tensor2d(s.test, [nTest, d]);
    const pred = tf.matMul(tf.gather(test, others, 1), tf.tensor2d(Float32Array.from(best.beta), [p, 1]));
    return 1 - tf.sum(tf.square(tf.sub(tf.gather(test, [target], 1), pred))).dataSync()[0] / nTest;
  });
  xTrain.dispose();
  yTrain.dispose();
  return { r2, alpha: best.alpha };
}

/** Standardises the two splits (each with its own stats) and forms the train Gram matrix. */
export function standardiseSplits(data: Float32Array, d: number, train: Uint32Array, test: Uint32Array): StandardisedSplits {
  const take = (rows: Uint32Array) => {
    const out = new Float32Array(rows.length * d);
    const mean = new Float64Array(d);
    const sq = new Float64Array(d);
    rows.forEach((r) => {
      for (let j = 0; j < d; j++) mean[j] += data[r * d + j];
    });
    for (let j = 0; j < d; j++) mean[j] /= rows.length;
    rows.forEach((r) => {
      for (let j = 0; j < d; j++) sq[j] += (data[r * d + j] - mean[j]) ** 2;
    });
    const inv = sq.map((v) => 1 / Math.sqrt(v / rows.length));
    rows.forEach((r, i) => {
      for (let j = 0; j < d; j++) out[i * d + j] = (data[r * d + j] - mean[j]) * inv[j];
    });
    return out;
  };
  const trainZ = take(train);
  const gram = tf.tidy(() => {
    const z = tf.tensor2d(trainZ, [train.length, d]);
    return tf.matMul(tf.transpose(z), z).dataSync();
  });
  return { train: trainZ, test: take(test), nTrain: train.length, nTest: test.length, d, trainGram: Float64Array.from(gram) };
}
