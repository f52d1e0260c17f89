import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { backendLimits, rowsPerBlock } from '../../../src/core/compute/backend.ts';
import { TENSOR_BYTES_CAP } from '../../../src/core/compute/limits.ts';
import { matmulRate } from '../../../src/core/compute/matmulRate.ts';
import { selectNodeBackend } from '../../../src/node/backend.ts';
import { isRedundancyLabError } from '../../../src/core/errors.ts';

describe('backend limits on WASM', () => {
  beforeAll(() => selectNodeBackend('wasm'));

  it('caps tensors at 512 MiB', () => {
    expect(backendLimits()).toEqual({ maxTensorBytes: TENSOR_BYTES_CAP, maxBufferBytes: TENSOR_BYTES_CAP, maxWorkgroupsPerDimension: Infinity });
    expect(TENSOR_BYTES_CAP).toBe(512 * 1024 * 1024);
  });

  it('sizes row blocks from the limit', () => {
    expect(rowsPerBlock(512)).toBe(TENSOR_BYTES_CAP / (512 * 4));
    expect(rowsPerBlock(512, 2)).toBe(TENSOR_BYTES_CAP / (512 * 4 * 2));
    expect(rowsPerBlock(1e12)).toBe(1);
    for (const [cols, factor] of [[0, 1], [10, 0], [Number.NaN, 1]]) {
      let error: unknown = null;
      try {
        rowsPerBlock(cols, factor);
      } catch (e) {
        error = e;
      }
      expect(isRedundancyLabError(error) && error.kind).toBe('bad-option');
    }
  });

  it('matmulRate measures a positive GFLOP/s and frees its tensors', async () => {
    const before = tf.memory().numTensors;
    const rate = await matmulRate(128, { minMs: 20, minRepeats: 2 });
    expect(Number.isFinite(rate) && rate > 0).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });
});
