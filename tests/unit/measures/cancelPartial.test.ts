/**
 * Cancel keeps finished work: a cancel during NLR returns, inside the CancelledError, AAC and LR in full and the
 * NLR dims already trained (labelled partial); the same dims equal a full run's. A cancel during the null baseline
 * keeps the whole measurement.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { measureArray } from '../../../src/core/measure.ts';
import { CancelledError } from '../../../src/core/errors.ts';
import { inMemoryArray } from '../../../src/core/io/inMemory.ts';
import { PAPER_SETTINGS, type MeasureResult, type MeasureSettings } from '../../../src/core/measures/types.ts';
import { selectNodeBackend } from '../../../src/node/index.ts';
import { correlatedGaussian } from '../helpers/synthetic.ts';

beforeAll(() => selectNodeBackend('wasm'));

const settings: MeasureSettings = {
  ...PAPER_SETTINGS,
  nlrDims: { kind: 'list', dims: [0, 1, 2, 3, 4, 5] },
  mlp: { ...PAPER_SETTINGS.mlp, hidden: [16, 8], epochs: 4 },
};

async function cancelledAt(stage: 'nlr' | 'null', afterDims: number): Promise<MeasureResult> {
  const m = correlatedGaussian(400, 8, 3, 1.1);
  const controller = new AbortController();
  try {
    await measureArray(inMemoryArray(m), 'x.npy', settings, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.stage === stage && (stage === 'null' || p.message.includes(`NLR dims ${afterDims + 1}–`))) controller.abort();
      },
    });
  } catch (e) {
    expect(e).toBeInstanceOf(CancelledError);
    return (e as CancelledError).partial as MeasureResult;
  }
  throw new Error('expected a cancel');
}

describe('a cancel keeps what was finished', () => {
  it('during NLR: AAC and LR whole, NLR over the dims trained (partial, labelled), equal to a full run on those dims', async () => {
    const partial = await cancelledAt('nlr', 2);
    const full = await measureArray(inMemoryArray(correlatedGaussian(400, 8, 3, 1.1)), 'x.npy', settings, { nullBaseline: false });
    expect(partial.cancelled).toEqual({ during: 'nlr' });
    expect(partial.aac!.value).toBe(full.aac!.value);
    expect(partial.lr!.perDim).toEqual(full.lr!.perDim);
    expect(partial.nlr!.plannedDims).toBe(6);
    expect(partial.nlr!.evaluatedDims).toEqual([0, 1]);
    for (const dim of [0, 1]) expect(partial.nlr!.perDim[dim]).toBe(full.nlr!.perDim[dim]);
    expect(partial.nlr!.perDim[2]).toBeNull();
    expect(partial.reliability).not.toBeNull();
  });

  it('during the null baseline: the measurement whole, only the null missing', async () => {
    const partial = await cancelledAt('null', 0);
    expect(partial.cancelled).toEqual({ during: 'null' });
    expect(partial.nlr!.evaluatedDims).toHaveLength(6);
    expect(partial.nlr!.plannedDims).toBeUndefined();
    expect(partial.reliability!.lrNull).toBeNull();
  });
});
