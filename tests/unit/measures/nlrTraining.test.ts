/** The training read-out from a learning curve (mlpTraining.ts), on hand-made curves of 1 − R². */
import { describe, expect, it } from 'vitest';
import { OVER_FITTED_MARGIN, STILL_IMPROVING, countTrainingStates, trainingState } from '../../../src/core/measures/mlpTraining.ts';

const decaying = (epochs: number, rate: number, floor = 0.2) => Array.from({ length: epochs }, (_, e) => floor + 0.8 * Math.exp(-rate * (e + 1)));

describe('trainingState', () => {
  it('settled: the curve flattened well before the end', () => {
    expect(trainingState(decaying(100, 0.2), 100)).toBe('settled');
  });

  it('under-trained: the last 10% of epochs still improved the best by more than STILL_IMPROVING', () => {
    expect(trainingState(decaying(100, 0.01), 100)).toBe('under-trained');
    // just below and just above the threshold, on a curve flat but for its last window
    const flatThenDrop = (drop: number) => [...new Array(90).fill(0.5), ...new Array(10).fill(0.5 - drop)];
    expect(trainingState(flatThenDrop(STILL_IMPROVING * 0.9), 100)).toBe('settled');
    expect(trainingState(flatThenDrop(STILL_IMPROVING * 1.1), 100)).toBe('under-trained');
  });

  it('over-fitted: the scored weights are worse than the best by more than OVER_FITTED_MARGIN', () => {
    const u = Array.from({ length: 50 }, (_, e) => 0.3 + 0.002 * (e - 20) ** 2 / 10); // best at epoch 21
    expect(u[49] - Math.min(...u)).toBeGreaterThan(OVER_FITTED_MARGIN);
    expect(trainingState(u, 50)).toBe('over-fitted');
    // the same curve scored at its best epoch (early stopping restores it): not over-fitted, and settled
    expect(trainingState(u, 21)).toBe('settled');
    // past the best by less than the margin: settled
    const shallow = u.map((v) => 0.3 + (v - 0.3) / 10);
    expect(trainingState(shallow, 50)).toBe('settled');
  });

  it('a falling training loss alone never decides it: a flat watched curve is settled', () => {
    expect(trainingState(new Array(20).fill(0.4), 20)).toBe('settled');
  });

  it('one epoch or none: nothing says it had finished', () => {
    expect(trainingState([0.5], 1)).toBe('under-trained');
    expect(trainingState([], 0)).toBe('under-trained');
  });

  it('counts', () => {
    expect(countTrainingStates(['settled', null, 'over-fitted', 'under-trained', 'settled'])).toEqual({ underTrained: 1, overFitted: 1, settled: 2 });
  });
});
