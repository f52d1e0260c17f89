/** One rule for "which array holds labels / embeddings", shared by the app, the worker and the CLI. */
import { describe, expect, it } from 'vitest';
import { defaultEmbeddingArray, defaultLabelsArray, isLabelsArray, type ArrayShapeInfo } from '../../../src/core/io/arrayChoice.ts';

const arr = (name: string, shape: number[], dtype: string, unusable?: string): ArrayShapeInfo => ({
  name,
  shape,
  dtype,
  rows: shape[0] ?? 1,
  cols: shape.slice(1).reduce((a, b) => a * b, 1),
  unusable,
});

describe('isLabelsArray', () => {
  it('a column of integers or booleans, (n,) or (n, 1); nothing else', () => {
    expect(isLabelsArray(arr('y', [100], 'int64'))).toBe(true);
    expect(isLabelsArray(arr('y', [100, 1], 'uint8'))).toBe(true);
    expect(isLabelsArray(arr('y', [100], 'bool'))).toBe(true);
    expect(isLabelsArray(arr('x', [100, 4], 'int32'))).toBe(false);
    expect(isLabelsArray(arr('x', [100], 'float32'))).toBe(false);
    expect(isLabelsArray(arr('y', [100], 'int32', 'object dtype'))).toBe(false);
    expect(isLabelsArray(arr('y', [100, 1, 1], 'int32'))).toBe(false);
  });

  it('the default embedding is the largest 2-D float array; the default labels match its rows', () => {
    const arrays = [arr('small', [100, 8], 'float32'), arr('feats', [100, 64], 'float16'), arr('ids', [50], 'int64'), arr('labels', [100], 'int64')];
    const embedding = defaultEmbeddingArray(arrays);
    expect(embedding?.name).toBe('feats');
    expect(defaultLabelsArray(arrays, embedding)?.name).toBe('labels');
  });
});
