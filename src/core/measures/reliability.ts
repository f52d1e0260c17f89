/**
 * When a number means nothing: the read-out that goes with every result (docs/science.md, "Reading a
 * result"). One home for the rules: the CLI table, its JSON, the app's table, charts and exports all show
 * these warnings and never restate them.
 *
 * - the population estimate lrAdjusted: adjusted in-sample R² per dim from the VIF identity on the train
 *   split, 1 − (1 − R²_in)(n − 1)/(n − p − 1), n = N_train, p = D − 1 inputs (Gaussian data, n > p + 1);
 * - the null baseline (nullBaseline.ts): LR_null / NLR_null and a band around each;
 * - warnings with a code, the measures (table cells) they concern, and what to do.
 */
import { NotPositiveDefiniteError, spdInverse } from '../numerics/linalg.ts';
import type { PerDim, Reliability, ReliabilityWarning, TrainingCounts } from './types.ts';
import { OVER_FITTED_MARGIN } from './mlpTraining.ts';

export { WARNING_CODES } from './types.ts';
export type { Reliability, ReliabilityWarning, WarningCode } from './types.ts';

/** Above this D/N_train held-out LR is noticeably biased low (noise reads ≈ −p/(n − p − 1) ≤ −0.11). */
export const HIGH_D_OVER_N = 0.1;
/** outlier-dims is a warning when the median LR is above the mean by more than this (the mean misdescribes most dims). */
export const OUTLIER_PULL = 0.05;
/** nlr-not-converged is a warning when more than this share of the NLR heads did not settle. */
export const UNSETTLED_SHARE = 0.1;
/** alpha-at-grid-edge (info) when more than this share of dims chose the grid's largest α. */
export const ALPHA_AT_TOP_SHARE = 0.5;
/** Smallest half-width of a null band: differences below this are not read as signal. */
const MIN_BAND = 0.02;

/**
 * Adjusted in-sample R² per usable dim from the train Gram G = ZᵀZ (standardised train rows, n rows):
 * R²_in,i = 1 − 1/(C⁻¹)_ii with C = G/n, adjusted for p = D − 1 inputs. Null where n ≤ p + 1 or G is singular.
 */
export function adjustedInSampleR2(trainGram: Float64Array, d: number, n: number): Float64Array | null {
  const p = d - 1;
  if (n - p - 1 < 1) return null;
  let inverse: Float64Array;
  try {
    inverse = spdInverse(trainGram, d).inverse;
  } catch (e) {
    if (e instanceof NotPositiveDefiniteError) return null;
    throw e;
  }
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const inSample = 1 - 1 / (n * inverse[i * d + i]); // (C⁻¹)_ii = n·(G⁻¹)_ii
    out[i] = 1 - ((1 - inSample) * (n - 1)) / (n - p - 1);
  }
  return out;
}

/**
 * The null band: LR_null ± max(0.02, 6·sd/√k, 5% of |LR_null|) over the k per-dim null values. The mean over dims is
 * not an average of independent values (every dim is fit on the same rows), so it varies between permutations far
 * more than sd/√k: on 1,000 × 700 Gaussian noise, 5 independent permutations gave LR_null −3.63 ± 0.044 (sd), 2.4×
 * sd/√k = 0.018, and the noise itself read −3.53 (2.2 of those sd away). 6·sd/√k ≈ 2.5 of those sd; the 5% floor
 * covers the far tail at high D/N, where one sd is ~1% of |LR_null|.
 */
export function nullBand(perDim: number[]): [number, number] | null {
  if (perDim.length === 0) return null;
  const m = mean(perDim);
  const sd = perDim.length > 1 ? Math.sqrt(perDim.reduce((s, v) => s + (v - m) ** 2, 0) / (perDim.length - 1)) : 0;
  const half = Math.max(MIN_BAND, (6 * sd) / Math.sqrt(perDim.length), 0.05 * Math.abs(m));
  return [m - half, m + half];
}

export interface ReliabilityInput {
  usableDims: number;
  nTrain: number;
  lr: { value: number; perDim: PerDim; alphaPerDim?: PerDim } | null;
  /** RidgeCV's α grid (to say when the chosen α sits at its top) */
  ridgeAlphas?: number[];
  nlr: { value: number; evaluatedDims: number[]; training: TrainingCounts | null; trainingMonitor: 'validation' | 'held-out' | null; lrOnNlrDims: number | null } | null;
  lrNullPerDim: number[] | null;
  nlrNullPerDim: number[] | null;
  nlrNullDims: number[];
  lrAdjustedPerDim: PerDim | null;
}

export function assessReliability(x: ReliabilityInput): Reliability {
  const dOverNTrain = x.usableDims / x.nTrain;
  const lrValues = x.lr ? x.lr.perDim.filter((v): v is number => v !== null) : [];
  const lrNullBand = x.lrNullPerDim ? nullBand(x.lrNullPerDim) : null;
  const nlrNullBand = x.nlrNullPerDim ? nullBand(x.nlrNullPerDim) : null;
  const adjusted = x.lrAdjustedPerDim ? x.lrAdjustedPerDim.filter((v): v is number => v !== null) : [];
  const r: Reliability = {
    dOverNTrain,
    lrNull: x.lrNullPerDim?.length ? mean(x.lrNullPerDim) : null,
    lrNullBand,
    lrNullDimCount: x.lrNullPerDim?.length ? x.lrNullPerDim.length : null,
    nlrNull: x.nlrNullPerDim?.length ? mean(x.nlrNullPerDim) : null,
    nlrNullBand,
    nlrNullDims: x.nlrNullDims,
    lrAdjusted: adjusted.length ? mean(adjusted) : null,
    lrAdjustedPerDim: x.lrAdjustedPerDim,
    lrMedian: lrValues.length ? median(lrValues) : null,
    dimsBelowMinusOne: lrValues.filter((v) => v < -1).length,
    nlrTraining: x.nlr?.training ?? null,
    nlrEvaluated: x.nlr ? x.nlr.evaluatedDims.length : null,
    warnings: [],
  };
  const f = (v: number | null) => (v === null ? '—' : v.toFixed(3));
  const band = (b: [number, number]) => `[${f(b[0])}, ${f(b[1])}]`;
  const lrAtNull = !!(x.lr && lrNullBand && x.lr.value <= lrNullBand[1]);
  const nlrAtNull = !!(x.nlr && nlrNullBand && x.nlr.value <= nlrNullBand[1]);
  if (x.lr && dOverNTrain > HIGH_D_OVER_N) {
    r.warnings.push({
      code: 'high-d-over-n',
      severity: 'info',
      measures: ['lr', 'nlr'],
      message:
        `D/N_train = ${dOverNTrain.toPrecision(3)} (${x.usableDims.toLocaleString('en-US')} dims, ${x.nTrain.toLocaleString('en-US')} train rows), above ${HIGH_D_OVER_N}: ` +
        `held-out R² is biased low here, even for real structure (pure noise reads ${r.lrNull === null ? 'far below 0' : f(r.lrNull)}). ` +
        `Read LR against LR_null and the population estimate lrAdjusted (${r.lrAdjusted === null ? 'needs more train rows than dims' : f(r.lrAdjusted)}); more rows remove the bias.`,
    });
  }
  if (lrAtNull && lrNullBand) {
    r.warnings.push({
      code: 'lr-at-null',
      severity: 'warning',
      measures: ['lr'],
      message: `LR ${f(x.lr!.value)} is within the null band ${band(lrNullBand)} (LR_null ${f(r.lrNull)}, the same pipeline on column-permuted data): it shows no more linear redundancy than noise at this N and D.`,
    });
  }
  if (nlrAtNull && nlrNullBand) {
    r.warnings.push({
      code: 'nlr-at-null',
      severity: 'warning',
      measures: ['nlr', 'nlrMinusLr'],
      message: `NLR ${f(x.nlr!.value)} is within the null band ${band(nlrNullBand)} (NLR_null ${f(r.nlrNull)} on ${x.nlrNullDims.length} dims of column-permuted data): it shows no more redundancy than noise at this N and D${lrAtNull ? '; NLR − LR here is not non-linear redundancy' : ''}.`,
    });
  }
  if (r.dimsBelowMinusOne > 0) {
    const pull = r.lrMedian !== null && x.lr ? r.lrMedian - x.lr.value : 0;
    r.warnings.push({
      code: 'outlier-dims',
      // a warning only when they move the mean by more than OUTLIER_PULL: then the mean misdescribes most dims
      severity: pull > OUTLIER_PULL ? 'warning' : 'info',
      measures: ['lr'],
      message: `${r.dimsBelowMinusOne} of ${lrValues.length} dims have held-out R² below −1 (worst ${f(Math.min(...lrValues))}); they pull the mean LR ${f(x.lr?.value ?? null)} down — the median is ${f(r.lrMedian)}.`,
    });
  }
  const alphas = x.lr?.alphaPerDim?.filter((a): a is number => a !== null) ?? [];
  const top = x.ridgeAlphas?.length ? Math.max(...x.ridgeAlphas) : null;
  const atTop = top === null ? 0 : alphas.filter((a) => a === top).length;
  if (top !== null && alphas.length > 0 && atTop / alphas.length > ALPHA_AT_TOP_SHARE) {
    r.warnings.push({
      code: 'alpha-at-grid-edge',
      // context: LR is the protocol's number as it is; the grid is the authors'
      severity: 'info',
      measures: ['lr'],
      message: `RidgeCV chose α = ${top}, the top of the grid [${x.ridgeAlphas!.join(', ')}], on ${atTop} of ${alphas.length} dims: their best α may lie beyond it (strong shrinkage helps here: few train rows per dim). LR is the authors' protocol as it is; a wider grid, not theirs, would fit these dims better: to try one, add larger values (e.g. ${top * 10}, ${top * 100}) to the alphas under Settings › LR (ridge) and run again.`,
    });
  }
  const bottom = x.ridgeAlphas?.length ? Math.min(...x.ridgeAlphas) : null;
  const atBottom = bottom === null || bottom === top ? 0 : alphas.filter((a) => a === bottom).length;
  if (bottom !== null && alphas.length > 0 && atBottom / alphas.length > ALPHA_AT_TOP_SHARE) {
    r.warnings.push({
      code: 'alpha-at-grid-edge',
      severity: 'info',
      measures: ['lr'],
      message: `RidgeCV chose α = ${bottom}, the bottom of the grid [${x.ridgeAlphas!.join(', ')}], on ${atBottom} of ${alphas.length} dims: their best α may be smaller still (little shrinkage is needed: many train rows per dim). LR is the authors' protocol as it is; to try a wider grid, add smaller values (e.g. ${bottom / 10}, ${bottom / 100}) to the alphas under Settings › LR (ridge) and run again.`,
    });
  }
  const training = x.nlr?.training;
  if (x.nlr && training && training.settled < x.nlr.evaluatedDims.length) {
    const all = x.nlr.evaluatedDims.length;
    const unsettled = all - training.settled;
    const watched = x.nlr.trainingMonitor === 'validation' ? 'validation rows' : 'held-out split (watched, not used to choose)';
    const parts = [
      training.underTrained ? `${training.underTrained} still improving on the ${watched} when training stopped (their NLR is a lower bound)` : '',
      training.overFitted ? `${training.overFitted} past their best by more than ${OVER_FITTED_MARGIN} in R² (over-fitted: their NLR is below what the MLP reached)` : '',
    ].filter(Boolean);
    r.warnings.push({
      code: 'nlr-not-converged',
      // a warning when enough heads are unsettled to move the mean: then NLR is not what this MLP can reach
      severity: unsettled / all > UNSETTLED_SHARE ? 'warning' : 'info',
      measures: ['nlr', 'nlrMinusLr'],
      message: `${training.settled} of ${all} NLR MLPs settled; ${parts.join('; ')} — see the learning curve. The default preset (Adam, early stopping on validation rows) trains until the validation loss stops improving.`,
    });
  }
  return r;
}

/**
 * What the LR-vs-NLR picture may be said to show — the one rule for the app's chart caption and the report: never
 * non-linear redundancy when the measures read as noise, and a lower bound when the MLPs had not converged.
 */
export function lrVsNlrCaption(rel: Reliability | null): string {
  const codes = new Set((rel?.warnings ?? []).map((w) => w.code));
  const reading =
    rel && bothAtNull(rel)
      ? 'LR and NLR both read as noise here (within their null bands): the scatter around the diagonal shows no redundancy, linear or not.'
      : codes.has('nlr-at-null')
        ? 'NLR reads as noise here (within its null band): points above the diagonal are not evidence of non-linear redundancy.'
        : codes.has('lr-at-null')
          ? 'LR reads as noise here (within its null band); where NLR is clearly above it, the MLP finds dependence ridge does not.'
          : 'Points above the diagonal are predicted better by the MLP than by ridge: dependence that a linear model misses.';
  const t = rel?.nlrTraining;
  const training = codes.has('nlr-not-converged') && t && rel ? ` ${rel.nlrEvaluated! - t.settled} of ${rel.nlrEvaluated} MLPs had not settled (${t.underTrained} under-trained, ${t.overFitted} over-fitted): see the learning curve.` : '';
  return `${reading}${training}`;
}

/** True when both LR and NLR read as noise: no caption may call their difference non-linear redundancy. */
export function bothAtNull(r: Reliability): boolean {
  const codes = new Set(r.warnings.map((w) => w.code));
  return codes.has('lr-at-null') && (codes.has('nlr-at-null') || r.nlrNull === null);
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
