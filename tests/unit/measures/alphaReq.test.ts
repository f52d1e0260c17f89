/**
 * α-ReQ: an analytic power law, the edge cases, and the CLI on real MobileNetV2 features against reptrix's
 * recipe re-typed in Python (scikit-learn PCA + its weighted fit: tests/reference/alpha_req.py).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { alphaReq } from '../../../src/core/numerics/spectrum.ts';
import { REPO, runCliJson } from '../helpers/cli.ts';

describe('alphaReq', () => {
  it('an exact power law λ_r = 3·r^−1.7 gives α = 1.7 (and the scale does not matter)', () => {
    const ev = Float64Array.from({ length: 300 }, (_, i) => 3 * (i + 1) ** -1.7);
    expect(alphaReq(ev)!).toBeCloseTo(1.7, 12);
    expect(alphaReq(ev.map((l) => l * 1e-6))!).toBeCloseTo(1.7, 12);
  });
  it('only ranks 6–100 count: a different head and tail leave α alone', () => {
    const ev = Float64Array.from({ length: 400 }, (_, i) => (i < 5 ? 50 : i >= 100 ? 1e-9 * (400 - i) : (i + 1) ** -0.8));
    expect(alphaReq(ev)!).toBeCloseTo(0.8, 12);
  });
  it('null where the fit would read rounding noise or has too few ranks', () => {
    const withZeros = Float64Array.from({ length: 120 }, (_, i) => (i < 60 ? (i + 1) ** -1 : 0));
    expect(alphaReq(withZeros)).toBeNull();
    expect(alphaReq(Float64Array.from({ length: 14 }, (_, i) => (i + 1) ** -1))).toBeNull();
    // D = 40: ranks 6–40
    expect(alphaReq(Float64Array.from({ length: 40 }, (_, i) => (i + 1) ** -1.2))!).toBeCloseTo(1.2, 12);
  });
});

describe('α-ReQ in the CLI vs reptrix (scikit-learn PCA) on real embeddings', () => {
  for (const file of ['tests/fixtures/real/mnist1200_mobilenetv2_dense256_f16.npy', 'tests/fixtures/real/mnist1200_mobilenetv2_block16_320_f16.npy']) {
    it(file.split('/').pop()!, () => {
      const ours = runCliJson(['measure', file, '--measures', 'aac']);
      const r = spawnSync('/usr/bin/python3', ['tests/reference/alpha_req.py', file], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
      if (r.status !== 0) throw new Error(`the reptrix reference failed — is python3-sklearn installed? ${r.stderr}`);
      const ref = JSON.parse(r.stdout) as { alphaReq: number };
      expect(ours.extras.alphaReq).toBeGreaterThan(0.1);
      expect(Math.abs(ours.extras.alphaReq - ref.alphaReq), `ours ${ours.extras.alphaReq} vs reptrix ${ref.alphaReq}`).toBeLessThan(1e-6);
    });
  }
});
