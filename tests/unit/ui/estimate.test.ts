// The page's use of the cost model (stores/estimate.svelte.ts); the model itself: tests/unit/measures/estimate.test.ts.
import { describe, expect, it } from 'vitest';
import { PAPER_SETTINGS, PRESETS, type MeasureSettings } from '../../../src/core/index.ts';
import { TYPICAL_RATES, jobSeconds, measureSeconds, type MachineRates } from '../../../src/core/estimate.ts';
import { CONFIRM_ABOVE_SECONDS, EstimateStore, roughDuration } from '../../../src/ui/stores/estimate.svelte.ts';

const QUICK = PRESETS.quick.settings;

describe('the page’s estimate', () => {
  it('says durations as a person would', () => {
    expect([3, 42, 61, 599, 3599, 5400, 5520, 7200].map(roughDuration)).toEqual(['a few seconds', '40 s', '1 min', '10 min', '1 h', '1 h 30 min', '1 h 30 min', '2 h']);
  });

  it('uses the worker’s measured rates once it has them, typical ones until then', async () => {
    const rates: MachineRates = { float64Gflops: 5, backendGflops: 30, backend: 'webgpu', measured: true };
    const store = new EstimateStore({ rates: async () => rates });
    const file = { shape: { n: 5000, d: 768 }, probe: false };
    expect(store.where).toBe('on a typical CPU');
    const typical = store.jobSeconds([file], PAPER_SETTINGS);
    await store.refresh();
    expect(store.where).toBe('on WebGPU');
    expect(store.jobSeconds([file], PAPER_SETTINGS)).toBeCloseTo(measureSeconds(5000, 768, PAPER_SETTINGS, rates), 6);
    expect(store.jobSeconds([file], PAPER_SETTINGS)).toBeLessThan(typical);
    expect(new EstimateStore({}).using).toBe(TYPICAL_RATES); // a client without rates (a test's fake)
  });

  it('offers cheaper choices for a long job, each estimated and cheaper, Quick among them', () => {
    const store = new EstimateStore({});
    const files = [{ shape: { n: 5000, d: 768 }, probe: true }];
    const now = store.jobSeconds(files, PAPER_SETTINGS);
    expect(now).toBeGreaterThan(CONFIRM_ABOVE_SECONDS);
    const choices = store.cheaperChoices(files, PAPER_SETTINGS);
    // 768 MLPs of 100 epochs do not fit 10 minutes on any row sample: no row cap offered
    expect(choices.map((c) => c.id)).toEqual(['nlr-dims', 'quick', 'no-nlr']);
    for (const c of choices) expect(c.seconds, c.id).toBeLessThan(now);
    for (const c of choices.filter((x) => x.id === 'nlr-dims' || x.id === 'row-cap')) expect(c.seconds, c.id).toBeLessThanOrEqual(CONFIRM_ABOVE_SECONDS);
    expect(choices.find((c) => c.id === 'quick')!.settings).toEqual(QUICK);
    expect(choices.find((c) => c.id === 'no-nlr')!.settings.measures).toEqual(['aac', 'lr']);
    expect(choices.find((c) => c.id === 'nlr-dims')!.label).toMatch(/^NLR on \d+ dims$/);
    // many rows, a fifth of the dims (the authors' own choice): a row sample fits
    const tall = [{ shape: { n: 100_000, d: 128 }, probe: false }];
    const fifth: MeasureSettings = { ...PAPER_SETTINGS, nlrDims: { kind: 'fraction', fraction: 0.2 } };
    expect(store.jobSeconds(tall, fifth)).toBeGreaterThan(CONFIRM_ABOVE_SECONDS);
    const rowCap = store.cheaperChoices(tall, fifth).find((c) => c.id === 'row-cap')!;
    expect(rowCap.label).toMatch(/^NLR on [\d,]+ rows$/);
    expect(rowCap.settings.nlrRowCap).toBeGreaterThan(1000);
    expect(rowCap.seconds).toBeLessThanOrEqual(CONFIRM_ABOVE_SECONDS);
  });
});
