/** AAC and LR are handed over the moment they are final (RunOptions.onExact), before NLR and the null baseline. */
import { beforeAll, describe, expect, it } from 'vitest';
import { inMemoryArray, measureArray, PAPER_SETTINGS, type MeasureResult } from '../../../src/core/index.ts';
import { selectNodeBackend } from '../../../src/node/backend.ts';
import { correlatedGaussian } from '../helpers/synthetic.ts';

beforeAll(() => selectNodeBackend('wasm'));

describe('the provisional result', () => {
  it('arrives before any NLR head, holds the final AAC, LR and extras, and says what is still running', async () => {
    const events: string[] = [];
    let provisional: MeasureResult | null = null;
    const settings = { ...PAPER_SETTINGS, nlrDims: { kind: 'list' as const, dims: [0, 3] }, mlp: { ...PAPER_SETTINGS.mlp, epochs: 3 } };
    const final = await measureArray(inMemoryArray(correlatedGaussian(600, 10, 4)), 'x.npy', settings, {
      onExact: (r) => {
        events.push('exact');
        provisional = r;
      },
      onNlrHeads: () => events.push('nlr-heads'),
    });
    expect(events[0]).toBe('exact');
    expect(events.filter((e) => e === 'exact')).toHaveLength(1);
    const p = provisional as unknown as MeasureResult;
    expect(p.provisional).toEqual({ awaiting: ['nlr', 'null'] });
    expect(p.nlr).toBeNull();
    expect(p.reliability!.lrNull).toBeNull();
    expect(p.aac).toEqual(final.aac);
    expect(p.lr).toEqual(final.lr);
    expect(p.extras).toEqual(final.extras);
    expect(final.provisional).toBeUndefined();
    expect(final.nlr!.evaluatedDims).toEqual([0, 3]);
  }, 60_000);

  it('is not sent when nothing follows LR (no NLR, no null baseline)', async () => {
    let calls = 0;
    await measureArray(inMemoryArray(correlatedGaussian(300, 6, 5)), 'x.npy', { ...PAPER_SETTINGS, measures: ['aac', 'lr'] }, { nullBaseline: false, onExact: () => calls++ });
    expect(calls).toBe(0);
  });
});
