/**
 * The merge of a split run's parts (core/shard): any split of the rows into tasks, parts arriving in any order,
 * gives the single pass's statistics (ground truth: splitMeans + splitScatter over all rows, as measureArray does),
 * and LR from summed ridge parts equals measureArray's. The merge runs in task order, so arrival order changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { inMemoryArray } from '../../../src/core/io/inMemory.ts';
import { measureArray } from '../../../src/core/measure.ts';
import { PRESETS, copySettings } from '../../../src/core/presets.ts';
import { splitMeans, splitScatter } from '../../../src/core/measures/splitScatter.ts';
import { decodeMoments, encodeMoments, mergeMoments, mergeNlrHeads, mergeRidgeSums, momentsPart, shardInputs, type MomentsPart } from '../../../src/core/shard/partials.ts';
import { partOf, partRange, rowRange } from '../../../src/core/shard/ranges.ts';
import type { RidgeRowSums } from '../../../src/core/measures/types.ts';
import { correlatedGaussian, seededNormal } from '../helpers/synthetic.ts';

/** Random cut points: K tasks of random (possibly tiny or empty-split) sizes covering [0, n). */
function randomCuts(n: number, k: number, random: () => number): [number, number][] {
  const cuts = [0, ...Array.from({ length: k - 1 }, () => Math.floor(random() * (n + 1))).sort((a, b) => a - b), n];
  return Array.from({ length: k }, (_, i) => [cuts[i], cuts[i + 1]]);
}

function uniform(seed: number): () => number {
  const normal = seededNormal(seed);
  return () => {
    const z = normal();
    return Math.abs(z) / (1 + Math.abs(z)); // in [0, 1)
  };
}

function shuffled<T>(items: T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const maxRelDiff = (a: Float64Array, b: Float64Array) => {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
  }
  return diff / Math.max(scale, 1e-300);
};

describe('split-run merge: moments parts (Chan’s update in task order)', () => {
  const settings = copySettings(PRESETS.quick.settings);

  for (const [trial, n, d, k] of [[1, 300, 7, 2], [2, 517, 12, 5], [3, 64, 5, 9], [4, 1000, 16, 3]] as const) {
    it(`${n} × ${d} in ${k} random parts (trial ${trial}): the one-pass statistics to 1e-12, whatever the arrival order`, async () => {
      const random = uniform(trial * 7919);
      const m = correlatedGaussian(n, d, trial);
      // a mean far from 0 and ReLU'd columns: where the one-pass E[xy] − E[x]E[y] form would fail
      const data = m.data.map((v, i) => Math.max(0, v + 0.2) + 50 * (i % d === 0 ? 1 : 0));
      const array = inMemoryArray({ rows: n, cols: d, data });
      const { assignment } = shardInputs(array, settings);
      const whole = await splitMeans(array, assignment, 'x', 97, () => {});
      const wholeScatter = await splitScatter(array, assignment, whole, 97, () => {});

      const cuts = randomCuts(n, k, random);
      const parts: MomentsPart[] = [];
      for (const [start, end] of cuts) parts.push(await momentsPart(array, assignment, start, end, 'x', 1 + Math.floor(random() * 200)));
      // parts arrive in any order; the merge takes them by task index
      const arrived = shuffled(parts.map((part, task) => ({ task, part })), random);
      const merged = mergeMoments(arrived.sort((a, b) => a.task - b.task).map((a) => a.part));
      const again = mergeMoments(parts);
      expect(merged.scatter.train).toEqual(again.scatter.train); // bitwise: same order, same numbers
      expect(merged.moments.meanTest).toEqual(again.moments.meanTest);

      expect(merged.moments.nTrain).toBe(whole.nTrain);
      expect(merged.moments.nTest).toBe(whole.nTest);
      expect(maxRelDiff(merged.moments.meanTrain, whole.meanTrain)).toBeLessThan(1e-12);
      expect(maxRelDiff(merged.moments.meanTest, whole.meanTest)).toBeLessThan(1e-12);
      expect(maxRelDiff(merged.scatter.train, wholeScatter.train)).toBeLessThan(1e-12);
      expect(maxRelDiff(merged.scatter.test, wholeScatter.test)).toBeLessThan(1e-12);
      // a part survives its binary file exactly
      expect(decodeMoments(encodeMoments(parts[0]), d)).toEqual(parts[0]);
    });
  }

  it('parts are contiguous and cover every row and dim once', () => {
    for (const [total, count] of [[10, 3], [3, 5], [1200, 7]]) {
      const ranges = Array.from({ length: count }, (_, i) => partRange(total, i, count));
      expect(ranges[0][0]).toBe(0);
      expect(ranges[count - 1][1]).toBe(total);
      ranges.slice(1).forEach((r, i) => expect(r[0]).toBe(ranges[i][1]));
      const items = Array.from({ length: total }, (_, i) => i);
      expect(Array.from({ length: count }, (_, i) => partOf(items, i, count)).flat()).toEqual(items);
    }
  });
});

describe('split-run merge: LR from ridge parts and NLR from head parts', () => {
  it('LR per dim and α from summed ridge parts equal measureArray on all rows (1e-9), in any split of the rows', async () => {
    const n = 640;
    const d = 10;
    const settings = { ...copySettings(PRESETS.quick.settings), measures: ['aac', 'lr'] as ('aac' | 'lr')[] };
    const array = inMemoryArray(correlatedGaussian(n, d, 5, 0.8));
    const options = { extras: false, nullBaseline: false } as const;
    const want = await measureArray(array, 'x', settings, options);
    const random = uniform(31);
    const { rows, assignment } = shardInputs(array, settings);
    for (const k of [2, 4]) {
      const cuts = randomCuts(n, k, random);
      const statistics = mergeMoments(await Promise.all(cuts.map(([s, e]) => momentsPart(rows, assignment, s, e, 'x'))));
      const parts: (RidgeRowSums | null)[] = [];
      for (const [s, e] of cuts) {
        await measureArray(rows, 'x', settings, { ...options, rowsPrepared: true, sharded: { statistics, rowSource: rowRange(rows, s, e), onRidgeSums: (sums) => parts.push(sums) } });
      }
      const ridgeSums = mergeRidgeSums(parts)!;
      const got = await measureArray(rows, 'x', settings, { ...options, rowsPrepared: true, sharded: { statistics, ridgeSums } });
      expect(Math.abs(got.aac!.value - want.aac!.value)).toBeLessThan(1e-12);
      want.lr!.perDim.forEach((v, i) => expect(Math.abs(got.lr!.perDim[i]! - v!)).toBeLessThan(1e-9));
      expect(got.lr!.alphaPerDim).toEqual(want.lr!.alphaPerDim);
    }
  });

  it('NLR heads of the parts are concatenated in task order; a dim trained twice is refused', () => {
    const head = (dim: number) => ({ dims: [dim], heldOutR2: [dim / 10], trainingState: ['settled' as const], scoredEpoch: [1], lossByEpoch: [[1]], monitorByEpoch: [[0.5]], gflop: 0.5 });
    const merged = mergeNlrHeads([head(3), head(1), head(7)]);
    expect(merged.dims).toEqual([3, 1, 7]);
    expect(merged.heldOutR2).toEqual([0.3, 0.1, 0.7]);
    expect(merged.gflop).toBe(1.5);
    expect(() => mergeNlrHeads([head(3), head(3)])).toThrow(/same dim twice/);
  });
});
