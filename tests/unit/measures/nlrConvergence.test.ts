import { describe, expect, it } from 'vitest';
import { lossPlateaued } from '../../../src/core/measures/mlpConvergence.ts';

describe('convergence rule: loss changed < 1% over the last 10% of epochs', () => {
  const decaying = (epochs: number, rate: number) => Array.from({ length: epochs }, (_, e) => 0.5 + Math.exp(-rate * e));

  it('a loss that has flattened out has converged', () => {
    expect(lossPlateaued(decaying(100, 0.2))).toBe(true);
  });

  it('a loss still falling by more than 1% over the last 10 epochs has not', () => {
    expect(lossPlateaued(decaying(100, 0.01))).toBe(false);
  });

  it('a loss that rose by 1% or more has not', () => {
    const losses = Array.from({ length: 100 }, () => 0.3);
    losses[99] = 0.31;
    expect(lossPlateaued(losses)).toBe(false);
    losses[99] = 0.301;
    expect(lossPlateaued(losses)).toBe(true);
  });

  it('compares the last epoch with the one 10% of epochs before it (at least 1)', () => {
    // 100 epochs: window 10, L[89] vs L[99]
    const losses = Array.from({ length: 100 }, (_, e) => (e <= 89 ? 1 : 0.5));
    expect(lossPlateaued(losses)).toBe(false);
    losses[89] = 0.5;
    expect(lossPlateaued(losses)).toBe(true);
    // 5 epochs: window 1
    expect(lossPlateaued([1, 0.9, 0.8, 0.7, 0.699])).toBe(true);
    expect(lossPlateaued([1, 0.9, 0.8, 0.7, 0.6])).toBe(false);
  });

  it('edge cases: too short, non-finite, negligible loss', () => {
    expect(lossPlateaued([])).toBe(false);
    expect(lossPlateaued([0.5])).toBe(false);
    expect(lossPlateaued([0.5, Number.NaN])).toBe(false);
    expect(lossPlateaued([1e-3, 1e-8])).toBe(true);
  });
});
