/**
 * Which array of a multi-array file (npz, pt, safetensors, parquet) the app measures unless the user picks
 * another: the largest 2-D float array; and which one it offers as labels: a 1-D integer array, preferably
 * with one entry per embedding row.
 */

import type { ArrayHandle } from '../core/index.ts';

/** What the choice looks at: an opened array, or its summary on the page. */
type ArrayLike = Pick<ArrayHandle, 'name' | 'shape' | 'dtype' | 'rows' | 'cols' | 'unusable'>;

const FLOAT = /^(float|bfloat)/;
const INTEGER = /^u?int/;

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
  const candidates = arrays.filter((a) => !a.unusable && a !== embedding && a.shape.length === 1 && INTEGER.test(a.dtype));
  return candidates.find((a) => embedding && a.rows === embedding.rows) ?? candidates[0] ?? null;
}
