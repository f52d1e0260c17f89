import { describe, expect, it } from 'vitest';
import { labelsFor, type LabelsCandidateFile } from '../../../src/ui/labelsSource.ts';
import type { ArraySummary } from '../../../src/worker/api.ts';

const arr = (name: string, shape: number[], dtype: string): ArraySummary => ({ name, shape, dtype, rows: shape[0], cols: shape.length > 1 ? shape.slice(1).reduce((a, b) => a * b, 1) : 1 });

const npz = (id: string, rows: number, labels: string | null): LabelsCandidateFile => ({
  id,
  name: `${id}.npz`,
  labelsOnly: false,
  arrays: [arr('features', [rows, 8], 'float32'), arr('labels', [rows], 'int64')],
  labels,
  embedding: 'features',
});
const plainNpy = (id: string, rows: number): LabelsCandidateFile => ({ id, name: `${id}.npy`, labelsOnly: false, arrays: [arr('', [rows, 8], 'float32')], labels: null, embedding: '' });
const labelsNpy = (id: string, rows: number, dtype = 'int64'): LabelsCandidateFile => ({ id, name: `${id}.npy`, labelsOnly: true, arrays: [arr('', [rows], dtype)], labels: null, embedding: null });

describe('which labels a file is probed with', () => {
  it('an npz uses its own labels array', () => {
    const f = npz('a', 100, 'labels');
    expect(labelsFor(f, [f])).toEqual({ ref: { fileId: 'a', arrayName: 'labels' }, source: "array 'labels'" });
  });

  it('an npz whose labels the user set to none gets none, even with a labels file around', () => {
    const f = npz('a', 100, null);
    expect(labelsFor(f, [f, labelsNpy('lab', 100)])).toBeNull();
  });

  it('a plain .npy takes a labels-only file with the same number of rows', () => {
    const f = plainNpy('emb', 100);
    const all = [labelsNpy('short', 99), f, labelsNpy('labels', 100)];
    expect(labelsFor(f, all)).toEqual({ ref: { fileId: 'labels', arrayName: '' }, source: 'labels.npy' });
  });

  it('no labels file with matching rows, or float "labels", means no probe', () => {
    const f = plainNpy('emb', 100);
    expect(labelsFor(f, [f, labelsNpy('short', 99)])).toBeNull();
    expect(labelsFor(f, [f, labelsNpy('floats', 100, 'float32')])).toBeNull();
  });

  it('a file not opened yet has no labels', () => {
    const f = { ...plainNpy('emb', 100), id: null };
    expect(labelsFor(f, [f, labelsNpy('labels', 100)])).toBeNull();
  });
});
