/**
 * The one home of "which array is what" (app, worker and CLI alike): an array holds labels when it is a column
 * of integers (or booleans); a multi-array file (npz, pt, safetensors, parquet) is measured on its largest 2-D
 * float array unless the user picks another, and offers as labels a labels array, preferably with one entry per
 * embedding row.
 */
import type { ArrayHandle } from './types.ts';

/** What the choice looks at: an opened array, or its summary on the page. */
export type ArrayShapeInfo = Pick<ArrayHandle, 'name' | 'shape' | 'dtype' | 'rows' | 'cols'> & { readonly unusable?: string };
type ArrayLike = ArrayShapeInfo;

const FLOAT = /^(float|bfloat)/;

/** A labels array: readable, one column (shape (n,) or (n, 1)) of integers or booleans. */
export function isLabelsArray(a: ArrayShapeInfo): boolean {
  return !a.unusable && a.cols === 1 && a.shape.length <= 2 && /^(u?int|bool)/.test(a.dtype);
}

const size = (a: ArrayLike) => a.rows * a.cols;

function largest<T extends ArrayLike>(arrays: readonly T[]): T | null {
  let best: T | null = null;
  for (const a of arrays) if (!best || size(a) > size(best)) best = a;
  return best;
}

export function defaultEmbeddingArray<T extends ArrayLike>(all: readonly T[]): T | null {
  const arrays = all.filter((a) => !a.unusable);
  return (
    largest(arrays.filter((a) => a.shape.length === 2 && FLOAT.test(a.dtype))) ??
    largest(arrays.filter((a) => a.shape.length >= 2 && FLOAT.test(a.dtype))) ??
    largest(arrays.filter((a) => a.shape.length >= 2))
  );
}

export function defaultLabelsArray<T extends ArrayLike>(arrays: readonly T[], embedding: T | null): T | null {
  const candidates = arrays.filter((a) => a !== embedding && isLabelsArray(a));
  return candidates.find((a) => embedding && a.rows === embedding.rows) ?? candidates[0] ?? null;
}
