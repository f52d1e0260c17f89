/**
 * The read-out that says when a number means nothing: the population estimate against a known truth,
 * the null baseline on noise vs real structure at the same high D/N, outlier dims, NLR − LR over one set
 * of dims, and the permuted copy itself (marginals kept, dependence gone, same on every pass).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { measureArray } from '../../../src/core/measure.ts';
import { inMemoryArray } from '../../../src/core/io/inMemory.ts';
import { PAPER_SETTINGS, type MeasureSettings } from '../../../src/core/measures/types.ts';
import { permutedColumns } from '../../../src/core/measures/nullBaseline.ts';
import { selectNodeBackend } from '../../../src/node/backend.ts';
import type { Matrix } from '../../../src/core/io/types.ts';
import { correlatedGaussian, seededNormal } from '../helpers/synthetic.ts';
import { assessReliability } from '../../../src/core/measures/reliability.ts';
import { PRESETS } from '../../../src/core/presets.ts';
import { straightforwardSpdInverse } from '../../../bench/reference/straightforwardCholesky.ts';

const LR_ONLY: MeasureSettings = { ...PAPER_SETTINGS, measures: ['lr'] };

/** Rows of z = W·f + √ψ·e (k Gaussian factors), and the population LR of that covariance (float64). */
function factorModel(rows: number, d: number, k: number, seed: number): { m: Matrix; populationLr: number } {
  const normal = seededNormal(seed);
  const w = Array.from({ length: d * k }, () => normal());
  const psi = Array.from({ length: d }, (_, i) => 0.5 + 2.5 * ((i * 7919) % 97) / 97);
  const data = new Float32Array(rows * d);
  for (let r = 0; r < rows; r++) {
    const f = Array.from({ length: k }, () => normal());
    for (let i = 0; i < d; i++) {
      let v = Math.sqrt(psi[i]) * normal();
      for (let j = 0; j < k; j++) v += w[i * k + j] * f[j];
      data[r * d + i] = v;
    }
  }
  // population correlation C = S / √(diag S diag Sᵀ), S = W Wᵀ + diag ψ;  R²_i = 1 − 1/(C⁻¹)_ii
  const s = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let v = i === j ? psi[i] : 0;
      for (let a = 0; a < k; a++) v += w[i * k + a] * w[j * k + a];
      s[i * d + j] = v;
    }
  }
  const sd = Array.from({ length: d }, (_, i) => Math.sqrt(s[i * d + i]));
  const c = s.map((v, idx) => v / (sd[Math.floor(idx / d)] * sd[idx % d]));
  const inv = straightforwardSpdInverse(c, d).inverse;
  let lr = 0;
  for (let i = 0; i < d; i++) lr += (1 - 1 / inv[i * d + i]) / d;
  return { m: { rows, cols: d, data }, populationLr: lr };
}

function noise(rows: number, d: number, seed: number): Matrix {
  const normal = seededNormal(seed);
  return { rows, cols: d, data: Float32Array.from({ length: rows * d }, () => normal()) };
}

beforeAll(() => selectNodeBackend('wasm'));

describe('lrAdjusted, the population estimate, lands within ±0.02 of the known population LR', () => {
  const d = 240;
  for (const ratio of [0.1, 0.5, 0.8]) {
    it(`at D/N_train = ${ratio}, where held-out LR is far off`, async () => {
      const nTrain = Math.round(d / ratio);
      const rows = Math.round(nTrain / 0.75);
      const { m, populationLr } = factorModel(rows, d, 6, 100 + Math.round(ratio * 10));
      const r = await measureArray(inMemoryArray(m), 'factors.npy', LR_ONLY, { nullBaseline: false });
      expect(r.nTrain).toBe(nTrain);
      expect(r.reliability!.dOverNTrain).toBeCloseTo(ratio, 2);
      expect(Math.abs(r.reliability!.lrAdjusted! - populationLr)).toBeLessThan(0.02);
      if (ratio >= 0.5) expect(populationLr - r.lr!.value).toBeGreaterThan(0.05); // the held-out number is biased low
    }, 60_000);
  }

  it('is null (not a number) where N_train ≤ D', async () => {
    const r = await measureArray(inMemoryArray(noise(120, 100, 4)), 'wide.npy', LR_ONLY, { nullBaseline: false });
    expect(r.reliability!.lrAdjusted).toBeNull();
    expect(r.reliability!.warnings.find((w) => w.code === 'high-d-over-n')!.message).toMatch(/needs more train rows than dims/);
  });
});

describe('the null baseline', () => {
  const d = 180;
  const rows = 267; // 200 train rows: D/N_train = 0.9

  it('flags pure noise at D/N_train = 0.9 as lr-at-null (and high-d-over-n, outlier dims)', async () => {
    const r = await measureArray(inMemoryArray(noise(rows, d, 7)), 'noise.npy', LR_ONLY);
    const rel = r.reliability!;
    const codes = rel.warnings.map((w) => w.code);
    expect(rel.dOverNTrain).toBeCloseTo(0.9, 2);
    expect(rel.lrNull).toBeLessThan(-1); // noise reads far below 0 at this ratio
    expect(codes).toContain('lr-at-null');
    expect(codes).toContain('high-d-over-n');
    expect(r.lr!.value).toBeGreaterThanOrEqual(rel.lrNullBand![0]);
    expect(r.lr!.value).toBeLessThanOrEqual(rel.lrNullBand![1]);
    expect(rel.lrMedian).not.toBeNull();
  }, 60_000);

  it('does not flag a linear-sum set at the same D/N (32 hidden factors), though its held-out LR is biased low', async () => {
    const { m } = factorModel(rows, d, 32, 8);
    const r = await measureArray(inMemoryArray(m), 'linear.npy', LR_ONLY);
    const codes = r.reliability!.warnings.map((w) => w.code);
    expect(codes).not.toContain('lr-at-null');
    expect(codes).toContain('high-d-over-n');
    expect(r.lr!.value).toBeGreaterThan(r.reliability!.lrNullBand![1]);
  }, 60_000);

  it('a permuted copy keeps each column’s values, destroys dependence, and is the same on every pass whatever the block size', async () => {
    const { m } = factorModel(3000, 6, 1, 9); // strongly correlated columns
    const p = permutedColumns(inMemoryArray(m), 0, 4 * 6 * 1500); // chunks of 1,500 rows
    expect(p.chunkRows).toBe(1500);
    const whole = await p.read();
    const again: number[] = [];
    for await (const b of p.blocks(77)) again.push(...b.data);
    expect(Float32Array.from(again)).toEqual(whole.data);
    for (let j = 0; j < 6; j++) {
      const before = Array.from({ length: 3000 }, (_, r) => m.data[r * 6 + j]);
      const after = Array.from({ length: 3000 }, (_, r) => whole.data[r * 6 + j]);
      // within each 1,500-row chunk the column holds the same values, reordered
      for (let c = 0; c < 2; c++) {
        const a = before.slice(c * 1500, (c + 1) * 1500).sort((x, y) => x - y);
        const b = after.slice(c * 1500, (c + 1) * 1500).sort((x, y) => x - y);
        expect(b).toEqual(a);
      }
      expect(after).not.toEqual(before);
    }
    const original = await measureArray(inMemoryArray(m), 'x.npy', { ...PAPER_SETTINGS, measures: ['aac'] }, { nullBaseline: false });
    const permuted = await measureArray(p, 'x.npy', { ...PAPER_SETTINGS, measures: ['aac'] }, { nullBaseline: false });
    expect(original.aac!.value).toBeGreaterThan(0.1);
    expect(permuted.aac!.value).toBeLessThan(0.04); // ~ the |r| of independent columns at N = 3,000
  });
});

describe('NLR − LR on the NLR dims', () => {
  it('is NLR minus the LR of the same dims, with that LR beside it', async () => {
    const { m } = factorModel(600, 12, 3, 10);
    const settings: MeasureSettings = {
      ...PAPER_SETTINGS,
      measures: ['lr', 'nlr'],
      nlrDims: { kind: 'list', dims: [1, 4, 7] },
      mlp: { ...PAPER_SETTINGS.mlp, epochs: 3 },
    };
    const r = await measureArray(inMemoryArray(m), 'x.npy', settings);
    const lrSame = [1, 4, 7].reduce((s, j) => s + r.lr!.perDim[j]!, 0) / 3;
    expect(r.nlr!.lrOnNlrDims).toBeCloseTo(lrSame, 12);
    expect(r.nlr!.minusLr).toBeCloseTo(r.nlr!.value - lrSame, 12);
    expect(r.nlr!.lrOnNlrDims).not.toBeCloseTo(r.lr!.value, 6); // not the LR over all dims
    // NLR_null on a few of the same dims; 3 epochs of SGD leave the MLPs still improving: said so
    expect(r.reliability!.nlrNullDims.every((j) => [1, 4, 7].includes(j))).toBe(true);
    expect(r.reliability!.nlrNull).not.toBeNull();
    expect(r.reliability!.warnings.map((w) => w.code)).toContain('nlr-not-converged');
  }, 60_000);
});

describe('the null band', () => {
  it('the issue’s case, 1,000 × 700 independent Gaussian dims: noise reads as noise (lr-at-null)', async () => {
    const r = await measureArray(inMemoryArray(noise(1000, 700, 11)), 'noise700.npy', LR_ONLY, { extras: false });
    expect(r.lr!.value).toBeLessThan(-3);
    expect(r.reliability!.warnings.map((w) => w.code)).toContain('lr-at-null');
  }, 120_000);
});

describe('graded warnings', () => {
  it('a clean, well-conditioned file (3,000 × 16 correlated Gaussian, the default preset) gets no warning at all', async () => {
    const r = await measureArray(inMemoryArray(correlatedGaussian(3000, 16, 5, 1.0)), 'clean.npy', { ...PRESETS.quick.settings, nlrDims: { kind: 'count', count: 4 } });
    expect(r.reliability!.warnings).toEqual([]);
    expect(r.nlr!.training).toEqual({ underTrained: 0, overFitted: 0, settled: 4 });
  }, 60_000);

  it('the D/N regime is context (info) and says its value to 3 digits: 0.102 is not "0.10 is above 0.1"', () => {
    const rel = assessReliability({ usableDims: 102, nTrain: 1000, lr: { value: 0.5, perDim: new Array(102).fill(0.5) }, nlr: null, lrNullPerDim: null, nlrNullPerDim: null, nlrNullDims: [], lrAdjustedPerDim: null });
    const w = rel.warnings.find((x) => x.code === 'high-d-over-n')!;
    expect(w.severity).toBe('info');
    expect(w.message).toMatch(/^D\/N_train = 0\.102 /);
    const at = assessReliability({ usableDims: 100, nTrain: 1000, lr: { value: 0.5, perDim: new Array(100).fill(0.5) }, nlr: null, lrNullPerDim: null, nlrNullPerDim: null, nlrNullDims: [], lrAdjustedPerDim: null });
    expect(at.warnings).toEqual([]); // D/N = 0.1 exactly: not above
  });

  it('NLR heads that did not settle: info when few, a warning past 10% of the heads', () => {
    const base = { usableDims: 10, nTrain: 1000, lr: null, lrNullPerDim: null, nlrNullPerDim: null, nlrNullDims: [], lrAdjustedPerDim: null };
    const nlr = (underTrained: number, overFitted: number, all: number) => ({ value: 0.5, evaluatedDims: Array.from({ length: all }, (_, i) => i), training: { underTrained, overFitted, settled: all - underTrained - overFitted }, trainingMonitor: 'validation' as const, lrOnNlrDims: null });
    expect(assessReliability({ ...base, nlr: nlr(0, 0, 20) }).warnings).toEqual([]);
    expect(assessReliability({ ...base, nlr: nlr(1, 1, 20) }).warnings.map((w) => [w.code, w.severity])).toEqual([['nlr-not-converged', 'info']]);
    const many = assessReliability({ ...base, nlr: nlr(2, 1, 20) }).warnings[0];
    expect([many.code, many.severity]).toEqual(['nlr-not-converged', 'warning']);
    expect(many.message).toMatch(/17 of 20 NLR MLPs settled; 2 still improving .* 1 past their best/);
  });
});

describe('alpha-at-grid-edge', () => {
  const base = { usableDims: 4, nTrain: 1000, nlr: null, lrNullPerDim: null, nlrNullPerDim: null, nlrNullDims: [], lrAdjustedPerDim: null, ridgeAlphas: [1e-3, 1e-2, 1e-1, 1, 10] };
  it('info when most dims chose the grid’s largest α, naming how many', () => {
    const rel = assessReliability({ ...base, lr: { value: 0.3, perDim: [0.3, 0.3, 0.3, 0.3], alphaPerDim: [10, 10, 10, 1] } });
    const w = rel.warnings.find((x) => x.code === 'alpha-at-grid-edge')!;
    expect(w.severity).toBe('info');
    expect(w.message).toMatch(/α = 10, the top of the grid .* on 3 of 4 dims/);
    // and what to do: where the grid is set, and which values to add
    expect(w.message).toContain('add larger values (e.g. 100, 1000) to the alphas under Settings › LR (ridge)');
  });
  it('info when most dims chose the grid’s smallest α, saying to add smaller values', () => {
    const rel = assessReliability({ ...base, lr: { value: 0.9, perDim: [0.9, 0.9, 0.9, 0.9], alphaPerDim: [1e-3, 1e-3, 1e-3, 1e-3] } });
    const w = rel.warnings.filter((x) => x.code === 'alpha-at-grid-edge');
    expect(w).toHaveLength(1);
    expect(w[0].severity).toBe('info');
    expect(w[0].message).toMatch(/α = 0\.001, the bottom of the grid .* on 4 of 4 dims/);
    expect(w[0].message).toContain('add smaller values (e.g. 0.0001, 0.00001) to the alphas under Settings › LR (ridge)');
  });
  it('a grid of one α: said once, as its top', () => {
    const rel = assessReliability({ ...base, ridgeAlphas: [1], lr: { value: 0.3, perDim: [0.3, 0.3, 0.3, 0.3], alphaPerDim: [1, 1, 1, 1] } });
    expect(rel.warnings.filter((x) => x.code === 'alpha-at-grid-edge').map((x) => x.message)).toEqual([expect.stringMatching(/the top of the grid/)]);
  });
  it('silent when half or fewer did', () => {
    const rel = assessReliability({ ...base, lr: { value: 0.3, perDim: [0.3, 0.3, 0.3, 0.3], alphaPerDim: [10, 10, 1, 1] } });
    expect(rel.warnings).toEqual([]);
  });
  it('on real MobileNetV2 features with more dims than train rows (700 × 576, D/N_train 1.1) it fires: α = 10 on every dim', async () => {
    const { readFileSync } = await import('node:fs');
    const { openEmbeddingFile, bytesByteSource } = await import('../../../src/core/index.ts');
    const name = 'mnist700_mobilenetv2_block13_576_f16.npy';
    const opened = await openEmbeddingFile(bytesByteSource(new Uint8Array(readFileSync(`tests/fixtures/real/${name}`)), name));
    const r = await measureArray(opened.arrays[0], name, { ...PAPER_SETTINGS, measures: ['aac', 'lr'] }, { nullBaseline: false });
    const alphas = r.lr!.alphaPerDim.filter((a): a is number => a !== null);
    const atTop = alphas.filter((a) => a === 10).length;
    expect(atTop).toBe(alphas.length); // measured: 576 of 576
    expect(r.reliability!.warnings.find((w) => w.code === 'alpha-at-grid-edge')?.message).toMatch(new RegExp(`on ${atTop} of ${alphas.length} dims`));
  }, 120_000);
});
