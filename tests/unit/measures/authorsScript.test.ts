/**
 * `--protocol authors-script` reproduces the released script's quirks exactly (first row lost, NaN → 0, dead
 * dims as zero columns scoring R² = 1 and |r| = 0 pairs, split-degenerate dims kept) — checked against that
 * script's LR/AAC lines re-typed in tests/reference/authors_script.py (NumPy + scikit-learn, float64), through the
 * real CLI on a CSV file; and the default (corrected) protocol differs from it where the quirks apply.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCliJson } from '../helpers/cli.ts';
import { seededNormal } from '../helpers/synthetic.ts';
import { sklearnTrainTestSplit } from '../../../src/core/numerics/split.ts';

/**
 * A header-less CSV like the script's input (standardised over all rows, as their data_standardized.csv): a dead
 * dim (all 0), a dim live in one split only, a NaN, float32-exact values; or the same unstandardised (`raw`).
 */
function quirkyCsv(raw = false): string {
  const rows = 240;
  const d = 14;
  const normal = seededNormal(21);
  const split = sklearnTrainTestSplit(rows - 1, 0.25, 0); // the split of the rows the script keeps
  const firstTest = split.test[0] + 1; // +1: the script loses the file's first row
  const x: number[][] = [];
  for (let r = 0; r < rows; r++) {
    const f = [normal(), normal(), normal()];
    const row = Array.from({ length: d }, (_, j) => 3 + 2 * f[j % 3] + 0.7 * normal());
    row[4] = 0; // dead (a ReLU that never fires)
    row[9] = r === firstTest ? 2.5 : 0; // fires on one held-out row only: split-degenerate
    x.push(row);
  }
  if (!raw) {
    for (let j = 0; j < d; j++) {
      if (j === 4) continue;
      const mean = x.reduce((s, row) => s + row[j], 0) / rows;
      const sd = Math.sqrt(x.reduce((s, row) => s + (row[j] - mean) ** 2, 0) / rows);
      for (const row of x) row[j] = (row[j] - mean) / sd;
    }
  }
  const lines = x.map((row, r) => {
    const cells = row.map((v) => (v === 0 ? '0' : Math.fround(v).toPrecision(17)));
    if (r === 17) cells[2] = 'nan';
    return cells.join(',');
  });
  return `${lines.join('\n')}\n`;
}

describe('the authors-script protocol', () => {
  const dir = mkdtempSync(join(tmpdir(), 'authors-'));
  const file = join(dir, 'quirky.csv');
  writeFileSync(file, quirkyCsv());

  it('equals the authors’ script (re-typed, scikit-learn) per dim to 1e-6, AAC to 1e-7', () => {
    const r = spawnSync('/usr/bin/python3', ['tests/reference/authors_script.py', file], { cwd: REPO, encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) throw new Error(`the reference failed — is python3-sklearn installed? ${r.stderr}`);
    const ref = JSON.parse(r.stdout) as { n: number; aac: number; lr: number; lrPerDim: number[] };
    const ours = runCliJson(['measure', file, '--measures', 'aac,lr', '--protocol', 'authors-script']);
    expect(ours.n).toBe(ref.n); // 239: the first row is gone
    expect(ours.settings.protocol).toBe('authors-script');
    // their standardised CSV: read as it is (no corr.py step); its split-constant dim 9 is float32-exact, so the
    // script's per-split standardisation makes it zeros, as before the whole pipeline was reproduced
    expect(ours.authorsScript).toEqual({ input: 'standardised', shiftedDims: [] });
    const forced = runCliJson(['measure', file, '--measures', 'aac,lr', '--protocol', 'authors-script', '--authors-input', 'standardised']);
    expect(forced.lr.perDim).toEqual(ours.lr.perDim);
    expect(forced.aac.value).toBe(ours.aac.value);
    expect(Math.abs(ours.aac.value - ref.aac)).toBeLessThan(1e-7);
    ref.lrPerDim.forEach((want, j) => expect(Math.abs(ours.lr.perDim[j] - want), `dim ${j}`).toBeLessThan(1e-6));
    expect(ours.lr.perDim[4]).toBe(1); // the dead dim "is perfectly predictable"
    expect(Math.abs(ours.lr.value - ref.lr)).toBeLessThan(1e-6);
  });

  it('on raw (unstandardised) embeddings, AAC is the mean |r| with dead pairs as 0 (corr.py z-scores first) — not a number in the file’s units', () => {
    const rawFile = join(dir, 'quirky-raw.csv');
    writeFileSync(rawFile, quirkyCsv(true).replace('nan', '0.5'));
    const authors = runCliJson(['measure', rawFile, '--measures', 'aac', '--protocol', 'authors-script']);
    const corrected = runCliJson(['measure', rawFile, '--measures', 'aac', '--protocol', 'corrected']);
    expect(authors.authorsScript.input).toBe('raw'); // through their corr.py: AAC is |XᵀX / N| of its z-scores
    // corrected reads all 240 rows; compare on the 239 the script keeps through its formula: k(k−1)/(d(d−1)) scaling
    const k = 14 - corrected.deadDims.length;
    expect(authors.aac.value).toBeGreaterThan(0.3 * corrected.aac.value);
    expect(Math.abs(authors.aac.value - (corrected.aac.value * k * (k - 1)) / (14 * 13))).toBeLessThan(0.01);
  });

  it('the default protocol reads every row and excludes the dead and the split-degenerate dim', () => {
    const noNan = join(dir, 'quirky-no-nan.csv');
    writeFileSync(noNan, quirkyCsv().replace('nan', '0.5'));
    const ours = runCliJson(['measure', noNan, '--measures', 'aac,lr']);
    expect(ours.n).toBe(240);
    expect(ours.deadDims).toEqual([4]);
    expect(ours.splitDegenerateDims).toEqual([9]);
    expect(ours.lr.perDim[4]).toBeNull();
    expect(ours.lr.perDim[9]).toBeNull();
    expect(ours.settings.protocol ?? 'corrected').toBe('corrected');
  });
});
