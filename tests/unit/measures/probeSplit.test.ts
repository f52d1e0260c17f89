/**
 * The probe runs on the measurement's split — its seed AND its held-out fraction. (Before, the worker passed only
 * the seed, so a user who edited the held-out fraction got LR/NLR on one split and the probe on 0.25.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { probeArray, probeRunFor } from '../../../src/core/probe.ts';
import { measureArray } from '../../../src/core/measure.ts';
import { inMemoryArray } from '../../../src/core/io/inMemory.ts';
import { PAPER_SETTINGS } from '../../../src/core/measures/types.ts';
import { selectNodeBackend } from '../../../src/node/backend.ts';
import { makeMatrix } from '../helpers/synthetic.ts';

beforeAll(() => selectNodeBackend('wasm'));

describe('the probe uses the measurement’s split', () => {
  it('same train / held-out sizes as LR for an edited held-out fraction and seed', async () => {
    const m = makeMatrix(400, 6, 3);
    const labels = Int32Array.from({ length: 400 }, (_, i) => (m.data[i * 6] > 0 ? 1 : 0));
    const settings = { ...PAPER_SETTINGS, measures: ['lr' as const], splitSeed: 5, testFraction: 0.4 };
    const measured = await measureArray(inMemoryArray(m), 'x.npy', settings, { nullBaseline: false });
    const probed = await probeArray(inMemoryArray(m), labels, 'x.npy', probeRunFor(settings));
    expect(measured.nTest).toBe(160);
    expect(probed.nTest).toBe(measured.nTest);
    expect(probed.nTrain).toBe(measured.nTrain);
    expect(probeRunFor(settings)).toMatchObject({ splitSeed: 5, testFraction: 0.4 });
  });
});
