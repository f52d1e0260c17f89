/** The α-ReQ chart draws the line whose slope is the table's α: checked against a direct 2×2 weighted least squares. */
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../../src/worker/api.ts';
import { alphaReq } from '../../../src/core/numerics/spectrum.ts';
import { spectrumFit } from '../../../src/ui/charts/spectrumFit.ts';
import { wls } from '../helpers/leastSquares.ts';

function resultWith(covarianceEigenvalues: number[] | null): RunResult {
  return { d: covarianceEigenvalues?.length ?? 0, extras: { covarianceEigenvalues, eigenvalues: [1], rankMe: 12.3 } } as unknown as RunResult;
}


describe('spectrumFit chart', () => {
  it('the dashed line is the weighted fit over ranks 6–100 of the explained-variance ratios; its slope is α-ReQ', () => {
    let seed = 5;
    const jitter = () => 1 + 0.2 * (((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5);
    const ev = Array.from({ length: 300 }, (_, i) => 40 * (i + 1) ** -1.3 * jitter());
    const spec = spectrumFit('emb.npy', resultWith(ev));
    expect(spec.empty).toBeUndefined();
    const [points, line] = spec.data as { x: number[]; y: number[]; name: string }[];
    const total = ev.reduce((a, b) => a + b, 0);
    expect(points.y[0]).toBeCloseTo(ev[0] / total, 15);
    expect(line.x[0]).toBe(6);
    expect(line.x.at(-1)).toBe(100);
    const ranks = Array.from({ length: 95 }, (_, i) => i + 6);
    const [intercept, slope] = wls(ranks.map((r) => Math.log(r)), ranks.map((r) => Math.log(ev[r - 1] / total)), ranks.map((r) => 1 / r));
    line.x.forEach((r, i) => expect(Math.log(line.y[i])).toBeCloseTo(intercept + slope * Math.log(r), 10));
    expect(-slope).toBeCloseTo(alphaReq(Float64Array.from(ev))!, 10); // the table's α (from the raw eigenvalues)
    expect(line.name).toContain(`α = ${(-slope).toFixed(3)}`);
    expect(spec.caption).toContain('ranks 6–100');
    expect(spec.table.rows[5][2]).not.toBeNull();
    expect(spec.table.rows[200][2]).toBeNull();
  });

  it('too few dims: the spectrum without a fit, and the caption says why; an older save says to measure again', () => {
    const small = spectrumFit('small.npy', resultWith([5, 4, 3, 2, 1, 0.5, 0.2, 0.1]));
    expect(small.data).toHaveLength(1);
    expect(small.caption).toContain('No α-ReQ');
    expect(spectrumFit('old.npy', resultWith(null)).empty).toContain('saved before');
  });
});
