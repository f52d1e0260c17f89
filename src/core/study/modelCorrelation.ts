/**
 * "Does this measure track accuracy across models?" — Pearson r, Spearman ρ and a percentile-bootstrap
 * 95% CI of r over models (models resampled with replacement, seeded). With ≤ 3 models a correlation is
 * not meaningful: we say so instead of drawing a line.
 */
import { pearson, spearman } from '../numerics/rankCorrelation.ts';
import { seededIntervalStream } from '../numerics/split.ts';

export interface ModelCorrelation {
  n: number;
  pearson: number | null;
  spearman: number | null;
  /** 95% percentile-bootstrap interval of Pearson r over models; null when not meaningful */
  pearsonCi95: [number, number] | null;
  meaningful: boolean;
  note: string | null;
}

export const MIN_MODELS_FOR_CORRELATION = 4;

export function correlateAcrossModels(x: readonly (number | null)[], y: readonly (number | null)[], bootstrap = 2000, seed = 0): ModelCorrelation {
  const pairs = x.flatMap((v, i) => (v !== null && y[i] !== null && Number.isFinite(v) && Number.isFinite(y[i]!) ? [[v, y[i]!] as const] : []));
  const n = pairs.length;
  // a measure left out of the study (--measures aac,lr) is not "too few models"
  if (!x.some((v) => v !== null) || !y.some((v) => v !== null)) {
    return { n, pearson: null, spearman: null, pearsonCi95: null, meaningful: false, note: 'not measured' };
  }
  if (n < MIN_MODELS_FOR_CORRELATION) {
    return { n, pearson: null, spearman: null, pearsonCi95: null, meaningful: false, note: `${n} model${n === 1 ? '' : 's'}: a correlation needs at least ${MIN_MODELS_FOR_CORRELATION} to mean anything` };
  }
  const xs = pairs.map((p) => p[0]);
  const ys = pairs.map((p) => p[1]);
  const r = pearson(xs, ys);
  const rho = spearman(xs, ys);
  const draw = seededIntervalStream(seed); // reproducible CI
  const draws: number[] = [];
  for (let b = 0; b < bootstrap; b++) {
    const idx = Array.from({ length: n }, () => draw(n - 1));
    const rb = pearson(idx.map((i) => xs[i]), idx.map((i) => ys[i]));
    if (Number.isFinite(rb)) draws.push(rb); // resamples that repeat one model have no r
  }
  draws.sort((a, b) => a - b);
  const ci: [number, number] | null = draws.length >= 20 ? [draws[Math.floor(0.025 * (draws.length - 1))], draws[Math.ceil(0.975 * (draws.length - 1))]] : null;
  return {
    n,
    pearson: Number.isFinite(r) ? r : null,
    spearman: Number.isFinite(rho) ? rho : null,
    pearsonCi95: ci,
    meaningful: Number.isFinite(r),
    note: Number.isFinite(r) ? null : 'one of the two is constant across models',
  };
}

/** Least-squares line y = a + b·x through the points, as its two ends over the x range (null if x is constant). */
export function leastSquaresLine(xs: number[], ys: number[]): { x: number[]; y: number[] } | null {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return { x: [lo, hi], y: [my + slope * (lo - mx), my + slope * (hi - mx)] };
}
