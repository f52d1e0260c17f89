/** Cheap extras from the correlation / covariance matrices (science.md, "Cheap extras"). */
import { NotPositiveDefiniteError, spdInverse, symmetricEigenvalues } from './linalg.ts';

/**
 * RankMe (Garrido et al. 2023): exp of the entropy of the normalised singular values of the
 * (centred) embedding matrix; singular values are √ of the covariance eigenvalues.
 */
export function rankMe(covarianceEigenvalues: Float64Array): number {
  const sv = Array.from(covarianceEigenvalues, (l) => Math.sqrt(Math.max(l, 0)));
  const total = sv.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return 0;
  const eps = 1e-7; // as in the RankMe paper
  let entropy = 0;
  for (const s of sv) {
    const p = s / total + eps;
    entropy -= p * Math.log(p);
  }
  return Math.exp(entropy);
}

/** The ranks α-ReQ fits over, as reptrix's default `fit_range = np.arange(5, 100)` (0-based): ranks 6–100. */
export const ALPHA_REQ_RANKS = { first: 6, last: 100 } as const;

/**
 * α-ReQ (Agrawal et al. 2022) as reptrix computes it: the covariance eigenvalues λ_r of the centred
 * embeddings (reptrix takes PCA's explained-variance ratios, λ_r / Σλ — the normalisation and the n vs n−1
 * only move the intercept), then the weighted least-squares slope of log λ_r on −log r over ranks 6–100 with
 * weights 1/r. Larger α: faster decay, fewer effective directions. Null where the fit range is under 10 ranks
 * (D < 15) or reaches an eigenvalue that is zero to rounding (N or the live dims under 100): its log is noise.
 * Ranks past D are left out when D < 100.
 */
export function alphaReq(covarianceEigenvalues: Float64Array): number | null {
  const ev = covarianceEigenvalues; // descending
  const last = Math.min(ALPHA_REQ_RANKS.last, ev.length);
  if (last - ALPHA_REQ_RANKS.first + 1 < 10) return null;
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (let r = ALPHA_REQ_RANKS.first; r <= last; r++) {
    const lambda = ev[r - 1];
    if (!(lambda > ev[0] * 1e-12)) return null;
    const w = 1 / r;
    sw += w;
    sx += w * -Math.log(r);
    sy += w * Math.log(lambda);
  }
  const mx = sx / sw;
  const my = sy / sw;
  let sxy = 0;
  let sxx = 0;
  for (let r = ALPHA_REQ_RANKS.first; r <= last; r++) {
    const w = 1 / r;
    const dx = -Math.log(r) - mx;
    sxy += w * dx * (Math.log(ev[r - 1]) - my);
    sxx += w * dx * dx;
  }
  return sxy / sxx;
}

export interface InverseExtras {
  /** in-sample OLS R² per column: 1 − 1/(C⁻¹)_ii (the VIF identity) */
  inSampleR2: Float64Array;
  /** −½ log det C (nats) */
  gaussianTotalCorrelation: number;
}

/** Needs C positive definite; returns null when it is singular (N ≤ D, duplicated dims). onInverse sees C⁻¹ (not kept). */
export function inverseExtras(corr: Float64Array, k: number, onProgress?: (fraction: number) => void, onInverse?: (inverse: Float64Array) => void): InverseExtras | null {
  try {
    const { inverse, logDet } = spdInverse(corr, k, { onProgress });
    onInverse?.(inverse);
    const inSampleR2 = new Float64Array(k);
    for (let i = 0; i < k; i++) inSampleR2[i] = 1 - 1 / inverse[i * k + i];
    return { inSampleR2, gaussianTotalCorrelation: -0.5 * logDet };
  } catch (e) {
    if (e instanceof NotPositiveDefiniteError) return null;
    throw e;
  }
}

export { symmetricEigenvalues };
