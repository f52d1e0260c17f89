/**
 * Linear CKA (and debiased): invariances that hold exactly, and the CLI's `compare --json` on real MobileNetV2
 * layers of the same 1,200 MNIST digits against Kornblith's Gram-space recipe re-typed in NumPy
 * (tests/reference/cka.py: N × N Grams, a different computation from our feature-space one).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { linearCkaMatrices } from '../../../src/core/measures/cka.ts';
import { REPO, runCli, runCliJson } from '../helpers/cli.ts';
import { seededNormal } from '../helpers/synthetic.ts';

const matrix = (rows: number, cols: number, fill: (r: number, c: number) => number) => ({ rows, cols, data: Float32Array.from({ length: rows * cols }, (_, i) => fill(Math.floor(i / cols), i % cols)) });

describe('linearCkaMatrices', () => {
  const z = seededNormal(3);
  const x = matrix(300, 6, () => z());
  it('CKA is 1 against a rotated, scaled, shifted copy (orthogonal invariance), for both estimators', () => {
    const [c, s] = [Math.cos(0.7), Math.sin(0.7)];
    // rotate dims 0–1, scale all by 3, add a constant per column
    const y = matrix(300, 6, (r, col) => 3 * (col === 0 ? c * x.data[r * 6] - s * x.data[r * 6 + 1] : col === 1 ? s * x.data[r * 6] + c * x.data[r * 6 + 1] : x.data[r * 6 + col]) + col);
    const { linearCka, linearCkaDebiased } = linearCkaMatrices([x, y], ['x', 'y']);
    expect(linearCka[0][1]).toBeCloseTo(1, 5);
    expect(linearCkaDebiased[0][1]).toBeCloseTo(1, 5);
  });
  it('independent noise: the debiased estimator is near 0, the biased one clearly above it (its known bias)', () => {
    const w = seededNormal(9);
    const a = matrix(200, 40, () => w());
    const b = matrix(200, 40, () => w());
    const { linearCka, linearCkaDebiased } = linearCkaMatrices([a, b], ['a', 'b']);
    expect(Math.abs(linearCkaDebiased[0][1])).toBeLessThan(0.03);
    expect(linearCka[0][1]).toBeGreaterThan(0.1);
  });
  it('refuses different N, naming the file', () => {
    expect(() => linearCkaMatrices([x, matrix(299, 6, () => 1)], ['x.npy', 'y.npy'])).toThrow(/y\.npy|has 299 rows but x\.npy has 300/);
  });
});

describe('redundancy-lab compare vs NumPy (Gram-space CKA) on real layers', () => {
  const files = ['tests/fixtures/real/mnist1200_mobilenetv2_dense256_f16.npy', 'tests/fixtures/real/mnist1200_mobilenetv2_block16_320_f16.npy'];
  it('linearCka and linearCkaDebiased equal the reference to 1e-6', () => {
    const ours = runCliJson(['compare', ...files]);
    const r = spawnSync('/usr/bin/python3', ['tests/reference/cka.py', ...files], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`the NumPy CKA reference failed — is python3-numpy installed? ${r.stderr}`);
    const ref = JSON.parse(r.stdout) as { linearCka: number[][]; linearCkaDebiased: number[][] };
    expect(ours.files).toEqual(files.map((f) => f.split('/').pop()));
    for (const key of ['linearCka', 'linearCkaDebiased'] as const) {
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(Math.abs(ours[key][i][j] - ref[key][i][j]), `${key}[${i}][${j}]: ${ours[key][i][j]} vs ${ref[key][i][j]}`).toBeLessThan(1e-6);
    }
    expect(ours.linearCka[0][1]).toBeGreaterThan(0.3);
    expect(ours.linearCka[0][1]).toBeLessThan(0.99);
  });
  it('files of different N: a clear error naming the file, exit 1', () => {
    const r = runCli(['compare', files[0], 'tests/fixtures/real/mnist2000_mobilenetv2_pool1280_f16.npy']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/mnist2000_mobilenetv2_pool1280_f16\.npy: has 2000 rows but mnist1200_mobilenetv2_dense256_f16\.npy has 1200: CKA compares representations of the same samples/);
  });
  it('one file: says it needs two', () => {
    const r = runCli(['compare', files[0]]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/'compare' needs at least two files/);
  });
});
