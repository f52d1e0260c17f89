/**
 * `redundancy-lab study`: every model measured, probed on the same split and tabled through the core's
 * studyModel — the same numbers as `measure` and `probe` give for each file.
 */
import { mkdtempSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCliJson } from '../helpers/cli.ts';

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
  }, 300_000);
});
