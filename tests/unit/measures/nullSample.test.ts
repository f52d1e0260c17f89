/**
 * The null baseline computes LR on a seeded sample of max(64, D/8) dims of the permuted copy (nullLrTargets), each
 * exactly: on real MobileNetV2 features (700 × 576, D/N_train 0.77, and 1,200 × 320) every sampled dim's held-out R²
 * and α equal the full all-dims ridge on the same permuted copy (the path checked against scikit-learn in
 * exactLrVsSklearn.test.ts), LR_null is their mean, and the all-dims mean lies inside the reported band.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureArray } from '../../../src/core/measure.ts';
import { inMemoryArray } from '../../../src/core/io/inMemory.ts';
import { openEmbeddingFile } from '../../../src/core/io/open.ts';
import { bytesByteSource } from '../../../src/core/io/byteRange.ts';
import { NULL_LR_ALL, permutedColumns } from '../../../src/core/measures/nullBaseline.ts';
import { PAPER_SETTINGS, type MeasureSettings } from '../../../src/core/measures/types.ts';
import { REPO } from '../helpers/cli.ts';
import { useTestBackend } from '../helpers/backend.ts';

const LINEAR: MeasureSettings = { ...PAPER_SETTINGS, measures: ['lr'] };
beforeAll(useTestBackend);

async function fixture(file: string) {
  const opened = await openEmbeddingFile(bytesByteSource(new Uint8Array(readFileSync(`${REPO}/${file}`)), file));
  return inMemoryArray(await opened.arrays[0].read());
}

describe('the null baseline: LR on a seeded sample of dims, each exact', () => {
  for (const file of ['tests/fixtures/real/mnist700_mobilenetv2_block13_576_f16.npy', 'tests/fixtures/real/mnist1200_mobilenetv2_block16_320_f16.npy']) {
    it(file.split('/').pop()!, async () => {
      const array = await fixture(file);
      const result = await measureArray(array, 'real.npy', LINEAR, { extras: false });
      const copy = await measureArray(permutedColumns(array, LINEAR.splitSeed), 'copy.npy', LINEAR, { extras: false, nullBaseline: false });
      // the null's own run, as measure.ts makes it (the result keeps only its read-out)
      const nullRun = await measureArray(permutedColumns(array, LINEAR.splitSeed), 'copy.npy', LINEAR, { extras: false, nullBaseline: false, rowsPrepared: true, nullCopy: true, topPredictors: 0 });
      const all = copy.lr!.perDim.map((v, j) => [j, v] as const).filter(([, v]) => v !== null);
      const sampled = nullRun.lr!.perDim.map((v, j) => [j, v] as const).filter(([, v]) => v !== null);
      expect(sampled.length).toBe(Math.max(NULL_LR_ALL, Math.ceil(all.length / 8)));
      expect(sampled.length).toBeLessThan(all.length);
      for (const [j, v] of sampled) {
        expect(nullRun.lr!.alphaPerDim[j]).toBe(copy.lr!.alphaPerDim[j]);
        expect(Math.abs(v! - copy.lr!.perDim[j]!)).toBeLessThan(1e-9 * Math.max(1, Math.abs(copy.lr!.perDim[j]!)));
      }
      const rel = result.reliability!;
      expect(rel.lrNullDimCount).toBe(sampled.length);
      expect(rel.lrNull).toBe(nullRun.lr!.value);
      expect(rel.lrNull).toBeCloseTo(sampled.reduce((s, [, v]) => s + v!, 0) / sampled.length, 12);
      const allMean = all.reduce((s, [, v]) => s + v!, 0) / all.length;
      expect(allMean).toBeGreaterThan(rel.lrNullBand![0]);
      expect(allMean).toBeLessThan(rel.lrNullBand![1]);
    }, 120_000);
  }
});
