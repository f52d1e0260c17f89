/**
 * Linear-probe accuracy of one embedding array with its labels, on the same 75/25 split as LR/NLR
 * (scikit-learn's train_test_split rows). Features are standardised with the train split's statistics
 * (the usual probe practice, no held-out information); dead dims are dropped.
 */
import type { ArrayHandle, Matrix } from './io/types.ts';
import { RedundancyLabError } from './errors.ts';
import { sklearnTrainTestSplit } from './numerics/split.ts';
import { labelsDigest } from './study/labelsDigest.ts';
import type { MeasureSettings } from './measures/types.ts';
import { DEFAULT_PROBE_SETTINGS, linearProbeAccuracy, type ProbeOptions, type ProbeResult, type ProbeSettings } from './measures/linearProbe.ts';

export interface ProbeRunSettings {
  splitSeed: number;
  testFraction: number;
  probe: ProbeSettings;
  /** seeded row sample for very large files; null = all rows */
  rowCap: number | null;
}

export const DEFAULT_PROBE_RUN: ProbeRunSettings = { splitSeed: 0, testFraction: 0.25, probe: DEFAULT_PROBE_SETTINGS, rowCap: 50_000 };

/** The split a measurement used — the probe always runs on it (seed and held-out fraction alike). */
export type MeasureSplit = Pick<MeasureSettings, 'splitSeed' | 'testFraction'>;

/** The probe's settings for a measurement's split: the one rule the app, the worker and the CLI share. */
export function probeRunFor(split: MeasureSplit): ProbeRunSettings {
  return { ...DEFAULT_PROBE_RUN, splitSeed: split.splitSeed, testFraction: split.testFraction };
}

export async function probeArray(array: ArrayHandle, labels: Int32Array, fileName: string, settings: ProbeRunSettings = DEFAULT_PROBE_RUN, options: ProbeOptions = {}): Promise<ProbeResult> {
  if (array.shape.length < 2 || array.cols < 1) throw new RedundancyLabError('bad-shape', `array has shape (${array.shape.join(', ')}); a probe needs samples × dims`, fileName);
  const split = sklearnTrainTestSplit(array.rows, settings.testFraction, settings.splitSeed);
  const cap = settings.rowCap;
  const trainRows = cap && split.train.length > cap * (1 - settings.testFraction) ? split.train.subarray(0, Math.round(cap * (1 - settings.testFraction))) : split.train;
  const testRows = cap && split.test.length > cap * settings.testFraction ? split.test.subarray(0, Math.round(cap * settings.testFraction)) : split.test;
  const d = array.cols;
  // gather only the rows the probe uses, streaming the file in blocks: memory O(rows used × d), not O(N × d)
  const pick = (rows: Uint32Array) => {
    const slot = new Int32Array(array.rows).fill(-1);
    rows.forEach((r, i) => (slot[r] = i));
    return { slot, out: new Float32Array(rows.length * d) };
  };
  const train = pick(trainRows);
  const test = pick(testRows);
  const blockRows = Math.max(1, Math.floor((16 << 20) / (4 * d)));
  for await (const block of array.blocks(blockRows)) {
    for (let r = 0; r < block.rows; r++) {
      const row = block.rowStart + r;
      const src = block.data.subarray(r * d, (r + 1) * d);
      if (!src.every(Number.isFinite)) throw new RedundancyLabError('bad-values', `the embeddings contain NaN or infinite values (row ${row}); remove or impute those rows first`, fileName);
      if (train.slot[row] >= 0) train.out.set(src, train.slot[row] * d);
      else if (test.slot[row] >= 0) test.out.set(src, test.slot[row] * d);
    }
  }
  // train statistics; dims constant on the train rows carry nothing and are dropped
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  const nTr = trainRows.length;
  for (let i = 0; i < nTr; i++) for (let j = 0; j < d; j++) mean[j] += train.out[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= nTr;
  for (let i = 0; i < nTr; i++) for (let j = 0; j < d; j++) sq[j] += (train.out[i * d + j] - mean[j]) ** 2;
  const std = Array.from(sq, (v) => Math.sqrt(v / nTr));
  const maxStd = Math.max(...std);
  const keep = std.map((sd, j) => (sd > 1e-6 * maxStd ? j : -1)).filter((j) => j >= 0);
  const take = (raw: Float32Array, count: number): Matrix => {
    const out = new Float32Array(count * keep.length);
    for (let i = 0; i < count; i++) keep.forEach((j, c) => (out[i * keep.length + c] = (raw[i * d + j] - mean[j]) / std[j]));
    return { rows: count, cols: keep.length, data: out };
  };
  const result = await linearProbeAccuracy(take(train.out, nTr), Int32Array.from(trainRows, (r) => labels[r]), take(test.out, testRows.length), Int32Array.from(testRows, (r) => labels[r]), settings.probe, options);
  // all N labels, not only the probe's rows: a study checks that its models' labels agree
  return { ...result, labels: labelsDigest(labels) };
}
