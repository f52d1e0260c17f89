/** α-ReQ and its fitted line: plain arithmetic, no imports (the page's charts draw the fit). */

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
export function alphaReq(covarianceEigenvalues: ArrayLike<number>): number | null {
  return alphaReqFit(covarianceEigenvalues)?.alpha ?? null;
}

/** The α-ReQ line, for drawing it: log λ_r ≈ logIntercept − alpha · log r over ranks first…last (λ as given). */
export interface AlphaReqFit {
  alpha: number;
  logIntercept: number;
  first: number;
  last: number;
}

/** The weighted fit behind alphaReq (same conditions for null). */
export function alphaReqFit(covarianceEigenvalues: ArrayLike<number>): AlphaReqFit | null {
  const ev = covarianceEigenvalues; // descending
  const first = ALPHA_REQ_RANKS.first;
  const last = Math.min(ALPHA_REQ_RANKS.last, ev.length);
  if (last - first + 1 < 10) return null;
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (let r = first; r <= last; r++) {
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
  for (let r = first; r <= last; r++) {
    const w = 1 / r;
    const dx = -Math.log(r) - mx;
    sxy += w * dx * (Math.log(ev[r - 1]) - my);
    sxx += w * dx * dx;
  }
  const alpha = sxy / sxx;
  return { alpha, logIntercept: my - alpha * mx, first, last };
}

/** The fitted α-ReQ line at a rank: exp(logIntercept − α · log rank), in the units of the λ it was fitted on. */
export function alphaReqLine(fit: AlphaReqFit, rank: number): number {
  return Math.exp(fit.logIntercept - fit.alpha * Math.log(rank));
}

/** The covariance spectrum as the α-ReQ chart draws it (reptrix's convention). */
export interface ExplainedVarianceSpectrum {
  /** λ_r / Σ max(λ, 0), rank r = index + 1 (largest first) */
  ratios: number[];
  /** the α-ReQ fit on the ratios (its slope is alphaReq of the raw eigenvalues), null as alphaReqFit */
  fit: AlphaReqFit | null;
  /** the fitted line per rank, null outside ranks fit.first…fit.last or without a fit */
  fitted: (number | null)[];
}

/** The explained-variance ratios of the covariance eigenvalues and the α-ReQ line over them; null where Σλ ≤ 0 (every dim constant). */
export function explainedVarianceSpectrum(covarianceEigenvalues: ArrayLike<number>): ExplainedVarianceSpectrum | null {
  const ev = Array.from(covarianceEigenvalues);
  const total = ev.reduce((a, b) => a + Math.max(b, 0), 0);
  if (!(total > 0)) return null;
  const ratios = ev.map((v) => v / total);
  const fit = alphaReqFit(ratios);
  const fitted = ratios.map((_, i) => (fit && i + 1 >= fit.first && i + 1 <= fit.last ? alphaReqLine(fit, i + 1) : null));
  return { ratios, fit, fitted };
}
