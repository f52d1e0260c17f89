// The cost model behind Run's estimate (src/core/estimate.ts): the FLOPs of each measure, checked by hand and
// against what a real NLR run reports.
import { beforeAll, describe, expect, it } from 'vitest';
import { selectNodeBackend } from '../../../src/node/index.ts';
import { DEFAULT_PROBE_RUN, inMemoryArray, measureArray, PAPER_SETTINGS, PRESETS, type MeasureSettings, type NlrDimSelection } from '../../../src/core/index.ts';
import {
  PROBE_PROTOCOL,
  TYPICAL_RATES,
  jobSeconds,
  measureSeconds,
  measureWork,
  mlpFlopCount,
  nlrDimsWithin,
  nlrHeadCount,
  nlrRowCapWithin,
  nlrRows,
  totalWork,
  type MachineRates,
} from '../../../src/core/estimate.ts';
import { expectedEpochs } from '../../../src/core/estimate.ts';
import { estimateCost } from '../../../src/core/measures/progress.ts';
import { mlpFlops } from '../../../src/core/measures/mlpHeads.ts';
import { DEFAULT_PROBE_SETTINGS } from '../../../src/core/measures/linearProbe.ts';
import { selectNlrDims } from '../../../src/core/measures/nlrDims.ts';
import { nlrRowCaps } from '../../../src/core/measures/standardisedRows.ts';

const QUICK = PRESETS.quick.settings;
const AAC_LR: MeasureSettings = { ...QUICK, measures: ['aac', 'lr'] };
const withEpochs = (s: MeasureSettings, epochs: number): MeasureSettings => ({ ...s, mlp: { ...s.mlp, epochs } });

describe('the cost model', () => {
  it('grows with N, with D and with epochs, for every kind of settings', () => {
    for (const s of [PAPER_SETTINGS, QUICK, AAC_LR]) {
      let last = 0;
      for (const n of [500, 1000, 2000, 5000, 20_000, 100_000]) {
        const t = measureSeconds(n, 256, s);
        expect(t, `N = ${n}`).toBeGreaterThan(last);
        last = t;
      }
      last = 0;
      for (const d of [16, 64, 128, 512, 768, 2048]) {
        const t = measureSeconds(5000, d, s);
        expect(t, `D = ${d}`).toBeGreaterThan(last);
        last = t;
      }
    }
    let last = 0;
    for (const epochs of [1, 5, 20, 100, 300]) {
      const t = measureSeconds(5000, 768, withEpochs(PAPER_SETTINGS, epochs));
      expect(t, `epochs = ${epochs}`).toBeGreaterThan(last);
      last = t;
    }
  });

  it('known shapes in a known ratio: NLR work ∝ rows, the Gram ∝ N·D², the ridge inverses ∝ K·D³', () => {
    const a = measureWork(4000, 512, PAPER_SETTINGS);
    const b = measureWork(2000, 512, PAPER_SETTINGS);
    // 3,000 vs 1,500 train rows and 1,000 vs 500 held out: exactly twice the NLR FLOPs and steps
    expect(a.nlr.nlr / b.nlr.nlr).toBeCloseTo(2, 12);
    expect(a.nlr.steps / b.nlr.steps).toBeCloseTo(2, 12);
    expect(a.gram.float64 / b.gram.float64).toBeCloseTo(2, 12);
    const wide = measureWork(4000, 1024, PAPER_SETTINGS);
    expect(wide.gram.float64 / a.gram.float64).toBeCloseTo(4, 12);
    // LR by hand at N = 4000, D = 512, K = 5: per α an inverse (D³), the held-out Gram product (2·D³, N_te ≥ D),
    // Z·M over the train rows (2·N_tr·D²) and its leave-one-out terms (4·N_tr·D)
    const [n, d, K, nTrain] = [4000, 512, 5, 3000];
    expect(a.lr.float64).toBe(K * (d ** 3 + 2 * d ** 3 + 2 * nTrain * d * d + 4 * nTrain * d));
    expect(a.gram.float64).toBe(n * d * d);
    // NLR by hand: D heads, 100 epochs of (D→128→64→1) over 3,000 rows, each followed by a prediction over the 1,000
    // held-out rows (the learning curve), and the final prediction
    const perRow = (inputs: number) => ({ train: 2 * (2 * inputs * 128 + 3 * 128 * 64 + 2.5 * 64), forward: 2 * (inputs * 128 + 128 * 64 + 64) });
    expect(a.nlr.nlr).toBe(d * (100 * (3000 * perRow(d).train + 1000 * perRow(d).forward) + 1000 * perRow(d).forward));
    // with early stopping: 20% of the train rows are watched, not trained on, for the expected number of epochs
    const early = measureWork(4000, 512, { ...PAPER_SETTINGS, mlp: { ...PAPER_SETTINGS.mlp, epochs: 300, earlyStopping: { validationFraction: 0.2, patience: 10 } } });
    const e = expectedEpochs({ ...PAPER_SETTINGS.mlp, epochs: 300, earlyStopping: { validationFraction: 0.2, patience: 10 } });
    expect(e).toBe(40);
    expect(early.nlr.nlr).toBe(d * (e * (2400 * perRow(d).train + 600 * perRow(d).forward) + 1000 * perRow(d).forward));
    // the case, Paper protocol on 5,000 × 768, is NLR: 768 MLPs of 100 epochs, over 99% of the job
    const paper = measureWork(5000, 768, PAPER_SETTINGS);
    expect(paper.nlr.nlr / totalWork(paper).nlr).toBeGreaterThan(0.99);
  });

  it('at a rate that trains one Paper dim of 5,000 × 768 in ~7 s, the whole job is ~1.5 h; Quick about a minute', () => {
    // the machine: 1 % after 60 s, ~7 s per dim. Backend rate from one dim's FLOPs: 100 epochs × 3,750 rows
    const oneDim = 100 * mlpFlopCount(768, [128, 64], 1, 3750).train;
    const rates: MachineRates = { float64Gflops: 10, backendGflops: oneDim / 7 / 1e9 / 1.05, backend: 'wasm', measured: true };
    const paper = measureSeconds(5000, 768, PAPER_SETTINGS, rates);
    expect(paper / 3600).toBeGreaterThan(1.2);
    expect(paper / 3600).toBeLessThan(2.2);
    expect(paper, "past the page’s 10-minute confirmation").toBeGreaterThan(10 * 60);
    expect(measureSeconds(5000, 768, QUICK, rates)).toBeLessThan(120);
  });

  it('follows the pipeline it models: FLOP formulas, NLR rows, dims and the probe protocol are the code’s', () => {
    // the paper's MLP by hand: forward 2·rows·heads·(767·128 + 128·64 + 64); a training step
    // 2·rows·heads·(2·767·128 + 3·128·64 + 2.5·64) (W1's gradient without the input gradient)
    expect(mlpFlopCount(767, [128, 64], 3, 512)).toEqual({
      forward: 2 * 512 * 3 * (767 * 128 + 128 * 64 + 64),
      train: 2 * 512 * 3 * (2 * 767 * 128 + 3 * 128 * 64 + 2.5 * 64),
    });
    expect(mlpFlops).toBe(mlpFlopCount); // NLR's reported GFLOP and the estimate are one definition
    for (const cap of [null, 10, 700, 999, 1000, 5000]) {
      const m = { nTrain: 750, nTest: 250 } as Parameters<typeof nlrRowCaps>[1];
      expect(nlrRows(cap, 750, 250), `cap ${cap}`).toEqual(nlrRowCaps(cap, m));
    }
    const usable = Array.from({ length: 300 }, (_, i) => i);
    const selections: NlrDimSelection[] = [{ kind: 'all' }, { kind: 'fraction', fraction: 0.2 }, { kind: 'fraction', fraction: 0.001 }, { kind: 'count', count: 16 }, { kind: 'count', count: 999 }, { kind: 'list', dims: [3, 3, 7, 299] }];
    for (const nlrDims of selections) {
      const s: MeasureSettings = { ...PAPER_SETTINGS, nlrDims };
      expect(nlrHeadCount(300, s), JSON.stringify(nlrDims)).toBe(selectNlrDims(nlrDims, 0, usable, 300, 'x').length);
    }
    expect(nlrHeadCount(300, AAC_LR)).toBe(0);
    expect(PROBE_PROTOCOL).toEqual({ steps: DEFAULT_PROBE_SETTINGS.steps, lambdas: DEFAULT_PROBE_SETTINGS.lambdas.length, validationFraction: DEFAULT_PROBE_SETTINGS.validationFraction, rowCap: DEFAULT_PROBE_RUN.rowCap });
  });

  it('the progress weights are the model’s seconds per stage', () => {
    const cost = estimateCost(5000, 768, PAPER_SETTINGS);
    const total = Object.values(cost).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(measureSeconds(5000, 768, PAPER_SETTINGS, TYPICAL_RATES), 6);
    expect(cost.nlr / total).toBeGreaterThan(0.95);
  });

  it('cheaper settings sized to fit: fewer NLR dims, a row cap, each within the budget and as large as fits', () => {
    const shapes = [{ n: 5000, d: 768 }];
    const budget = 600;
    const dims = nlrDimsWithin(shapes, PAPER_SETTINGS, TYPICAL_RATES, budget);
    expect(dims).toBeGreaterThan(0);
    expect(dims).toBeLessThan(768);
    const withDims = (count: number) => ({ ...PAPER_SETTINGS, nlrDims: { kind: 'count', count } }) as MeasureSettings;
    expect(jobSeconds(shapes, withDims(dims), TYPICAL_RATES)).toBeLessThanOrEqual(budget);
    expect(jobSeconds(shapes, withDims(dims + 1), TYPICAL_RATES)).toBeGreaterThan(budget);
    const cap = nlrRowCapWithin(shapes, { ...PAPER_SETTINGS, nlrDims: { kind: 'count', count: 64 } }, TYPICAL_RATES, budget);
    expect(cap).not.toBeNull();
    expect(jobSeconds(shapes, { ...PAPER_SETTINGS, nlrDims: { kind: 'count', count: 64 }, nlrRowCap: cap }, TYPICAL_RATES)).toBeLessThanOrEqual(budget);
    // nothing fits: none offered
    expect(nlrDimsWithin(shapes, PAPER_SETTINGS, TYPICAL_RATES, 1)).toBe(0);
    expect(nlrRowCapWithin(shapes, PAPER_SETTINGS, TYPICAL_RATES, 1)).toBeNull();
  });
});

describe('the model against a real NLR run (Node, WASM)', () => {
  beforeAll(async () => {
    await selectNodeBackend('wasm');
  });

  it('counts the FLOPs NLR reports it did', async () => {
    const [n, d] = [400, 24];
    let seed = 7;
    const data = Float32Array.from({ length: n * d }, () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5);
    const s: MeasureSettings = { ...PAPER_SETTINGS, nlrDims: { kind: 'count', count: 3 }, mlp: { ...PAPER_SETTINGS.mlp, epochs: 2, batchSize: 64 } };
    const result = await measureArray(inMemoryArray({ rows: n, cols: d, data }), 'x.npy', s, { nullBaseline: false, extras: false });
    expect(result.nlr?.evaluatedDims).toHaveLength(3);
    expect(measureWork(n, d, s).nlr.nlr / 1e9).toBeCloseTo(result.nlr!.gflop, 9);
  }, 60_000);
});
