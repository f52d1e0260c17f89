// How many NLR heads train at once (src/core/measures/mlpHeadsPerBatch.ts): within the largest tensor, within a
// driver watchdog's budget per dispatch, spread evenly. Counted here by hand from the paper's MLP.
import { beforeAll, describe, expect, it } from 'vitest';
import { selectNodeBackend } from '../../../src/node/backend.ts';
import { PAPER_SETTINGS } from '../../../src/core/measures/types.ts';
import { DISPATCH_FLOP_CAP, dispatchFlopsPerHead, maxHeadsPerBatch } from '../../../src/core/measures/mlpHeadsPerBatch.ts';
import { bytesPerHead } from '../../../src/core/measures/mlpHeads.ts';
import { TENSOR_BYTES_CAP } from '../../../src/core/compute/limits.ts';

const MLP = PAPER_SETTINGS.mlp; // (D−1)→128→64→1, batch 512

describe('heads per group', () => {
  beforeAll(async () => {
    await selectNodeBackend('wasm'); // 512 MiB tensors, no workgroup bound
  });

  it('the largest dispatch of one head: the first layer, 2 · batch · inputs · 128 FLOP', () => {
    expect(dispatchFlopsPerHead(2047, MLP, 7500)).toBe(2 * 512 * 2047 * 128);
    expect(dispatchFlopsPerHead(2047, MLP, 300), 'a train split smaller than a batch').toBe(2 * 300 * 2047 * 128);
  });

  it('every dispatch within the watchdog budget, from D = 32 to 8,192 and 300 to 100,000 train rows', () => {
    for (const inputs of [31, 255, 511, 1023, 2047, 4095, 8191]) {
      for (const rows of [300, 7500, 100_000]) {
        const heads = maxHeadsPerBatch(inputs, MLP, inputs + 1, rows);
        const batch = Math.min(512, rows);
        const memory = heads * bytesPerHead(inputs, MLP.hidden, batch, 'sgd');
        expect(heads * 2 * batch * inputs * 128, `D ${inputs + 1}, ${rows} rows: ${heads} heads`).toBeLessThanOrEqual(DISPATCH_FLOP_CAP);
        expect(memory, `D ${inputs + 1}, ${rows} rows`).toBeLessThanOrEqual(TENSOR_BYTES_CAP);
      }
    }
    // a 2048-wide projector on 10k rows: ceil(2048 / 62) = 34 groups, spread evenly
    const byMemory = Math.floor(TENSOR_BYTES_CAP / bytesPerHead(2047, MLP.hidden, 512, 'sgd'));
    expect(byMemory).toBe(62);
    expect(maxHeadsPerBatch(2047, MLP, 2048, 7500)).toBe(Math.ceil(2048 / Math.ceil(2048 / 62)));
  });

  it('the watchdog binds where memory would allow longer dispatches: 16,384 inputs into a 16-unit layer', () => {
    const thin = { ...MLP, hidden: [16, 8] };
    const inputs = 16_383;
    const byWatchdog = Math.floor(DISPATCH_FLOP_CAP / dispatchFlopsPerHead(inputs, thin, 7500));
    const byMemory = Math.floor(TENSOR_BYTES_CAP / bytesPerHead(inputs, thin.hidden, 512, 'sgd'));
    expect(byWatchdog).toBe(93);
    expect(byMemory, 'memory alone would allow more').toBeGreaterThan(byWatchdog);
    const heads = maxHeadsPerBatch(inputs, thin, 1000, 7500);
    expect(heads).toBe(Math.ceil(1000 / Math.ceil(1000 / 93)));
    expect(heads * dispatchFlopsPerHead(inputs, thin, 7500)).toBeLessThanOrEqual(DISPATCH_FLOP_CAP);
  });

  it('small dims: every target in one group; one head even when a single head is over the budget', () => {
    expect(maxHeadsPerBatch(31, MLP, 32, 750)).toBe(32);
    expect(maxHeadsPerBatch(400_000, MLP, 10, 7500), 'never 0').toBe(1);
  });
});
