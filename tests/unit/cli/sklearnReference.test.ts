/**
 * Real embeddings (MobileNetV2 features of MNIST digits, with dead dims): the CLI's AAC and LR against
 * an independent scikit-learn run of the authors' protocol (tests/reference/sklearn_protocol.py:
 * RidgeCV per dimension on the same train_test_split). Needs Debian's python3-sklearn (.ci/run installs it).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO, runCliJson } from '../helpers/cli.ts';

interface Predictor {
  dim: number;
  coef: number;
  partialCorr: number;
}

function sklearnReference(file: string, seed: number, top = 0) {
  const r = spawnSync('/usr/bin/python3', ['tests/reference/sklearn_protocol.py', file, String(seed), '0', '0', '0', String(top)], { cwd: REPO, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`the scikit-learn reference failed — is python3-sklearn installed? ${r.stderr}`);
  return JSON.parse(r.stdout) as { aac: number; lr: number; lrPerDim: (number | null)[]; alphaPerDim: (number | null)[]; deadDims: number[]; splitDegenerateDims: number[]; topPredictors?: (Predictor[] | null)[] };
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

describe('lr.topPredictors vs scikit-learn RidgeCV coef_ and NumPy’s inverse', () => {
  it('mnist1200 dense256 (seed 0): per dim the same 4 predictors in the same order, coef and partial r to 1e-6', () => {
    const file = 'tests/fixtures/real/mnist1200_mobilenetv2_dense256_f16.npy';
    const ours = runCliJson(['measure', file, '--measures', 'lr', '--top-predictors', '4']);
    const ref = sklearnReference(file, 0, 4);
    const theirs = ref.topPredictors!;
    expect(ours.lr.topPredictors).toHaveLength(theirs.length);
    let compared = 0;
    theirs.forEach((want, j) => {
      const got = ours.lr.topPredictors[j] as Predictor[] | null;
      if (want === null) return expect(got, `dim ${j} has no LR`).toBeNull();
      expect(got!.map((p) => p.dim), `dim ${j}: predictors and order`).toEqual(want.map((p) => p.dim));
      want.forEach((p, t) => {
        expect(Math.abs(got![t].coef - p.coef), `dim ${j} ← ${p.dim} coef`).toBeLessThan(1e-6);
        expect(Math.abs(got![t].partialCorr - p.partialCorr), `dim ${j} ← ${p.dim} partial r`).toBeLessThan(1e-6);
      });
      compared++;
    });
    expect(compared).toBeGreaterThan(100);
  });
});
