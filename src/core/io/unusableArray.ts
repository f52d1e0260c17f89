import type { RedundancyLabError } from '../errors.ts';
import type { ArrayHandle } from './types.ts';

const reasons = new WeakMap<ArrayHandle, RedundancyLabError>();

/**
 * An array we list (so the user sees it is there) but cannot read: object dtype in an npz,
 * a text column in a parquet file, a 0-D scalar. Reading it throws the stored error.
 */
export function unusableArray(name: string, shape: readonly number[], dtype: string, error: RedundancyLabError): ArrayHandle {
  const handle: ArrayHandle = {
    name,
    shape: [...shape],
    dtype,
    rows: shape[0] ?? 0,
    cols: 0,
    unusable: error.message,
    read: () => Promise.reject(error),
    // eslint-disable-next-line require-yield
    blocks: async function* () {
      throw error;
    },
  };
  reasons.set(handle, error);
  return handle;
}

/** The error an unusable handle throws, or undefined for a readable one. */
export function unusableError(handle: ArrayHandle): RedundancyLabError | undefined {
  return reasons.get(handle);
}
