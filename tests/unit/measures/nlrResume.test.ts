/**
 * A job that dies mid-NLR (lost GPU device, crashed worker) resumes from the heads already finished: they are
 * reported as they finish, passed back, and not trained again; the final numbers equal an uninterrupted run.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { measureArray } from '../../../src/core/measure.ts';
import { inMemoryArray } from '../../../src/core/io/inMemory.ts';
import { PAPER_SETTINGS, type FinishedNlrDims, type MeasureSettings } from '../../../src/core/measures/types.ts';
import { selectNodeBackend } from '../../../src/node/index.ts';
import { correlatedGaussian } from '../helpers/synthetic.ts';

beforeAll(() => selectNodeBackend('wasm'));

const settings: MeasureSettings = { ...PAPER_SETTINGS, nlrDims: { kind: 'list', dims: [0, 1, 2, 3, 4, 5] }, mlp: { ...PAPER_SETTINGS.mlp, hidden: [16, 8], epochs: 4 } };
const matrix = () => inMemoryArray(correlatedGaussian(400, 8, 5, 1.1));

describe('NLR resumes from finished heads', () => {
  it('heads arrive as they finish; a rerun given them trains only the rest and equals the uninterrupted run', async () => {
    const full = await measureArray(matrix(), 'x.npy', settings, { nullBaseline: false });
    // the first attempt dies after 3 heads (as a lost device would end it)
    const finished: FinishedNlrDims = { dims: [], heldOutR2: [], trainingState: [], scoredEpoch: [], lossByEpoch: [], monitorByEpoch: [] };
    await expect(
      measureArray(matrix(), 'x.npy', settings, {
        nullBaseline: false,
        onNlrHeads: (h) => {
          for (const key of Object.keys(finished) as (keyof FinishedNlrDims)[]) (finished[key] as unknown[]).push(...h[key]);
          if (finished.dims.length === 3) throw new Error('device lost (simulated)');
        },
      }),
    ).rejects.toThrow(/device lost/);
    expect(finished.dims).toEqual([0, 1, 2]);
    const trained: number[] = [];
    const resumed = await measureArray(matrix(), 'x.npy', settings, { nullBaseline: false, nlrFinished: finished, onNlrHeads: (h) => trained.push(...h.dims) });
    expect(trained).toEqual([3, 4, 5]); // the finished heads were not trained again
    expect(resumed.nlr!.reusedDims).toBe(3); // and the result says so
    expect(full.nlr!.reusedDims).toBeUndefined();
    expect(resumed.nlr!.perDim).toEqual(full.nlr!.perDim);
    expect(resumed.nlr!.trainingStatePerDim).toEqual(full.nlr!.trainingStatePerDim);
    expect(resumed.nlr!.scoredEpochPerDim).toEqual(full.nlr!.scoredEpochPerDim);
    expect(resumed.nlr!.training).toEqual(full.nlr!.training);
    resumed.nlr!.meanTrainLossByEpoch.forEach((v, e) => expect(v).toBeCloseTo(full.nlr!.meanTrainLossByEpoch[e], 12));
    resumed.nlr!.meanMonitorByEpoch.forEach((v, e) => expect(v).toBeCloseTo(full.nlr!.meanMonitorByEpoch[e], 12));
    expect(resumed.nlr!.value).toBeCloseTo(full.nlr!.value, 14);
  });
});
