/**
 * The default preset's NLR is an estimator of what a (D−1)→128→64→1 MLP can reach (docs/science.md, "NLR: the
 * default"), tested against population truth on planted data:
 * - non-linear targets of independent standard normals x_j, each y = f(x) + 0.5·ε with Var f = 1, so R² = 0.8:
 *   a product x1·x2, an even function (x3² − 1)/√2, |x5| standardised; a saturating tanh(2·x4) (its R² from Var tanh);
 *   their population LR is 0 (uncorrelated with every other dim) except tanh's;
 * - pure-noise dims: population R² 0;
 * - jointly Gaussian data: the best predictor is linear, so NLR − LR is 0 in population; at finite N an MLP fits a
 *   linear function a little worse than ridge, so the gap reads slightly below 0 — never above.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { selectNodeBackend } from '../../../src/node/backend.ts';
import { inMemoryArray, measureArray, PAPER_SETTINGS, PRESETS, type MeasureSettings } from '../../../src/core/index.ts';
import type { Matrix } from '../../../src/core/io/types.ts';
import { heldOutMlpR2, validationRows } from '../../../src/core/measures/nlr.ts';
import type { MlpSettings } from '../../../src/core/measures/types.ts';
import { correlatedGaussian, makeMatrix, seededNormal } from '../helpers/synthetic.ts';
import { standardise } from '../helpers/referenceMlp.ts';
import { numpyPermutation } from '../../../src/core/numerics/split.ts';

const NOISE = 0.5;
const planted = (rows: number, seed: number): Matrix =>
  makeMatrix(rows, 16, seed, (z, normal) => {
    const x = z.slice(0, 12);
    return [
      ...x,
      x[0] * x[1] + NOISE * normal(),
      (x[2] * x[2] - 1) / Math.SQRT2 + NOISE * normal(),
      Math.tanh(2 * x[3]) + NOISE * normal(),
      (Math.abs(x[4]) - Math.sqrt(2 / Math.PI)) / Math.sqrt(1 - 2 / Math.PI) + NOISE * normal(),
    ];
  });

/** Var tanh(2x), x ~ N(0, 1), by Monte Carlo (2·10⁶ draws: ±5e-4). */
function varianceOfTanh(): number {
  const normal = seededNormal(4242);
  let s1 = 0;
  let s2 = 0;
  const m = 2_000_000;
  for (let i = 0; i < m; i++) {
    const v = Math.tanh(2 * normal());
    s1 += v;
    s2 += v * v;
  }
  return s2 / m - (s1 / m) ** 2;
}

const PRODUCT = 12;
const SQUARE = 13;
const TANH = 14;
const ABS = 15;
const NOISE_DIMS = [5, 6, 7, 8];
const dims = [PRODUCT, SQUARE, TANH, ABS, ...NOISE_DIMS];

const QUICK_SETTINGS = PRESETS.quick.settings;
const withDims = (s: MeasureSettings, list: number[]): MeasureSettings => ({ ...s, nlrDims: { kind: 'list', dims: list } });

beforeAll(async () => {
  await selectNodeBackend('wasm');
});

describe('the default (Quick) NLR against population truth', () => {
  const data = planted(4000, 1);
  const vt = varianceOfTanh();
  const truth: Record<number, number> = { [PRODUCT]: 0.8, [SQUARE]: 0.8, [TANH]: vt / (vt + NOISE ** 2), [ABS]: 0.8 };

  it('lands within 0.1 of the population R² on products, even and saturating functions, and NLR − LR > 0 there', async () => {
    const r = await measureArray(inMemoryArray(data), 'planted.npy', withDims(QUICK_SETTINGS, dims), { nullBaseline: false });
    for (const dim of [PRODUCT, SQUARE, TANH, ABS]) {
      const nlr = r.nlr!.perDim[dim]!;
      expect(Math.abs(nlr - truth[dim]), `dim ${dim}: NLR ${nlr} vs truth ${truth[dim]}`).toBeLessThan(0.1);
      expect(r.nlr!.minusLrPerDim[dim]!, `dim ${dim}`).toBeGreaterThan(0.05);
    }
    // the population gap is clearly positive on every planted dim (0.8 − 0 on three, 0.72 − linear on tanh)
    expect(r.nlr!.minusLr!).toBeGreaterThan(0);
    // noise dims: population R² 0; an early-stopped MLP reads ≈ 0, not the far-negative of an over-fitted one
    for (const dim of NOISE_DIMS) expect(Math.abs(r.nlr!.perDim[dim]!), `noise dim ${dim}`).toBeLessThan(0.03);
    // the read-out: every head settled on its validation curve
    expect(r.nlr!.trainingMonitor).toBe('validation');
    expect(r.nlr!.training).toEqual({ underTrained: 0, overFitted: 0, settled: dims.length });
  }, 120_000);

  it('the schedule it replaces (20 epochs of Adam, no stopping rule) over-fits the noise dims, and the read-out says so', async () => {
    const old: MlpSettings = { hidden: [128, 64], epochs: 20, learningRate: 0.001, batchSize: 128, optimizer: 'adam', seed: 0 };
    const r = await measureArray(inMemoryArray(data), 'planted.npy', { ...withDims(QUICK_SETTINGS, NOISE_DIMS), mlp: old }, { nullBaseline: false });
    for (const dim of NOISE_DIMS) expect(r.nlr!.perDim[dim]!, `noise dim ${dim}`).toBeLessThan(-0.04);
    expect(r.nlr!.training!.overFitted).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it('the paper protocol on 3,000 train rows is under-trained on the non-linear dims, and the read-out says so', async () => {
    const r = await measureArray(inMemoryArray(data), 'planted.npy', withDims(PAPER_SETTINGS, [PRODUCT, SQUARE, ABS]), { nullBaseline: false });
    expect(r.nlr!.trainingMonitor).toBe('held-out');
    expect(r.nlr!.training!.underTrained).toBeGreaterThanOrEqual(2);
    const warning = r.reliability!.warnings.find((w) => w.code === 'nlr-not-converged');
    expect(warning?.severity).toBe('warning');
    expect(warning?.message).toMatch(/still improving/);
  }, 120_000);
});

describe('the default NLR on jointly Gaussian data', () => {
  it('NLR − LR is never a positive gap (population: 0); the MLP’s estimation cost on a linear target stays below 0.05', async () => {
    const data = correlatedGaussian(4000, 16, 11, 1.2);
    const list = [0, 3, 6, 9, 12, 15];
    const r = await measureArray(inMemoryArray(data), 'gauss.npy', withDims(QUICK_SETTINGS, list), { nullBaseline: false });
    // the LR of these dims is well above 0, so a gap of 0 is not the trivial "both read as noise"
    expect(r.nlr!.lrOnNlrDims!).toBeGreaterThan(0.2);
    // measured: −0.034 at N_train = 3,000 and −0.022 at 7,500 (an MLP fits a linear function less efficiently than
    // ridge); a false non-linear gap would be positive
    expect(r.nlr!.minusLr!).toBeLessThan(0.02);
    expect(r.nlr!.minusLr!).toBeGreaterThan(-0.05);
    for (const dim of list) expect(r.nlr!.minusLrPerDim[dim]!, `dim ${dim}`).toBeLessThan(0.02);
  }, 120_000);
});

describe('early stopping restores each head’s best weights', () => {
  it('the score equals a run without early stopping, on the same training rows, stopped at the scored epoch', async () => {
    const data = planted(1200, 3);
    const train = standardise({ rows: 900, cols: 16, data: data.data.subarray(0, 900 * 16) });
    const test = standardise({ rows: 300, cols: 16, data: data.data.subarray(900 * 16) });
    const mlp: MlpSettings = { hidden: [16, 8], epochs: 60, learningRate: 0.003, batchSize: 64, optimizer: 'adam', seed: 0, earlyStopping: { validationFraction: 0.2, patience: 4 } };
    const targets = [PRODUCT, 5, SQUARE];
    // 3 heads in one group: they stop at different epochs, so the best-weight bookkeeping is per head
    const early = await heldOutMlpR2(train, test, targets, mlp, { headsPerBatch: 3 });
    expect(early.monitor).toBe('validation');
    const { fit } = validationRows(train, 0.2, 0);
    expect(fit.rows).toBe(720);
    for (let k = 0; k < targets.length; k++) {
      const { earlyStopping: _, ...fixed } = mlp;
      const plain = await heldOutMlpR2(fit, test, [targets[k]], { ...fixed, epochs: early.scoredEpoch[k] });
      expect(early.heldOutR2[k], `head ${k} (scored epoch ${early.scoredEpoch[k]})`).toBeCloseTo(plain.heldOutR2[0], 4);
    }
    expect(new Set(early.scoredEpoch).size).toBeGreaterThan(1);
  }, 120_000);
});

describe('early stopping on a sparse dim', () => {
  it('a target constant on the validation rows (a ReLU unit active on a few train rows) trains and scores, not "diverged"', async () => {
    const rows = 400;
    const data = makeMatrix(rows, 6, 21);
    // column 5 active on three train rows only, all of them among the rows trained on (not the validation rows)
    const perm = numpyPermutation(300, 0);
    const nVal = Math.ceil(0.2 * 300);
    const active = new Set([perm[nVal], perm[nVal + 1], perm[nVal + 2]]);
    for (let r = 0; r < rows; r++) data.data[r * 6 + 5] = r >= 300 ? Math.max(0, data.data[r * 6]) : active.has(r) ? 3 : 0;
    const train = standardise({ rows: 300, cols: 6, data: data.data.slice(0, 300 * 6) });
    const test = standardise({ rows: 100, cols: 6, data: data.data.slice(300 * 6) });
    const { validation } = validationRows(train, 0.2, 0);
    const column = Array.from({ length: validation.rows }, (_, r) => validation.data[r * 6 + 5]);
    expect(new Set(column).size).toBe(1); // constant on the validation rows
    const r = await heldOutMlpR2(train, test, [5, 0], { ...PRESETS.quick.settings.mlp, hidden: [8, 4], epochs: 30 });
    expect(Array.from(r.heldOutR2).every(Number.isFinite)).toBe(true);
  }, 60_000);
});
