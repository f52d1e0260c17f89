/**
 * Redundancy groups (extras.redundancyGroups) through the real pipeline (measureArray), against NumPy and SciPy run
 * inside the test (tests/reference/redundancy_groups.py: np.corrcoef, np.linalg.inv, scipy's average-linkage
 * `linkage` + `fcluster`, scipy.stats.norm.isf), on planted groups, a chain, independent noise and N < D.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measureArray } from '../../../src/core/measure.ts';
import { inMemoryArray } from '../../../src/core/io/inMemory.ts';
import type { Matrix } from '../../../src/core/io/types.ts';
import { PAPER_SETTINGS, type MeasureSettings } from '../../../src/core/measures/types.ts';
import { averageLinkageClusters, groupMeans, groupOfDim, normalQuantileUpper, partialCorrelations, redundancyGroups } from '../../../src/core/measures/redundancyGroups.ts';
import { REPO } from '../helpers/cli.ts';
import { seededNormal } from '../helpers/synthetic.ts';

const AAC_ONLY: MeasureSettings = { ...PAPER_SETTINGS, measures: ['aac'] };
const dir = mkdtempSync(join(tmpdir(), 'rgroups-'));

interface Reference {
  threshold: number;
  linkThreshold: number | null;
  links: number | null;
  groups: number[][];
  partial: number[] | null;
  groupStats?: { meanAbsR: number; meanAbsPartialR: number; links: number }[];
}

function reference(m: Matrix, name: string): Reference {
  const file = join(dir, `${name}.f32`);
  writeFileSync(file, Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength));
  const r = spawnSync('/usr/bin/python3', ['tests/reference/redundancy_groups.py', file, String(m.rows), String(m.cols)], { cwd: REPO, encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`the NumPy/SciPy reference failed — is python3-scipy installed? ${r.stderr}`);
  return JSON.parse(r.stdout) as Reference;
}

async function measured(m: Matrix, name: string) {
  let partial: Float64Array | null = null;
  const r = await measureArray(inMemoryArray(m), `${name}.npy`, AAC_ONLY, { nullBaseline: false, onPartialCorrelationMatrix: (p) => (partial = p) });
  return { groups: r.extras.redundancyGroups!, partial: partial as Float64Array | null };
}

/** rows × d: column j is fill(row's normals, j). */
function matrix(rows: number, d: number, seed: number, fill: (row: () => number, j: number, latent: number[]) => number, latents = 0): Matrix {
  const normal = seededNormal(seed);
  const data = new Float32Array(rows * d);
  for (let r = 0; r < rows; r++) {
    const latent = Array.from({ length: latents }, normal);
    for (let j = 0; j < d; j++) data[r * d + j] = fill(normal, j, latent);
  }
  return { rows, cols: d, data };
}

/** D = 60: six planted groups of 5 dims (one latent each + noise of sd 0.5: r = 0.8 inside), then 30 independent dims. */
const planted = (rows: number, seed: number) => matrix(rows, 60, seed, (normal, j, latent) => (j < 30 ? latent[Math.floor(j / 5)] + 0.5 * normal() : normal()), 6);
const PLANTED = Array.from({ length: 6 }, (_, g) => [0, 1, 2, 3, 4].map((i) => 5 * g + i));

function expectSameAsReference(ours: Awaited<ReturnType<typeof measured>>, ref: Reference, d: number) {
  const g = ours.groups;
  expect(Math.abs(g.threshold - ref.threshold)).toBeLessThan(1e-9);
  expect(g.groups.map((x) => x.dims)).toEqual(ref.groups);
  expect(g.count).toBe(ref.groups.length);
  expect(g.dimsInGroups).toBe(ref.groups.reduce((s, x) => s + x.length, 0));
  expect(g.shareOfDims).toBeCloseTo(g.dimsInGroups / d, 15);
  if (ref.linkThreshold === null) {
    expect(g.linkThreshold).toBeNull();
    expect(g.links).toBeNull();
    expect(ours.partial).toBeNull();
    return;
  }
  expect(Math.abs(g.linkThreshold! - ref.linkThreshold)).toBeLessThan(1e-9);
  expect(g.links).toBe(ref.links);
  let worst = 0;
  for (let i = 0; i < d * d; i++) worst = Math.max(worst, Math.abs(ours.partial![i] - ref.partial![i]));
  expect(worst, 'partial correlations vs NumPy −P_ij/√(P_ii P_jj)').toBeLessThan(1e-9);
  g.groups.forEach((x, i) => {
    expect(Math.abs(x.meanAbsR - ref.groupStats![i].meanAbsR)).toBeLessThan(1e-9);
    expect(Math.abs(x.meanAbsPartialR! - ref.groupStats![i].meanAbsPartialR)).toBeLessThan(1e-9);
    expect(x.links).toBe(ref.groupStats![i].links);
  });
}

describe('redundancy groups vs NumPy and SciPy', () => {
  it('planted groups (6 × 5 dims from one latent each, 30 independent dims, N = 2,000): recovered exactly, and equal to scipy', async () => {
    const m = planted(2000, 1);
    const ours = await measured(m, 'planted');
    const ref = reference(m, 'planted');
    expect(ours.groups.groups.map((g) => g.dims)).toEqual(PLANTED);
    expect(ours.groups.count).toBe(6);
    expect(ours.groups.shareOfDims).toBe(0.5);
    expectSameAsReference(ours, ref, 60);
    // inside a planted group of 5 the population partial correlation is 1/5 (one factor, equal loadings): all linked
    for (const g of ours.groups.groups) {
      expect(g.links).toBe(10);
      expect(g.meanAbsR).toBeGreaterThan(0.75);
    }
  }, 120_000);

  it('a chain x_{j+1} = 0.8·x_j + 0.6·e (r falls as 0.8^|i−j|): average linkage cuts it into short runs as scipy does (single linkage would join all 16)', async () => {
    const m = matrix(3000, 16, 2, (() => {
      let previous = 0;
      return (normal, j) => (previous = j === 0 ? normal() : 0.8 * previous + 0.6 * normal());
    })());
    const ours = await measured(m, 'chain');
    const ref = reference(m, 'chain');
    expectSameAsReference(ours, ref, 16);
    expect(ours.groups.count).toBeGreaterThan(1);
    expect(Math.max(...ours.groups.groups.map((g) => g.dims.length))).toBeLessThan(16);
    // every group is a run of consecutive dims, with mean |r| ≥ the cut
    for (const g of ours.groups.groups) {
      expect(g.dims).toEqual(g.dims.map((_, i) => g.dims[0] + i));
      expect(g.meanAbsR).toBeGreaterThanOrEqual(ours.groups.threshold);
    }
  }, 120_000);

  it('N < D (N = 50, D = 60, C singular): no links (not told from noise), the cut rises above 0.5 with N, groups still equal scipy', async () => {
    const m = planted(50, 3);
    const ours = await measured(m, 'small');
    const ref = reference(m, 'small');
    expect(ref.threshold).toBeGreaterThan(0.5);
    expectSameAsReference(ours, ref, 60);
  }, 120_000);

  it('independent noise: no groups in any of 20 seeds, and links in at most 3 of them (family-wise 5% each: P(≥ 4 of 20) = 1.6%)', async () => {
    let withLinks = 0;
    for (let seed = 100; seed < 120; seed++) {
      const { groups } = await measured(matrix(400, 40, seed, (normal) => normal()), 'noise');
      expect(groups.count).toBe(0);
      expect(groups.dimsInGroups).toBe(0);
      if (groups.links! > 0) withLinks++;
    }
    expect(withLinks).toBeLessThanOrEqual(3);
    // the same noise at N = 60, D = 40 (links barely defined, cut far above 0.5): still no groups
    const ref = reference(matrix(60, 40, 7, (normal) => normal()), 'noise60');
    const ours = await measured(matrix(60, 40, 7, (normal) => normal()), 'noise60');
    expect(ours.groups.count).toBe(0);
    expectSameAsReference(ours, ref, 40);
  }, 120_000);

  it('dead dims are in no group and count in D for the share', async () => {
    const m = planted(2000, 4);
    const withDead: Matrix = { rows: 2000, cols: 62, data: new Float32Array(2000 * 62) };
    for (let r = 0; r < 2000; r++) withDead.data.set(m.data.subarray(r * 60, r * 60 + 60), r * 62 + 2);
    const { groups } = await measured(withDead, 'dead');
    expect(groups.groups.map((g) => g.dims)).toEqual(PLANTED.map((g) => g.map((j) => j + 2)));
    expect(groups.shareOfDims).toBe(30 / 62);
  }, 120_000);
});

describe('the parts', () => {
  it('normalQuantileUpper equals scipy.stats.norm.isf to 1e-12 relative, down to p = 1e-15', () => {
    const ps = [0.4, 0.05, 0.025, 1e-3, 1e-5, 1.2e-8, 3e-10, 1e-12, 1e-15, 0.97];
    const r = spawnSync('/usr/bin/python3', ['tests/reference/redundancy_groups.py', '--quantiles', ...ps.map(String)], { cwd: REPO, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    const { isf } = JSON.parse(r.stdout) as { isf: number[] };
    ps.forEach((p, i) => expect(Math.abs(normalQuantileUpper(p) - isf[i]), `p = ${p}`).toBeLessThan(1e-12 * Math.max(1, Math.abs(isf[i]))));
    expect(() => normalQuantileUpper(0)).toThrow(/0 < p < 1/);
  });

  it('average linkage: two blocks joined by one strong pair stay two groups (no chaining)', () => {
    // dims 0–2 r = 0.9 among themselves, 3–5 likewise; one cross pair (2, 3) at 0.9, the other cross pairs 0
    const k = 6;
    const c = new Float64Array(k * k);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) c[i * k + j] = i === j ? 1 : Math.floor(i / 3) === Math.floor(j / 3) || (i + j === 5 && Math.abs(i - j) === 1) ? 0.9 : 0;
    const clusters = averageLinkageClusters(c, k, 0.5).map((g) => g.sort()).sort((a, b) => a[0] - b[0]);
    expect(clusters).toEqual([[0, 1, 2], [3, 4, 5]]);
    const g = redundancyGroups(c, null, [0, 1, 2, 3, 4, 5], 10_000, 8);
    expect(g.groups.map((x) => x.dims)).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(g.shareOfDims).toBe(6 / 8);
    expect(g.links).toBeNull();
  });
});

describe('per-group means of a per-dim measure (the groups chart\'s LR and NLR columns) and the group of a dim', () => {
  const groups = [
    { dims: [0, 3, 5], meanAbsR: 0.9, meanAbsPartialR: null, links: null },
    { dims: [1, 2], meanAbsR: 0.7, meanAbsPartialR: null, links: null },
    { dims: [6, 7], meanAbsR: 0.6, meanAbsPartialR: null, links: null },
  ];
  it('the mean over the dims that have a value, null for a group without any, all null without the measure', () => {
    const perDim = [0.5, 0.25, null, 0.75, 9, -0.5, null, null];
    const straight = groups.map((g) => {
      const v = g.dims.map((j) => perDim[j]).filter((x): x is number => x !== null);
      let sum = 0;
      for (const x of v) sum += x;
      return v.length ? sum / v.length : null;
    });
    expect(groupMeans(groups, perDim)).toEqual(straight);
    expect(groupMeans(groups, perDim)).toEqual([0.25, 0.25, null]);
    expect(groupMeans(groups, undefined)).toEqual([null, null, null]);
    expect(groupMeans([], perDim)).toEqual([]);
  });
  it('groupOfDim: the index of the group holding the dim, −1 for a dim in none', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((j) => groupOfDim(groups, j))).toEqual([0, 1, 1, 0, -1, 0, 2, 2]);
  });
});

describe('the partial correlations are computed once in the pipeline', () => {
  it('the matrix handed to the heatmap is the one the groups\' links read (bitwise), and it is −P_ij/√(P_ii P_jj)', async () => {
    const m = planted(400, 21);
    const { groups, partial } = await measured(m, 'once');
    const k = m.cols;
    expect(partial).not.toBeNull();
    const p = partial!;
    for (const g of groups.groups) {
      let sum = 0;
      let links = 0;
      for (let a = 0; a < g.dims.length; a++) {
        for (let b = a + 1; b < g.dims.length; b++) {
          const v = Math.abs(p[g.dims[a] * k + g.dims[b]]);
          sum += v;
          if (v > groups.linkThreshold!) links++;
        }
      }
      expect(g.meanAbsPartialR).toBe(sum / ((g.dims.length * (g.dims.length - 1)) / 2));
      expect(g.links).toBe(links);
    }
    // partialCorrelations of a small known precision matrix, by hand
    const P = Float64Array.from([4, -2, 0, -2, 9, 3, 0, 3, 1]);
    expect(Array.from(partialCorrelations(P, 3))).toEqual([1, 2 / 6, -0, 2 / 6, 1, -3 / 3, -0, -3 / 3, 1]);
  });
});

describe('redundancy-lab measure: extras.redundancyGroups in --json and its table line', () => {
  it('on real MobileNetV2 features (dead dims left out): the table line says what --json holds', async () => {
    const { runCli, runCliJson } = await import('../helpers/cli.ts');
    const file = 'tests/fixtures/real/mnist1200_mobilenetv2_dense256_f16.npy';
    const json = runCliJson(['measure', file, '--measures', 'aac', '--json']);
    const g = json.extras.redundancyGroups;
    expect(g.clustering).toBe('average-linkage-abs-r');
    expect(g.linkMeasure).toBe('partial-correlation');
    expect(g.count).toBe(g.groups.length);
    expect(g.dimsInGroups).toBe(g.groups.reduce((s: number, x: { dims: number[] }) => s + x.dims.length, 0));
    expect(g.shareOfDims).toBeCloseTo(g.dimsInGroups / json.d, 12);
    for (const x of g.groups) for (const dim of x.dims) expect(json.deadDims).not.toContain(dim);
    const table = runCli(['measure', file, '--measures', 'aac']).stdout;
    const line = table.split('\n').find((l) => l.includes('redundancy groups'));
    expect(line).toMatch(new RegExp(`redundancy groups\\s+${g.count}\\s+${g.dimsInGroups} dims \\(${(100 * g.shareOfDims).toFixed(1)}%\\) in groups of mean \\|r\\| ≥ ${g.threshold.toFixed(3)}`));
  }, 120_000);
});
