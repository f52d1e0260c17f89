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

export { ALPHA_REQ_RANKS, alphaReq, alphaReqFit, type AlphaReqFit } from './alphaReq.ts';

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
