/** NLR keeps its training rows in memory: too many rows must fail at once, with the cap that fits, not minutes later. */
import { beforeAll, describe, expect, it } from 'vitest';
import { measureArray, NLR_ROWS_MAX_BYTES } from '../../../src/core/measure.ts';
import type { ArrayHandle } from '../../../src/core/io/types.ts';
import { PAPER_SETTINGS } from '../../../src/core/measures/types.ts';
import { useTestBackend } from '../helpers/backend.ts';

beforeAll(useTestBackend);

/** 500,000 × 2048 (4 GB as float32) that must never be read. */
function hugeUnreadArray(): ArrayHandle & { reads: number } {
  const handle = {
    name: '',
    shape: [500_000, 2048],
    dtype: 'float32',
    rows: 500_000,
    cols: 2048,
    reads: 0,
    read: async () => {
      handle.reads++;
      throw new Error('read() must not be called');
    },
    blocks: (): AsyncIterable<never> => {
      handle.reads++;
      throw new Error('blocks() must not be called');
    },
  };
  return handle;
}

describe('NLR row cap', () => {
  it('without a cap, a file whose rows exceed the budget is refused before any read, naming the cap that fits', async () => {
    const array = hugeUnreadArray();
    const run = measureArray(array, 'big.npy', { ...PAPER_SETTINGS, nlrRowCap: null });
    await expect(run).rejects.toMatchObject({ kind: 'too-large', file: 'big.npy' });
    await expect(run).rejects.toThrow(/500,000 rows × 2,048 dims \(3\.8 GiB\).*row cap to at most 65,536.*--nlr-rows/);
    expect(array.reads).toBe(0);
    expect(65_536 * 2048 * 4).toBe(NLR_ROWS_MAX_BYTES);
  });

  it('with a cap that fits, or without NLR, it is not refused (it goes on to read the rows)', async () => {
    for (const settings of [
      { ...PAPER_SETTINGS, nlrRowCap: 20_000 },
      { ...PAPER_SETTINGS, measures: ['aac', 'lr'] as const, nlrRowCap: null },
    ]) {
      const array = hugeUnreadArray();
      await expect(measureArray(array, 'big.npy', { ...settings, measures: [...settings.measures] })).rejects.toThrow(/must not be called/);
      expect(array.reads).toBe(1);
    }
  });
});
