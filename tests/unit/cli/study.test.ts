/**
 * `redundancy-lab study`: every model measured, probed on the same split and tabled through the core's
 * studyModel — the same numbers as `measure` and `probe` give for each file.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli, runCliJson } from '../helpers/cli.ts';

describe('redundancy-lab study', () => {
  it('a folder of two real models with labels: rows equal measure + probe per file, correlations need ≥ 4 models', () => {
    const dir = mkdtempSync(join(tmpdir(), 'study-'));
    for (const f of ['mnist1200_mobilenetv2_dense256_f16.npy', 'mnist1200_mobilenetv2_block16_320_f16.npy', 'mnist1200_labels.npy']) {
      copyFileSync(join(REPO, 'tests/fixtures/real', f), join(dir, f));
    }
    const labels = join(dir, 'mnist1200_labels.npy');
    const study = runCliJson(['study', dir, '--labels', labels, '--measures', 'aac,lr']);
    expect(study.rows.map((r: { file: string }) => r.file)).toEqual(['mnist1200_mobilenetv2_block16_320_f16.npy', 'mnist1200_mobilenetv2_dense256_f16.npy']);
    expect(study.settings.splitSeed).toBe(0);
    expect(study.preset).toEqual({ base: 'quick', edited: ['--measures'] });
    expect(study.warnings).toEqual([]);
    for (const row of study.rows) {
      const file = join(dir, row.file);
      const measured = runCliJson(['measure', file, '--measures', 'aac,lr']);
      const probed = runCliJson(['probe', file, '--labels', labels]);
      expect(row.lr).toBe(measured.lr.value);
      expect(row.aac).toBe(measured.aac.value);
      expect(row.accuracy).toBe(probed.accuracy);
      expect(row.accuracy).toBeGreaterThan(0.5);
    }
    expect(study.correlations.vsAccuracy.lr.meaningful).toBe(false);
    // NLR was left out (--measures aac,lr): "not measured", not "too few models"
    expect(study.correlations.vsAccuracy.nlr.note).toBe('not measured');
    expect(study.correlations.vsAccuracy.lr.note).toMatch(/needs at least 4/);
  }, 300_000);

  it('a folder with a bad file: the good ones are measured, the bad one reported with its message; exit 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'study-bad-'));
    copyFileSync(join(REPO, 'tests/fixtures/real', 'mnist1200_mobilenetv2_dense256_f16.npy'), join(dir, 'a_dense.npy'));
    writeFileSync(join(dir, 'b_broken.npy'), 'not an npy file at all\n');
    const r = runCli(['study', dir, '--measures', 'aac', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/not measured: b_broken\.npy/);
    const study = JSON.parse(r.stdout);
    expect(study.rows.map((x: { file: string }) => x.file)).toEqual(['a_dense.npy']);
    expect(study.skipped).toHaveLength(1);
    expect(study.skipped[0].message).toMatch(/^b_broken\.npy/);
    // the table says it too
    expect(runCli(['study', dir, '--measures', 'aac']).stdout).toMatch(/not measured: b_broken\.npy/);
  }, 300_000);

  it('nothing measurable: exit 1 with every file\'s message', () => {
    const dir = mkdtempSync(join(tmpdir(), 'study-none-'));
    writeFileSync(join(dir, 'x.npy'), 'nope\n');
    writeFileSync(join(dir, 'y.npy'), 'nope\n');
    const r = runCli(['study', dir, '--measures', 'aac']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no file could be measured \(2\): x\.npy.*; y\.npy/);
  }, 60_000);
  it('--layers: each array of one .npz is a model, named `file › array`; equal to measure/probe on each array as its own file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'study-layers-'));
    const real = join(REPO, 'tests/fixtures/real');
    const npz = join(dir, 'layers.npz');
    // written by NumPy (independent of the app's readers): two layers of 1200 rows and their labels
    execFileSync('/usr/bin/python3', ['-c', [
      'import numpy as np, sys',
      `r = ${JSON.stringify(real)}`,
      "np.savez(sys.argv[1], dense=np.load(r + '/mnist1200_mobilenetv2_dense256_f16.npy'), block16=np.load(r + '/mnist1200_mobilenetv2_block16_320_f16.npy'), labels=np.load(r + '/mnist1200_labels.npy'))",
    ].join('\n'), npz]);
    const study = runCliJson(['study', '--layers', npz, '--measures', 'aac,lr']);
    expect(study.rows.map((r: { file: string }) => r.file)).toEqual(['layers.npz › dense', 'layers.npz › block16']);
    expect(study.skipped).toEqual([]);
    const labels = join(real, 'mnist1200_labels.npy');
    for (const [row, f] of [[study.rows[0], 'mnist1200_mobilenetv2_dense256_f16.npy'], [study.rows[1], 'mnist1200_mobilenetv2_block16_320_f16.npy']]) {
      const measured = runCliJson(['measure', join(real, f), '--measures', 'aac,lr']);
      expect(row.n).toBe(1200);
      expect(row.lr).toBe(measured.lr.value);
      expect(row.aac).toBe(measured.aac.value);
      // the labels array inside the .npz is found and is not itself a model
      expect(row.accuracy).toBe(runCliJson(['probe', join(real, f), '--labels', labels]).accuracy);
    }
    // without --layers the study takes one array per file, as before
    expect(runCliJson(['study', npz, '--measures', 'aac']).rows).toHaveLength(1);
    // --layers is for one file
    const two = runCli(['study', '--layers', npz, npz, '--measures', 'aac']);
    expect(two.code).not.toBe(0);
    expect(two.stderr).toMatch(/--layers measures the arrays of one file, got 2 files/);
  }, 300_000);

  it('each file with its own labels: a model whose rows (and labels) were shuffled is named — same classes, another row order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'study-labels-'));
    const real = join(REPO, 'tests/fixtures/real');
    // written by NumPy: a and c in the data's order, b with its rows and labels permuted together (a shuffled loader)
    execFileSync('/usr/bin/python3', ['-c', [
      'import numpy as np, sys',
      `r = ${JSON.stringify(real)}`,
      "x = np.load(r + '/mnist1200_mobilenetv2_dense256_f16.npy'); y = np.load(r + '/mnist1200_labels.npy'); p = np.random.default_rng(1).permutation(len(y))",
      "np.savez(sys.argv[1] + '/a.npz', features=x, labels=y)",
      "np.savez(sys.argv[1] + '/b.npz', features=x[p], labels=y[p])",
      "np.savez(sys.argv[1] + '/c.npz', features=x, labels=y)",
    ].join('\n'), dir]);
    const r = runCli(['study', dir, '--measures', 'aac', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const study = JSON.parse(r.stdout);
    expect(study.warnings.map((w: { code: string; files: string[] }) => [w.code, w.files])).toEqual([['labels-mismatch', ['b.npz']]]);
    expect(study.warnings[0].message).toContain("The models' labels do not agree with those of a.npz, c.npz — b.npz: the same classes and counts in another row order");
    // the readable table says it too
    expect(runCli(['study', dir, '--measures', 'aac']).stdout).toContain("b.npz: the same classes and counts in another row order");
  }, 300_000);

  it('models of different N are refused, naming each file and its N', () => {
    const dir = mkdtempSync(join(tmpdir(), 'study-n-'));
    const real = join(REPO, 'tests/fixtures/real');
    copyFileSync(join(real, 'mnist1200_mobilenetv2_dense256_f16.npy'), join(dir, 'a_1200.npy'));
    copyFileSync(join(real, 'mnist700_mobilenetv2_block13_576_f16.npy'), join(dir, 'b_700.npy'));
    const r = runCli(['study', dir, '--measures', 'aac']);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/do not share N \(a_1200\.npy: N = 1200, b_700\.npy: N = 700\)/);
  }, 120_000);
});
