/**
 * LR, exactly: held-out ridge R² for every dimension at once, with α chosen per dimension the way
 * scikit-learn's RidgeCV does (efficient leave-one-out on the train split), all in float64. See
 * docs/science.md ("Precision").
 *
 *   G = ZᵀZ (train, standardised, sums — sklearn's α scale);  for each α: M = (G + αI)⁻¹, m = diag(M)
 *   Q = Z·M.  Train residual of target i on row r: e = Q_ri / m_i;  leverage without column i:
 *   h = Σ_j Z_rj Q_rj − Q_ri² / m_i;  LOO error_i = mean_r (e / (1 − 1/n − h))²  (1/n: free intercept)
 *   Held-out SSE of target i: (M G_te M)_ii / m_i²  (column i of M·diag(m)⁻¹ is [−β_i; 1]), or the
 *   same as Σ_r ((Z_te·M)_ri / m_i)² over the held-out rows when that is cheaper (N_te < D).
 *
 * Why float64 throughout and not the backend's float32: at small α and D/N_train ≳ 0.2, G + αI is
 * near-singular and the LOO denominators 1 − 1/n − h cancel (h ≈ 0.999 seen on real features), so the
 * float32 rounding of the Gram, of Z·M and of h moves single dims by whole units (measured: 4.6 on real
 * MobileNetV2 features). A float32 product's error bound, u₃₂·√D·‖z_r‖·‖M_i‖ per residual, is above the
 * 1e-6 we promise for every D ≥ 16 even at cond(G + αI) = 1, so no input qualifies for float32 here.
 * The products run through the float64 WebAssembly SIMD kernel (gemmNT), on every backend alike.
 *
 * A subset of targets (the null baseline: its mean over a seeded sample of dims is what it reports) needs the
 * same leverage h = zᵀMz, which involves all of M, but only the targets' columns of Q. With M = Y Yᵀ
 * (Y = L⁻ᵀ, triangular) h = ‖z Y‖², a triangular product (half of Z·M's flops), and Q_S = Z·M[:, S] costs
 * N·D·|S|: for |S| = D/8 the rows cost ~0.7 of the full product's (measured). Each target's numbers are the full
 * ridge's (the same sums in another order: equal to rounding).
 */
import { RedundancyLabError } from '../errors.ts';
import { NotPositiveDefiniteError, spdInverse, spdInverseFactor } from '../numerics/linalg.ts';
import { gemmNT } from '../numerics/linalgKernels.ts';

/** Memory for the K maps M_k held during one pass over the train rows; more α take more passes. */
const MAPS_BUDGET_BYTES = 256 * 2 ** 20;
/** Rows per Z·M product: the packed copy of M is amortised over this many rows. */
export const RIDGE_ROWS_PER_PRODUCT = 512;

export interface RidgeOutcome {
  /** held-out R² per usable column */
  r2: Float64Array;
  /** chosen α per usable column */
  alpha: Float64Array;
  /** per usable column, its strongest predictors at its chosen α (indices into the usable columns) */
  topPredictors?: TopPredictor[][];
}

/** One input of a target's ridge regression: its standardised coefficient and ridge partial correlation. */
export interface TopPredictor {
  dim: number;
  /** the coefficient of this (standardised) input in the target's ridge fit: −M_ji / M_ii, M = (G + αI)⁻¹ */
  coef: number;
  /** −M_ij / √(M_ii M_jj), same M: the partial correlation given the other inputs, shrunk by the ridge */
  partialCorr: number;
}

/** How many predictors per dim are kept by default (`--top-predictors K`). */
export const TOP_PREDICTORS = 5;

/**
 * The `count` inputs with the largest |coefficient| for every target, from one M = (G + αI)⁻¹: the ridge fit of
 * column i on the others has coefficients −M_{−i,i} / M_ii exactly (block inverse), α included.
 * Sorted by |coef| descending, ties by the lower index.
 */
export function topPredictorsFromInverse(inverse: Float64Array, d: number, count: number): TopPredictor[][] {
  const keep = Math.min(count, d - 1);
  const out: TopPredictor[][] = [];
  for (let i = 0; i < d; i++) {
    const mii = inverse[i * d + i];
    const best: number[] = []; // indices j, kept sorted by |M_ji| descending
    for (let j = 0; j < d; j++) {
      if (j === i) continue;
      const v = Math.abs(inverse[j * d + i]);
      if (best.length === keep && v <= Math.abs(inverse[best[keep - 1] * d + i])) continue;
      let at = best.length;
      while (at > 0 && Math.abs(inverse[best[at - 1] * d + i]) < v) at--;
      best.splice(at, 0, j);
      if (best.length > keep) best.pop();
    }
    out.push(best.map((j) => ({ dim: j, coef: -inverse[j * d + i] / mii, partialCorr: -inverse[j * d + i] / Math.sqrt(mii * inverse[j * d + j]) })));
  }
  return out;
}

/**
 * The exact all-dims RidgeCV. Use: for each group of groups(): prepareGroup(g), then feed every train
 * row (and, when needsTestRows(), every held-out row) standardised in float64, then finishGroup();
 * finally outcome().
 */
export class ExactRidge {
  readonly K: number;
  /** Σ_r LOO squared error, K × d */
  private readonly loo: Float64Array;
  /** held-out SSE, K × d */
  private readonly heldOut: Float64Array;
  /** the group being accumulated: α indices with their M_k (d × d) and m_k; with targets, M_k's target rows and Yᵀ */
  private current: { k: number; inverse: Float64Array; diag: Float64Array; factorT?: Float64Array }[] = [];
  private q = new Float64Array(0);
  private w = new Float64Array(0);
  /** the regressions solved: every column (null) or these column indices */
  readonly targets: number[] | null;
  /** number of targets: d, or targets.length */
  readonly t: number;
  /** per α index: every target's top predictors (when topPredictors > 0) */
  private readonly top: (TopPredictor[][] | null)[];

  constructor(
    private readonly trainGram: Float64Array,
    readonly d: number,
    readonly nTrain: number,
    readonly nTest: number,
    readonly alphas: number[],
    /** the held-out rows' standardised Gram Z_teᵀZ_te, or null to read held-out rows */
    private readonly testGram: Float64Array | null,
    /** predictors kept per target (0: none) */
    private readonly topPredictors = 0,
    /** solve only these columns' regressions (indices < d, ascending); all of them when omitted */
    targets?: number[],
  ) {
    this.K = alphas.length;
    this.targets = targets ? [...targets] : null;
    this.t = this.targets ? this.targets.length : d;
    if (this.targets && this.topPredictors > 0) throw new Error('ExactRidge: top predictors need every target');
    this.top = new Array(this.K).fill(null);
    this.loo = new Float64Array(this.K * this.t);
    this.heldOut = new Float64Array(this.K * this.t);
  }

  /** α indices per pass over the rows: as many maps as fit MAPS_BUDGET_BYTES (at least one). */
  groups(): number[][] {
    const perGroup = Math.max(1, Math.floor(MAPS_BUDGET_BYTES / (8 * this.d * this.d)));
    const out: number[][] = [];
    for (let k = 0; k < this.K; k += perGroup) out.push(Array.from({ length: Math.min(perGroup, this.K - k) }, (_, i) => k + i));
    return out;
  }

  needsTestRows(): boolean {
    return this.testGram === null;
  }

  /** The inverses of the group's α (float64 Cholesky); the held-out SSE from the held-out Gram if given. */
  prepareGroup(group: number[], onProgress?: (k: number, fraction: number) => void): void {
    if (this.targets) return this.prepareSubsetGroup(group, this.targets, onProgress);
    const d = this.d;
    this.current = [];
    const product = this.testGram ? new Float64Array(d * d) : null;
    for (const k of group) {
      const inverse = regularisedInverse(this.trainGram, d, this.alphas[k], onProgress && ((f) => onProgress(k, f)));
      const diag = Float64Array.from({ length: d }, (_, i) => inverse[i * d + i]);
      if (this.topPredictors > 0) this.top[k] = topPredictorsFromInverse(inverse, d, this.topPredictors);
      if (this.testGram && product) {
        // product = G_te · M (M symmetric); (M G_te M)_ii = Σ_j M_ji · product_ji
        product.fill(0);
        gemmNT(d, d, d, this.testGram, 0, d, inverse, 0, d, product, 0, d, 1);
        const ss = this.heldOut.subarray(k * d, (k + 1) * d);
        for (let j = 0; j < d; j++) for (let i = 0; i < d; i++) ss[i] += inverse[j * d + i] * product[j * d + i];
        for (let i = 0; i < d; i++) ss[i] /= diag[i] * diag[i];
      }
      this.current.push({ k, inverse, diag });
    }
  }

  /**
   * For a subset S of targets: per α the factor Y (M = Y Yᵀ), kept transposed (Yᵀ = L⁻¹, lower: row c is zero
   * after column c) for the leverage, and M's rows S (M_S = Y_S·Yᵀ, t × d) for Q_S = Z·M_Sᵀ.
   */
  private prepareSubsetGroup(group: number[], targets: number[], onProgress?: (k: number, fraction: number) => void): void {
    const { d, t } = this;
    this.current = [];
    const product = this.testGram ? new Float64Array(t * d) : null;
    for (const k of group) {
      const y = regularisedFactor(this.trainGram, d, this.alphas[k], onProgress && ((f) => onProgress(k, f)));
      const ys = new Float64Array(t * d);
      targets.forEach((c, s) => ys.set(y.subarray(c * d, (c + 1) * d), s * d));
      const rows = new Float64Array(t * d); // M_S: row s is M's row targets[s]
      gemmNT(t, d, d, ys, 0, d, y, 0, d, rows, 0, d, 1);
      const diag = Float64Array.from(targets, (c, s) => rows[s * d + c]);
      const factorT = new Float64Array(d * d);
      for (let i = 0; i < d; i++) for (let j = i; j < d; j++) factorT[j * d + i] = y[i * d + j];
      if (this.testGram && product) {
        // (M G_te M)_ii = Σ_j M_ij (M G_te)_ij over the targets' rows
        product.fill(0);
        gemmNT(t, d, d, rows, 0, d, this.testGram, 0, d, product, 0, d, 1);
        const ss = this.heldOut.subarray(k * t, (k + 1) * t);
        for (let s = 0; s < t; s++) {
          let sum = 0;
          for (let j = 0; j < d; j++) sum += rows[s * d + j] * product[s * d + j];
          ss[s] += sum / (diag[s] * diag[s]);
        }
      }
      this.current.push({ k, inverse: rows, diag, factorT });
    }
  }

  /** z: standardised train rows (rows × d, float64): the LOO squared errors of every target, per α. */
  addTrainRows(z: Float64Array, rows: number): void {
    const { d, t } = this;
    const denomBase = 1 - 1 / this.nTrain;
    if (this.targets) {
      this.forEachSubsetProduct(z, rows, true, (q, w, count, k, diag) => {
        const acc = this.loo.subarray(k * t, (k + 1) * t);
        for (let r = 0; r < count; r++) {
          let leverage = 0; // zᵀ M z = ‖z Y‖²
          for (let c = r * d, end = c + d; c < end; c++) leverage += w[c] * w[c];
          for (let s = 0; s < t; s++) {
            const e = q[r * t + s] / diag[s];
            const loo = e / (denomBase - (leverage - q[r * t + s] * e));
            acc[s] += loo * loo;
          }
        }
      });
      return;
    }
    this.forEachProduct(z, rows, (q, r0, count, k, diag) => {
      const acc = this.loo.subarray(k * d, (k + 1) * d);
      for (let r = 0; r < count; r++) {
        const row = r * d;
        const zRow = (r0 + r) * d;
        let leverage = 0; // zᵀ M z
        for (let j = 0; j < d; j++) leverage += z[zRow + j] * q[row + j];
        for (let i = 0; i < d; i++) {
          const e = q[row + i] / diag[i];
          const loo = e / (denomBase - (leverage - q[row + i] * e));
          acc[i] += loo * loo;
        }
      }
    });
  }

  /** z: standardised held-out rows (rows × d, float64); only when needsTestRows(). */
  addTestRows(z: Float64Array, rows: number): void {
    const { d, t } = this;
    if (this.targets) {
      this.forEachSubsetProduct(z, rows, false, (q, _w, count, k, diag) => {
        const acc = this.heldOut.subarray(k * t, (k + 1) * t);
        for (let r = 0; r < count; r++) {
          for (let s = 0; s < t; s++) {
            const e = q[r * t + s] / diag[s];
            acc[s] += e * e;
          }
        }
      });
      return;
    }
    this.forEachProduct(z, rows, (q, _r0, count, k, diag) => {
      const acc = this.heldOut.subarray(k * d, (k + 1) * d);
      for (let r = 0; r < count; r++) {
        for (let i = 0; i < d; i++) {
          const e = q[r * d + i] / diag[i];
          acc[i] += e * e;
        }
      }
    });
  }

  /** Q = Z·M_k for each α of the group, RIDGE_ROWS_PER_PRODUCT rows at a time (float64 gemm). */
  private forEachProduct(z: Float64Array, rows: number, visit: (q: Float64Array, r0: number, count: number, k: number, diag: Float64Array) => void): void {
    const d = this.d;
    for (let r0 = 0; r0 < rows; r0 += RIDGE_ROWS_PER_PRODUCT) {
      const count = Math.min(RIDGE_ROWS_PER_PRODUCT, rows - r0);
      const q = this.buffer(count);
      for (const { k, inverse, diag } of this.current) {
        q.fill(0, 0, count * d);
        gemmNT(count, d, d, z, r0 * d, d, inverse, 0, d, q, 0, d, 1);
        visit(q, r0, count, k, diag);
      }
    }
  }

  /**
   * The subset's products per α, RIDGE_ROWS_PER_PRODUCT rows at a time: Q_S = Z·M_Sᵀ (count × t) and, for the
   * train rows' leverage, W = Z·Y (count × d) with Yᵀ lower triangular (gemmNT's lowerB skips its zero slices).
   */
  private forEachSubsetProduct(
    z: Float64Array,
    rows: number,
    leverage: boolean,
    visit: (q: Float64Array, w: Float64Array, count: number, k: number, diag: Float64Array) => void,
  ): void {
    const { d, t } = this;
    if (this.q.length < RIDGE_ROWS_PER_PRODUCT * t) this.q = new Float64Array(RIDGE_ROWS_PER_PRODUCT * t);
    if (leverage && this.w.length < RIDGE_ROWS_PER_PRODUCT * d) this.w = new Float64Array(RIDGE_ROWS_PER_PRODUCT * d);
    const { q, w } = this;
    for (let r0 = 0; r0 < rows; r0 += RIDGE_ROWS_PER_PRODUCT) {
      const count = Math.min(RIDGE_ROWS_PER_PRODUCT, rows - r0);
      for (const { k, inverse, diag, factorT } of this.current) {
        q.fill(0, 0, count * t);
        gemmNT(count, t, d, z, r0 * d, d, inverse, 0, d, q, 0, t, 1);
        if (leverage && factorT) {
          w.fill(0, 0, count * d);
          gemmNT(count, d, d, z, r0 * d, d, factorT, 0, d, w, 0, d, 1, true);
        }
        visit(q, w, count, k, diag);
      }
    }
  }

  finishGroup(): void {
    this.current = [];
  }

  /** What the rows added (a SLURM task's part): the LOO sums, and the held-out SSE where it came from rows. */
  rowSums(): { loo: Float64Array; heldOut: Float64Array | null } {
    return { loo: this.loo.slice(), heldOut: this.needsTestRows() ? this.heldOut.slice() : null };
  }

  /** Adds row sums made elsewhere (the tasks' merged parts) instead of reading the rows here. */
  addRowSums(sums: { loo: Float64Array; heldOut: Float64Array | null }): void {
    if (sums.loo.length !== this.loo.length || (this.needsTestRows() && sums.heldOut?.length !== this.heldOut.length)) {
      throw new RedundancyLabError('bad-option', `LR row sums of ${sums.loo.length} values do not fit this ridge (${this.K} α × ${this.d} dims)`);
    }
    for (let i = 0; i < this.loo.length; i++) this.loo[i] += sums.loo[i];
    if (this.needsTestRows() && sums.heldOut) for (let i = 0; i < this.heldOut.length; i++) this.heldOut[i] += sums.heldOut[i];
  }

  /** Per target: the α with the smallest LOO error (first on ties, as RidgeCV), and its held-out R². */
  outcome(): RidgeOutcome {
    const { t, alphas } = this;
    const r2 = new Float64Array(t);
    const alpha = new Float64Array(t);
    const top: TopPredictor[][] = [];
    for (let i = 0; i < t; i++) {
      let best = 0;
      for (let k = 1; k < alphas.length; k++) if (this.loo[k * t + i] < this.loo[best * t + i]) best = k;
      alpha[i] = alphas[best];
      top.push(this.top[best]?.[i] ?? []);
      // the held-out target is standardised on its own split: SStot = n_test exactly
      r2[i] = 1 - this.heldOut[best * t + i] / this.nTest;
    }
    return this.topPredictors > 0 ? { r2, alpha, topPredictors: top } : { r2, alpha };
  }

  /** scratch for Q = Z·M over `count` rows */
  private buffer(count: number): Float64Array {
    if (this.q.length < count * this.d) this.q = new Float64Array(RIDGE_ROWS_PER_PRODUCT * this.d);
    return this.q;
  }
}

/**
 * (G + αI)⁻¹ in float64. Where G is singular (fewer train rows than dims, or duplicated dims) its zero
 * eigenvalues may come out slightly negative from rounding (~1e-16 of the diagonal per entry in float64;
 * ~1e-6 when G came from float32 products), and with a small α the sum may not factor. Then the smallest
 * shift from 1e-12 of the mean diagonal up (×10 per try) that factors is added to α and reported through
 * onShift; past 1% of the diagonal the Gram is not a Gram.
 */
export function regularisedInverse(
  gram: Float64Array,
  d: number,
  alpha: number,
  onProgress?: (fraction: number) => void,
  firstShift = 1e-12,
): Float64Array {
  return withSmallestShift(gram, d, alpha, firstShift, (a) => spdInverse(a, d, { overwriteInput: true, onProgress }).inverse);
}

/** As regularisedInverse, but Y with (G + αI)⁻¹ = Y Yᵀ (spdInverseFactor): for the ridge on a subset of targets. */
export function regularisedFactor(gram: Float64Array, d: number, alpha: number, onProgress?: (fraction: number) => void, firstShift = 1e-12): Float64Array {
  return withSmallestShift(gram, d, alpha, firstShift, (a) => spdInverseFactor(a, d, { overwriteInput: true, onProgress }).factor);
}

function withSmallestShift(gram: Float64Array, d: number, alpha: number, firstShift: number, factor: (a: Float64Array) => Float64Array): Float64Array {
  let meanDiag = 0;
  for (let i = 0; i < d; i++) meanDiag += gram[i * d + i] / d;
  for (let shift = 0; ; shift = shift === 0 ? firstShift * meanDiag : shift * 10) {
    const a = Float64Array.from(gram);
    for (let i = 0; i < d; i++) a[i * d + i] += alpha + shift;
    try {
      return factor(a);
    } catch (e) {
      if (!(e instanceof NotPositiveDefiniteError)) throw e;
      if (shift >= 1e-2 * meanDiag) {
        throw new RedundancyLabError(
          'bad-values',
          `the train Gram matrix is not positive definite even with ${(shift / meanDiag).toExponential(0)} of its diagonal added (pivot ${e.column}); the embeddings may contain extreme values — check them`,
        );
      }
    }
  }
}
