/**
 * How much a measure moves with the train/held-out split: re-measure with k split seeds and report the
 * spread, so two models can be compared honestly ("LR 0.771 vs 0.765" means nothing if the split alone moves
 * LR by 0.01). AAC uses every row and does not depend on the split; LR and NLR do.
 */
import type { ArrayHandle } from '../io/types.ts';
import { measureArray } from '../measure.ts';
import type { MeasureName, MeasureSettings, RunOptions } from '../measures/types.ts';

export interface SplitSpread {
  /** the split seeds used (settings.splitSeed, +1, … +k−1) */
  seeds: number[];
  values: number[];
  mean: number;
  /** sample standard deviation over the k splits */
  sd: number;
  /** 95% interval of the mean over splits: mean ± t(0.975, k−1)·sd/√k */
  meanCi95: [number, number];
  /** smallest and largest value seen */
  range: [number, number];
}

/** Two-sided 97.5% Student-t quantiles for 1…30 degrees of freedom (then ≈ the normal 1.96). */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export function tQuantile975(df: number): number {
  return df >= 1 && df <= T975.length ? T975[df - 1] : 1.96;
}

export function summariseSplits(seeds: number[], values: number[]): SplitSpread {
  const k = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / k;
  const sd = k > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (k - 1)) : 0;
  const half = k > 1 ? (tQuantile975(k - 1) * sd) / Math.sqrt(k) : 0;
  return { seeds, values, mean, sd, meanCi95: [mean - half, mean + half], range: [Math.min(...values), Math.max(...values)] };
}

export async function splitResampling(
  array: ArrayHandle,
  fileName: string,
  settings: MeasureSettings,
  k: number,
  options: RunOptions = {},
): Promise<Partial<Record<Exclude<MeasureName, 'aac'>, SplitSpread>>> {
  const measures = settings.measures.filter((m): m is 'lr' | 'nlr' => m !== 'aac');
  const seeds = Array.from({ length: k }, (_, j) => settings.splitSeed + j);
  const values: Record<'lr' | 'nlr', number[]> = { lr: [], nlr: [] };
  for (const [j, seed] of seeds.entries()) {
    const onProgress = options.onProgress;
    const result = await measureArray(array, fileName, { ...settings, measures, splitSeed: seed }, {
      ...options,
      // the spread of the measure itself: no null baseline, no extras, on every extra split
      nullBaseline: false,
      extras: false,
      onProgress: onProgress ? (p) => onProgress({ ...p, fraction: (j + p.fraction) / k, message: `split ${j + 1} of ${k}: ${p.message}` }) : undefined,
    });
    if (result.lr) values.lr.push(result.lr.value);
    if (result.nlr) values.nlr.push(result.nlr.value);
  }
  const out: Partial<Record<'lr' | 'nlr', SplitSpread>> = {};
  for (const m of measures) if (values[m].length === k) out[m] = summariseSplits(seeds, values[m]);
  return out;
}
