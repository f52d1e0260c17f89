import { beforeAll, describe, expect, it } from 'vitest';
import { inMemoryArray } from '../../../src/core/io/inMemory.ts';
import type { Matrix } from '../../../src/core/io/types.ts';
import { selectNodeBackend } from '../../../src/node/backend.ts';
import { sklearnTrainTestSplit } from '../../../src/core/numerics/split.ts';
import { PAPER_SETTINGS } from '../../../src/core/measures/types.ts';
import { splitResampling, summariseSplits, tQuantile975 } from '../../../src/core/study/splitResampling.ts';
import { straightforwardHeldOutRidgeR2 } from '../helpers/straightforwardRidge.ts';
import { correlatedGaussian } from '../helpers/synthetic.ts';

const rowsOf = (m: Matrix, which: ArrayLike<number>) => Array.from(which, (r) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));

describe('split resampling', () => {
  beforeAll(() => selectNodeBackend('cpu'));

  it('summarises k values: mean, sample sd, t interval of the mean, range', () => {
    const s = summariseSplits([1, 2, 3, 4, 5], [0.5, 0.6, 0.55, 0.65, 0.7]);
    expect(s.mean).toBeCloseTo(0.6, 12);
    expect(s.sd).toBeCloseTo(Math.sqrt(0.025 / 4), 12); // Σ(x−x̄)² = 0.025
    const half = (2.776 * Math.sqrt(0.025 / 4)) / Math.sqrt(5); // t(0.975, 4) = 2.776
    expect(s.meanCi95[0]).toBeCloseTo(0.6 - half, 12);
    expect(s.meanCi95[1]).toBeCloseTo(0.6 + half, 12);
    expect(s.range).toEqual([0.5, 0.7]);
    expect(tQuantile975(1)).toBeCloseTo(12.706, 3);
    expect(tQuantile975(1000)).toBeCloseTo(1.96, 3);
  });

  it('each split seed gives the LR a per-dimension refit loop finds on that very split', async () => {
    const m = correlatedGaussian(160, 6, 7, 1.0);
    const settings = { ...PAPER_SETTINGS, measures: ['aac' as const, 'lr' as const], splitSeed: 11 };
    const out = await splitResampling(inMemoryArray(m), 'synthetic.npy', settings, 3);
    expect(out.nlr).toBeUndefined();
    expect(out.lr!.seeds).toEqual([11, 12, 13]);
    for (const [j, seed] of out.lr!.seeds.entries()) {
      const split = sklearnTrainTestSplit(m.rows, 0.25, seed);
      const ref = straightforwardHeldOutRidgeR2(rowsOf(m, split.train), rowsOf(m, split.test), settings.ridgeAlphas);
      const lr = ref.r2.reduce((a, b) => a + b, 0) / ref.r2.length;
      expect(Math.abs(out.lr!.values[j] - lr)).toBeLessThan(1e-6);
    }
    // different splits really differ (the interval is not a constant)
    expect(out.lr!.sd).toBeGreaterThan(0);
  });
});
