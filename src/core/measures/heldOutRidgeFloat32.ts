/**
 * The PREVIOUS float32 LR path, kept only so `npm run bench` can put the exact path (heldOutRidge.ts) next
 * to it (RunOptions.precision = 'float32'); the app and the CLI never use it. Not exact when D/N_train is
 * not small — see heldOutRidge.ts and docs/science.md.
 *
 * LR: held-out ridge R² for every dimension at once, with α chosen per dimension the way
 * scikit-learn's RidgeCV does (efficient leave-one-out on the train split). See science.md.
 *
 *   G = ZᵀZ (train, standardised, sums — sklearn's α scale);  for each α: M = (G + αI)⁻¹, m = diag(M)
 *   Q = Z·M.  Train residual of target i on row r: e = Q_ri / m_i;  leverage without column i:
 *   h = Σ_j Z_rj Q_rj − Q_ri² / m_i;  LOO error_i = mean_r (e / (1 − 1/n − h))²  (1/n: free intercept)
 *   Held-out residual of target i: (Z_te · M)_ri / m_i  (column i of M·diag(m)⁻¹ is [−β_i; 1]).
 *
 * The D×D inverses run in float64 on the CPU; the N×D by D×(K·D) products run on the backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backendLimits } from '../compute/limits.ts';
import { regularisedInverse as exactInverse } from './heldOutRidge.ts';
import type { ArrayHandle, Matrix } from '../io/types.ts';
import type { MeasureSettings } from './types.ts';
import { correlationFromScatter, type RowAssignment, type SplitMoments } from './splitScatter.ts';
import { forEachStandardisedBlock, keepNlrRows, type SplitStandardiser } from './standardisedRows.ts';
import { gemmNT } from '../numerics/linalgKernels.ts';

export interface RidgePlan {
  /** one α per entry, sklearn scale */
  alphas: number[];
  /** usable column count */
  d: number;
  nTrain: number;
  /**
   * W_k = (G + α_k I)⁻¹ · diag(m_k)⁻¹ as float32, concatenated column-wise: d × (K·d) row-major.
   * Column i of W_k is [−β_i; 1]: Z·W_k gives residuals directly (W_ii = 1 exactly in float32).
   */
  residualMaps: Float32Array;
  /** m_k = diag((G + α_k I)⁻¹), K × d */
  diag: Float32Array;
  /**
   * Held-out squared residuals (K × d) from the held-out Gram instead of a pass over the held-out rows:
   * Σ_r ((Z_te·W_k)_ri)² = (W_kᵀ G_te W_k)_ii = (M_k G_te M_k)_ii / m_ki², one D³ product per α in float64
   * rather than 2·N_te·D² per α on the backend — chosen when N_te > D. Null: use the row pass.
   */
  heldOutSquaredError: Float64Array | null;
}

/**
 * The K float64 inverses of the regularised train Gram matrix; onProgress(k, fraction of inverse k).
 * With `testGram` (the held-out rows' standardised Gram, Z_teᵀZ_te), the held-out residuals come from it.
 */
export function planRidge(
  trainGram: Float64Array,
  d: number,
  nTrain: number,
  alphas: number[],
  onProgress?: (k: number, fraction: number) => void,
  testGram: Float64Array | null = null,
): RidgePlan {
  const K = alphas.length;
  const residualMaps = new Float32Array(d * K * d);
  const diag = new Float32Array(K * d);
  const heldOut = testGram ? new Float64Array(K * d) : null;
  const product = testGram ? new Float64Array(d * d) : null;
  alphas.forEach((alpha, k) => {
    // G came from float32 products: its rounding (~1e-6 of the diagonal) sets the first shift tried
    const inverse = exactInverse(trainGram, d, alpha, onProgress && ((f) => onProgress(k, f)), 1e-6);
    const m = Float64Array.from({ length: d }, (_, i) => inverse[i * d + i]);
    for (let r = 0; r < d; r++) {
      const dst = r * K * d + k * d;
      for (let i = 0; i < d; i++) residualMaps[dst + i] = inverse[r * d + i] / m[i];
    }
    diag.set(m, k * d);
    if (testGram && product && heldOut) {
      // product = G_te · Mᵀ = G_te · M (M is symmetric); (M G_te M)_ii = Σ_j M_ji · product_ji
      product.fill(0);
      gemmNT(d, d, d, testGram, 0, d, inverse, 0, d, product, 0, d, 1);
      const ss = heldOut.subarray(k * d, (k + 1) * d);
      for (let j = 0; j < d; j++) for (let i = 0; i < d; i++) ss[i] += inverse[j * d + i] * product[j * d + i];
      for (let i = 0; i < d; i++) ss[i] /= m[i] * m[i];
    }
  });
  return { alphas, d, nTrain, residualMaps, diag, heldOutSquaredError: heldOut };
}

/** Running sums over row blocks: LOO squared errors (train) and held-out squared residuals (test), K × d. */
export class RidgeAccumulator {
  readonly looSquaredError: Float64Array;
  readonly heldOutSquaredError: Float64Array;
  /**
   * The d × (K·d) maps cut into row bands that each fit one tensor (`maxTensorBytes`, the backend's
   * limit: WebGPU's default binding is 128 MiB, while K·d² floats reach 335 MB at d = 4096 and 1.3 GB
   * at d = 8192). Z·W = Σ_bands Z[:, band] · W[band, :]; row bands are contiguous in the plan.
   */
  private readonly residualMapBands: { start: number; rows: number; map: tf.Tensor2D }[] = [];
  private readonly diag: tf.Tensor2D;
  private readonly K: number;

  constructor(
    private readonly plan: RidgePlan,
    maxTensorBytes = backendLimits().maxTensorBytes,
  ) {
    this.K = plan.alphas.length;
    const width = this.K * plan.d;
    this.looSquaredError = new Float64Array(width);
    this.heldOutSquaredError = new Float64Array(width);
    const bandRows = Math.max(1, Math.floor(maxTensorBytes / (4 * width)));
    for (let start = 0; start < plan.d; start += bandRows) {
      const rows = Math.min(bandRows, plan.d - start);
      const map = tf.tensor2d(plan.residualMaps.subarray(start * width, (start + rows) * width), [rows, width]);
      this.residualMapBands.push({ start, rows, map });
    }
    this.diag = tf.tensor2d(plan.diag, [this.K, plan.d]);
  }

  /** Z·W for a block of rows (rows × K·d), band by band. */
  private residuals(z: tf.Tensor2D): tf.Tensor2D {
    const bands = this.residualMapBands;
    if (bands.length === 1) return tf.matMul(z, bands[0].map);
    return tf.addN(bands.map((b) => tf.matMul(tf.slice(z, [0, b.start], [-1, b.rows]), b.map))) as tf.Tensor2D;
  }

  /** z: standardised rows (rows × d) of the train split. */
  async addTrainRows(z: Float32Array, rows: number): Promise<void> {
    if (rows === 0) return;
    const { d, nTrain } = this.plan;
    const sums = tf.tidy(() => {
      const zt = tf.tensor2d(z, [rows, d]);
      const e = tf.reshape(this.residuals(zt), [rows, this.K, d]); // residual e = Q / m
      const q = tf.mul(e, this.diag); // Q = Z·M
      const rowDot = tf.sum(tf.mul(tf.expandDims(zt, 1), q), 2, true); // zᵀ M z: rows × K × 1
      const h = tf.sub(rowDot, tf.mul(q, e)); // leverage without the target column
      const loo = tf.div(e, tf.sub(1 - 1 / nTrain, h));
      return tf.sum(tf.square(loo), 0);
    });
    await addInto(this.looSquaredError, sums);
  }

  /** z: standardised rows (rows × d) of the held-out split. */
  async addTestRows(z: Float32Array, rows: number): Promise<void> {
    if (rows === 0) return;
    const { d } = this.plan;
    const sums = tf.tidy(() => {
      const residual = this.residuals(tf.tensor2d(z, [rows, d]));
      return tf.reshape(tf.sum(tf.square(residual), 0), [this.K, d]);
    });
    await addInto(this.heldOutSquaredError, sums);
  }

  dispose(): void {
    this.residualMapBands.forEach((b) => b.map.dispose());
    this.diag.dispose();
  }
}

/** Async read-back: WebGPU's dataSync goes through a canvas copy that returns wrong values on some adapters. */
async function addInto(acc: Float64Array, t: tf.Tensor): Promise<void> {
  const v = await t.data();
  t.dispose();
  for (let k = 0; k < v.length; k++) acc[k] += v[k];
}

export interface RidgeOutcome {
  /** held-out R² per usable column */
  r2: Float64Array;
  /** chosen α per usable column */
  alpha: Float64Array;
}

/** Per target: the α with the smallest LOO error, and its held-out R² = 1 − SSres / n_test. */
export function chooseAlphas(acc: RidgeAccumulator, plan: RidgePlan, nTest: number): RidgeOutcome {
  const { d, alphas } = plan;
  const r2 = new Float64Array(d);
  const alpha = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let best = 0;
    for (let k = 1; k < alphas.length; k++) {
      if (acc.looSquaredError[k * d + i] < acc.looSquaredError[best * d + i]) best = k;
    }
    alpha[i] = alphas[best];
    // the held-out target is standardised on its own split: SStot = n_test exactly
    r2[i] = 1 - (plan.heldOutSquaredError ?? acc.heldOutSquaredError)[best * d + i] / nTest;
  }
  return { r2, alpha };
}

/** Rows per block for the ridge pass: keeps rows × K × d floats (several temporaries) near 4M. */
export function ridgeRowsPerBlock(d: number, K: number): number {
  return Math.max(16, Math.min(8192, Math.floor((4 << 20) / (K * d))));
}

/** The previous float32 LR path (bench comparison only): float32 residual maps and products on the backend. */
export async function float32Lr(
  array: ArrayHandle,
  rows: RowAssignment,
  standardiser: SplitStandardiser,
  trainGram: Float64Array | null,
  scatter: { test: Float64Array },
  usable: number[],
  moments: SplitMoments,
  settings: MeasureSettings,
  nlrCap: { train: number; test: number } | null,
  scatterBlock: number,
  onInverse: (alpha: number, fraction: number) => void,
  onBlock: (rowsDone: number) => void,
  signal?: AbortSignal,
): Promise<{ lrOut: { r2: Float64Array; alpha: Float64Array } | null; nlrRows: { train: Matrix; test: Matrix } | null }> {
  const d = array.cols;
  const k = usable.length;
  const K = settings.ridgeAlphas.length;
  const testGram = trainGram && moments.nTest > 8 * k ? correlationFromScatter(scatter.test, d, usable).map((v) => v * moments.nTest) : null;
  const plan = trainGram
    ? planRidge(trainGram, k, moments.nTrain, settings.ridgeAlphas, onInverse, testGram)
    : null;
  const ridge = plan ? new RidgeAccumulator(plan) : null;
  if (plan) plan.residualMaps = new Float32Array(0); // the backend holds the maps now
  const keep = nlrCap ? { train: new Float32Array(nlrCap.train * k), test: new Float32Array(nlrCap.test * k) } : null;
  const blockRows = Math.min(scatterBlock, plan ? ridgeRowsPerBlock(k, K) : scatterBlock);
  try {
    await forEachStandardisedBlock(array, rows, standardiser, blockRows, async (z64, count, isTest, splitRows, rowStart) => {
      const z = Float32Array.from(z64);
      if (ridge && !isTest) await ridge.addTrainRows(z, count);
      if (ridge && isTest && !plan?.heldOutSquaredError) await ridge.addTestRows(z, count);
      if (keep && nlrCap) keepNlrRows(z64, k, isTest ? keep.test : keep.train, isTest ? nlrCap.test : nlrCap.train, splitRows, rowStart, rows);
    }, onBlock, signal);
  } finally {
    ridge?.dispose();
  }
  return {
    lrOut: plan && ridge ? chooseAlphas(ridge, plan, moments.nTest) : null,
    nlrRows: keep && nlrCap ? { train: { rows: nlrCap.train, cols: k, data: keep.train }, test: { rows: nlrCap.test, cols: k, data: keep.test } } : null,
  };
}

