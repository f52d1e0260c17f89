import { describe, expect, it } from 'vitest';
import { labelsFileUse, labelsFor, rowsMismatchMessage, type LabelsCandidateFile } from '../../../src/ui/labelsSource.ts';
import { readLabels } from '../../../src/core/io/labels.ts';
import type { ArrayHandle } from '../../../src/core/io/types.ts';
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
    expect(labelsFor(f, [f])).toEqual({ choice: { ref: { fileId: 'a', arrayName: 'labels' }, source: "array 'labels'" }, mismatch: null });
  });

  it('an npz whose own labels array has another length: no probe, and the row says which array, how many each, what to do', () => {
    const f: LabelsCandidateFile = { ...npz('a', 100, 'labels'), arrays: [arr('features', [100, 8], 'float32'), arr('labels', [97], 'int64')] };
    const answer = labelsFor(f, [f, labelsNpy('lab', 100)]);
    expect(answer.choice, 'never probed with labels that do not match row for row').toBeNull();
    expect(answer.mismatch?.problem).toBe("a.npz: 97 labels (array 'labels'), but array 'features' has 100 rows; they must match row for row");
    expect(answer.mismatch?.fix).toMatch(/pick another labels array, or save 100 labels, one per row of 'features'/);
    expect([answer.mismatch?.labelsRows, answer.mismatch?.embeddingRows]).toEqual([97, 100]);
  });

  it('an npz whose labels the user set to none gets none, even with a labels file around', () => {
    const f = npz('a', 100, null);
    expect(labelsFor(f, [f, labelsNpy('lab', 100)])).toEqual({ choice: null, mismatch: null });
    expect(labelsFor(f, [f, labelsNpy('lab', 107)]).mismatch, 'its own labels were declined: a labels file is not offered').toBeNull();
  });

  it('a plain .npy takes a labels-only file with the same number of rows', () => {
    const f = plainNpy('emb', 100);
    const all = [labelsNpy('short', 99), f, labelsNpy('labels', 100)];
    expect(labelsFor(f, all)).toEqual({ choice: { ref: { fileId: 'labels', arrayName: '' }, source: 'labels.npy' }, mismatch: null });
  });

  it('float "labels" mean no probe (and no length message: they are not labels)', () => {
    const f = plainNpy('emb', 100);
    expect(labelsFor(f, [f, labelsNpy('floats', 100, 'float32')])).toEqual({ choice: null, mismatch: null });
    expect(labelsFor(f, [f, labelsNpy('floats', 107, 'float32')])).toEqual({ choice: null, mismatch: null });
  });

  it('a file not opened yet has no labels', () => {
    const f = { ...plainNpy('emb', 100), id: null };
    expect(labelsFor(f, [f, labelsNpy('labels', 100)])).toEqual({ choice: null, mismatch: null });
  });
});

describe('a labels file of another length: said, not silently ignored', () => {
  it('the embedding gets no labels and the mismatch: which files, how many rows each, what to do', () => {
    const f = { ...plainNpy('emb', 1000), name: 'emb.npy' };
    const labels = labelsNpy('labels', 1007);
    const { choice, mismatch } = labelsFor(f, [f, labels]);
    expect(choice).toBeNull();
    expect(mismatch).toEqual({
      labelsFileId: 'labels',
      labelsFile: 'labels.npy',
      labelsRows: 1007,
      embeddingFile: 'emb.npy',
      embeddingRows: 1000,
      problem: "labels.npy: 1,007 labels (the array), but emb.npy has 1,000 rows; they must match row for row",
      fix: 'Not used for the linear probe: drop a labels file with exactly 1,000 labels, one per row of emb.npy in the same order.',
    });
  });

  it('a labels file with the right length wins over one with the wrong length, in any order', () => {
    const f = plainNpy('emb', 100);
    expect(labelsFor(f, [f, labelsNpy('wrong', 107), labelsNpy('right', 100)])).toMatchObject({ choice: { source: 'right.npy' }, mismatch: null });
    expect(labelsFor(f, [labelsNpy('right', 100), f, labelsNpy('wrong', 107)])).toMatchObject({ choice: { source: 'right.npy' }, mismatch: null });
  });

  it('names the row (a multi-array file: its array) and a named labels array', () => {
    const f: LabelsCandidateFile = { id: 'l', name: 'layers.npz › layer2', labelsOnly: false, arrays: [arr('layer1', [50, 4], 'float32'), arr('layer2', [50, 4], 'float32')], labels: null, embedding: 'layer2' };
    const labels: LabelsCandidateFile = { id: 'y', name: 'y.npz', labelsOnly: true, arrays: [arr('classes', [48], 'int32')], labels: null, embedding: null };
    expect(labelsFor(f, [f, labels]).mismatch?.problem).toBe("y.npz: 48 labels (array 'classes'), but layers.npz › layer2 has 50 rows; they must match row for row");
  });

  it('is word for word the CLI’s message (core/io/labels.ts readLabels)', async () => {
    const handle = { name: '', shape: [1007], dtype: 'int64', rows: 1007, cols: 1, read: async () => ({ data: new Float64Array(1007) }) } as unknown as ArrayHandle;
    const cli = await readLabels(handle, 'labels.npy', 1000, 'emb.npy').then(
      () => 'no error',
      (e: Error) => e.message,
    );
    expect(cli).toBe(rowsMismatchMessage('labels.npy', '', 1007, 'emb.npy', 1000));
  });

  it('the labels file says which files it labels, and which it cannot', () => {
    const a = { ...plainNpy('a', 100) };
    const b = { ...plainNpy('b', 90) };
    const own = npz('own', 90, 'labels');
    const labels = labelsNpy('labels', 100);
    const all = [a, b, own, labels];
    const use = labelsFileUse(labels, all);
    expect(use.labels).toEqual(['a.npy']);
    expect(use.mismatches.map((m) => [m.embeddingFile, m.embeddingRows, m.labelsRows])).toEqual([['b.npy', 90, 100]]);
    expect(labelsFileUse(a, all), 'not a labels file').toEqual({ labels: [], mismatches: [] });
  });
});
