/**
 * Real embeddings (MobileNetV2 features of MNIST digits, with dead dims): the CLI's AAC and LR against
 * an independent scikit-learn run of the authors' protocol (tests/reference/sklearn_protocol.py:
 * RidgeCV per dimension on the same train_test_split). Needs Debian's python3-sklearn (.ci/run installs it).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO, runCliJson } from '../helpers/cli.ts';

function sklearnReference(file: string, seed: number) {
  const r = spawnSync('/usr/bin/python3', ['tests/reference/sklearn_protocol.py', file, String(seed)], { cwd: REPO, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`the scikit-learn reference failed — is python3-sklearn installed? ${r.stderr}`);
  return JSON.parse(r.stdout) as { aac: number; lr: number; lrPerDim: (number | null)[]; alphaPerDim: (number | null)[]; deadDims: number[]; splitDegenerateDims: number[] };
}

describe('CLI vs scikit-learn on real MobileNetV2 embeddings', () => {
  for (const [file, seed] of [
    ['tests/fixtures/real/mnist1200_mobilenetv2_dense256_f16.npy', 42],
    ['tests/fixtures/real/mnist1200_mobilenetv2_block16_320_f16.npy', 7],
  ] as const) {
    it(`${file.split('/').pop()} (seed ${seed})`, () => {
      const ours = runCliJson(['measure', file, '--measures', 'aac,lr', '--seed', String(seed)]);
      const ref = sklearnReference(file, seed);
      expect(ours.deadDims).toEqual(ref.deadDims);
      expect(ours.splitDegenerateDims).toEqual(ref.splitDegenerateDims);
      expect(Math.abs(ours.aac.value - ref.aac)).toBeLessThan(1e-5);
      expect(Math.abs(ours.aac.value - ref.aac)).toBeLessThan(1e-7);
      expect(Math.abs(ours.lr.value - ref.lr)).toBeLessThan(1e-6);
      // per dim: null exactly where sklearn had no dim; every value to 1e-6 and every α the same (float64 path)
      expect(ours.lr.perDim.map((v: number | null) => v === null)).toEqual(ref.lrPerDim.map((v) => v === null));
      ref.lrPerDim.forEach((v, j) => {
        if (v === null) return;
        expect(Math.abs(v - ours.lr.perDim[j]), `dim ${j}`).toBeLessThan(1e-6);
        expect(ours.lr.alphaPerDim[j], `α of dim ${j}`).toBe(ref.alphaPerDim[j]);
      });
    });
  }
});
