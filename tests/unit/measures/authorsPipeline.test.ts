/**
 * `--protocol authors-script` on raw embeddings reproduces the authors' whole pipeline: their corr.py (float32
 * z-scoring, np.savetxt) → the released script's pd.read_csv (pandas' default parser, first row lost) → its lines.
 * Checked against those steps re-typed in Python (tests/reference/authors_pipeline.py) on a fixture with ReLU-like
 * columns that are zero in every held-out row of the seed-0 split but not in train, and the reverse: where pandas
 * reads such a column's constant an ulp off its float32 value, the script's per-split (x − mean)/(std + 1e-100)
 * turns it into a constant ≈ ±1, and those dims' LR moves by whole units (the protocol before the whole pipeline
 * scored them as zero columns — it fails here). Also the pieces: the parser's emulation against pandas, NumPy's
 * split constant, and the "already standardised" rule.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCliJson } from '../helpers/cli.ts';
import { seededNormal } from '../helpers/synthetic.ts';
import { sklearnTrainTestSplit } from '../../../src/core/numerics/split.ts';
import { looksStandardised, numpySplitConstant, savetxtThenReadCsv } from '../../../src/core/measures/authorsScript.ts';

const ROWS = 400;
const D = 40;
/** dims zero in every held-out row (ReLU firing on some train rows), and zero in every train row */
const ZERO_IN_TEST = Array.from({ length: 14 }, (_, i) => 12 + i);
const ZERO_IN_TRAIN = Array.from({ length: 12 }, (_, i) => 26 + i);
const DEAD = 38;

/** Raw ReLU-like embeddings, float32-exact, header-less CSV (row 0 is z-scored by corr.py, then lost by the script). */
export function rawCsv(seed = 6): string {
  const normal = seededNormal(seed);
  const split = sklearnTrainTestSplit(ROWS - 1, 0.25, 0); // the split of the rows the script keeps
  const isTest = new Uint8Array(ROWS);
  for (const r of split.test) isTest[r + 1] = 1;
  const lines: string[] = [];
  for (let r = 0; r < ROWS; r++) {
    const f = [normal(), normal(), normal()];
    const row = Array.from({ length: D }, (_, j) => Math.max(0, 0.5 + f[j % 3] + 0.8 * normal()) * (1 + (j % 5)));
    for (const j of ZERO_IN_TEST) if (r > 0 && (isTest[r] || normal() < 0.4)) row[j] = 0;
    for (const j of ZERO_IN_TRAIN) if (r > 0 && (!isTest[r] || normal() < 0.4)) row[j] = 0;
    row[DEAD] = 0;
    lines.push(row.map((v) => (v === 0 ? '0' : Math.fround(v).toPrecision(17))).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function python(script: string, args: string[]): string {
  const r = spawnSync('/usr/bin/python3', [script, ...args], { cwd: REPO, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`the reference failed — are python3-sklearn and python3-pandas installed? ${r.stderr}`);
  return r.stdout;
}

describe('the authors’ whole pipeline (raw embeddings → corr.py → pd.read_csv → the script)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'authors-pipeline-'));
  const file = join(dir, 'raw-relu.csv');
  writeFileSync(file, rawCsv());

  it('equals their steps re-typed in Python per dim to 1e-6, the dims the rounding hits included', () => {
    const ref = JSON.parse(python('tests/reference/authors_pipeline.py', [file])) as {
      n: number; aac: number; lr: number; lrPerDim: number[]; exactParse: { lrPerDim: number[] };
    };
    const ours = runCliJson(['measure', file, '--measures', 'aac,lr', '--protocol', 'authors-script']);
    expect(ours.authorsScript.input).toBe('raw');
    expect(ours.n).toBe(ROWS - 1);
    expect(Math.abs(ours.aac.value - ref.aac)).toBeLessThan(1e-7);
    ref.lrPerDim.forEach((want, j) => expect(Math.abs(ours.lr.perDim[j] - want), `dim ${j}`).toBeLessThan(1e-6));
    expect(Math.abs(ours.lr.value - ref.lr)).toBeLessThan(1e-6);
    // the fixture exercises the quirk: some split-constant dims are shifted, and they move LR by > 0.1
    const moved = ref.lrPerDim.map((v, j) => Math.abs(v - ref.exactParse.lrPerDim[j]));
    expect(Math.max(...moved)).toBeGreaterThan(0.1);
    expect(ours.authorsScript.shiftedDims.length).toBeGreaterThan(0);
    for (const j of ours.authorsScript.shiftedDims) expect([...ZERO_IN_TEST, ...ZERO_IN_TRAIN]).toContain(j);
    // a shifted held-out-constant input moves the other dims too (their held-out predictions shift by β·constant)
    expect(ours.authorsScript.shiftedDims.some((j: number) => ZERO_IN_TEST.includes(j))).toBe(true);
    expect(Math.max(...moved.filter((_, j) => !ours.authorsScript.shiftedDims.includes(j)))).toBeGreaterThan(0.01);
    expect(ours.lr.perDim[DEAD]).toBe(1);
    // forcing `raw` is the same run
    const forced = runCliJson(['measure', file, '--measures', 'lr', '--protocol', 'authors-script', '--authors-input', 'raw']);
    expect(forced.lr.perDim).toEqual(ours.lr.perDim);
  });

  it('pandas’ default parser on np.savetxt text: emulated value for value (against pandas itself)', () => {
    const normal = seededNormal(3);
    const values = Array.from({ length: 3000 }, (_, i) => Math.fround(normal() * 10 ** ((i % 13) - 6)));
    values.push(Math.fround(-1.2345678e-20), Math.fround(3.4e38), Math.fround(1e-40), 1, -0.5);
    const code = [
      'import sys, io, json, numpy as np, pandas as pd',
      'v = np.array(json.loads(sys.stdin.read()), dtype=np.float32)',
      'b = io.StringIO(); np.savetxt(b, np.vstack([v, v]), delimiter=",")',
      'print(json.dumps([float(x) for x in pd.read_csv(io.StringIO(b.getvalue())).to_numpy()[0]]))',
    ].join('\n');
    const r = spawnSync('/usr/bin/python3', ['-c', code], { input: JSON.stringify(values), encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(r.stderr);
    const pandas = JSON.parse(r.stdout) as number[];
    const ours = values.map(savetxtThenReadCsv);
    expect(ours).toEqual(pandas);
    expect(ours.filter((x, i) => x !== values[i]).length).toBeGreaterThan(100); // the parser is not exact
  });

  it('NumPy’s split constant: 0 for a float32 value, ≈ ±1 for an ulp-off double (against NumPy)', () => {
    const cases: [number, number][] = [[Math.fround(-0.3761), 299], [savetxtThenReadCsv(Math.fround(-0.3761)) + 2 ** -54, 299], [-0.37610000000000005, 100], [1.2345678901234567, 1000], [0.1, 3]];
    const code = [
      'import sys, json, numpy as np',
      'out = []',
      'for v, n in json.loads(sys.stdin.read()):',
      '    x = np.full((n, 2), v)',
      '    out.append(float(((x - x.mean(axis=0)) / (x.std(axis=0) + 1e-100))[0, 0]))',
      'print(json.dumps(out))',
    ].join('\n');
    const r = spawnSync('/usr/bin/python3', ['-c', code], { input: JSON.stringify(cases), encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(r.stderr);
    const numpy = JSON.parse(r.stdout) as number[];
    expect(cases.map(([v, n]) => numpySplitConstant(v, n))).toEqual(numpy);
    expect(numpySplitConstant(Math.fround(-0.3761), 299)).toBe(0);
  });

  it('one rule for "already standardised": mean ≈ 0 and std ≈ 1, or an all-zero column', () => {
    expect(looksStandardised([0.01, 0, -0.04], [1.02, 0, 0.97])).toBe(true);
    expect(looksStandardised([0.01, 0.2], [1, 1])).toBe(false);
    expect(looksStandardised([0.01, 0], [1, 0.5])).toBe(false);
    expect(looksStandardised([0.01, 3], [1, 0])).toBe(false);
  });
});
