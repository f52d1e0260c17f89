/**
 * The α-ReQ chart's numbers, now in core (numerics/alphaReq.ts): the explained-variance ratios and the fitted line,
 * against a straightforward computation — the sum, the ratios, and a 2 × 2 weighted least squares by the normal
 * equations over ranks 6–100 with weights 1/rank.
 */
import { describe, expect, it } from 'vitest';
import { alphaReq, alphaReqFit } from '../../../src/core/numerics/spectrum.ts';
import { alphaReqLine, explainedVarianceSpectrum } from '../../../src/core/numerics/alphaReq.ts';
import { wls } from '../helpers/leastSquares.ts';


describe('explainedVarianceSpectrum', () => {
  it('ratios λ/Σλ, and a fitted line over ranks 6–100 equal to the weighted fit of log ratio on log rank', () => {
    let seed = 11;
    const jitter = () => 1 + 0.3 * (((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5);
    const ev = Array.from({ length: 250 }, (_, i) => 7 * (i + 1) ** -1.1 * jitter());
    const s = explainedVarianceSpectrum(ev)!;
    let total = 0;
    for (const v of ev) total += v;
    s.ratios.forEach((r, i) => expect(r).toBeCloseTo(ev[i] / total, 15));
    const ranks = Array.from({ length: 95 }, (_, i) => i + 6);
    const [intercept, slope] = wls(ranks.map(Math.log), ranks.map((r) => Math.log(ev[r - 1] / total)), ranks.map((r) => 1 / r));
    expect(s.fit!.first).toBe(6);
    expect(s.fit!.last).toBe(100);
    expect(-slope).toBeCloseTo(s.fit!.alpha, 10);
    expect(s.fit!.alpha).toBeCloseTo(alphaReq(Float64Array.from(ev))!, 10); // the normalisation moves only the intercept
    s.fitted.forEach((f, i) => {
      const rank = i + 1;
      if (rank < 6 || rank > 100) expect(f).toBeNull();
      else expect(Math.log(f!)).toBeCloseTo(intercept + slope * Math.log(rank), 10);
    });
    expect(alphaReqLine(s.fit!, 10)).toBe(s.fitted[9]);
  });

  it('negative rounding eigenvalues do not count in the sum; every dim constant gives null; too few ranks: no fit, no line', () => {
    const s = explainedVarianceSpectrum([3, 1, -1e-17])!;
    expect(s.ratios).toEqual([0.75, 0.25, -1e-17 / 4]);
    expect(s.fit).toBeNull();
    expect(s.fitted).toEqual([null, null, null]);
    expect(explainedVarianceSpectrum([0, 0, 0])).toBeNull();
    expect(explainedVarianceSpectrum([])).toBeNull();
  });

  it('alphaReqLine is exp(intercept − α log r) of the fit', () => {
    const fit = alphaReqFit(Float64Array.from({ length: 200 }, (_, i) => 2 * (i + 1) ** -1.5))!;
    expect(fit.alpha).toBeCloseTo(1.5, 12);
    for (const r of [6, 50, 100]) expect(alphaReqLine(fit, r)).toBeCloseTo(2 * r ** -1.5, 12);
  });
});
