/**
 * Linear-probe accuracy of one embedding array with its labels, on the same 75/25 split as LR/NLR
 * (scikit-learn's train_test_split rows). Features are standardised with the train split's statistics
 * (the usual probe practice, no held-out information); dead dims are dropped.
 */
import type { ArrayHandle, Matrix } from './io/types.ts';
import { RedundancyLabError } from './errors.ts';
import { sklearnTrainTestSplit } from './measures/split.ts';
import { DEFAULT_PROBE_SETTINGS, linearProbeAccuracy, type ProbeOptions, type ProbeResult, type ProbeSettings } from './measures/linearProbe.ts';

export interface ProbeRunSettings {
  splitSeed: number;
  testFraction: number;
  probe: ProbeSettings;
  /** seeded row sample for very large files; null = all rows */
  rowCap: number | null;
}

export const DEFAULT_PROBE_RUN: ProbeRunSettings = { splitSeed: 42, testFraction: 0.25, probe: DEFAULT_PROBE_SETTINGS, rowCap: 50_000 };

export async function probeArray(array: ArrayHandle, labels: Int32Array, fileName: string, settings: ProbeRunSettings = DEFAULT_PROBE_RUN, options: ProbeOptions = {}): Promise<ProbeResult> {
  if (array.shape.length < 2 || array.cols < 1) throw new RedundancyLabError('bad-shape', `array has shape (${array.shape.join(', ')}); a probe needs samples × dims`, fileName);
  const split = sklearnTrainTestSplit(array.rows, settings.testFraction, settings.splitSeed);
  const cap = settings.rowCap;
  const trainRows = cap && split.train.length > cap * (1 - settings.testFraction) ? split.train.subarray(0, Math.round(cap * (1 - settings.testFraction))) : split.train;
  const testRows = cap && split.test.length > cap * settings.testFraction ? split.test.subarray(0, Math.round(cap * settings.testFraction)) : split.test;
  const { data } = await array.read();
  const d = array.cols;
  // train statistics; dims constant on the train rows carry nothing and are dropped
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (const r of trainRows) for (let j = 0; j < d; j++) mean[j] += data[r * d + j];
  for (let j = 0; j < d; j++) mean[j] /= trainRows.length;
  for (const r of trainRows) for (let j = 0; j < d; j++) sq[j] += (data[r * d + j] - mean[j]) ** 2;
  const std = Array.from(sq, (v) => Math.sqrt(v / trainRows.length));
  const maxStd = Math.max(...std);
  const keep = std.map((s, j) => (s > 1e-6 * maxStd ? j : -1)).filter((j) => j >= 0);
  const take = (rows: Uint32Array): Matrix => {
    const out = new Float32Array(rows.length * keep.length);
    rows.forEach((r, i) => keep.forEach((j, c) => (out[i * keep.length + c] = (data[r * d + j] - mean[j]) / std[j])));
    return { rows: rows.length, cols: keep.length, data: out };
  };
  if (!data.every(Number.isFinite)) throw new RedundancyLabError('bad-values', 'the embeddings contain NaN or infinite values; remove or impute those rows first', fileName);
  return linearProbeAccuracy(take(trainRows), Int32Array.from(trainRows, (r) => labels[r]), take(testRows), Int32Array.from(testRows, (r) => labels[r]), settings.probe, options);
}
