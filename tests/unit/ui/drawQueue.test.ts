/**
 * Charts draw in turn: one at a time, each in its own task (the page handles input and paints between two), in
 * the order they were queued, and a chart that fails does not hold up the rest.
 */
import { describe, expect, it } from 'vitest';
import { drawInTurn } from '../../../src/ui/charts/drawQueue.ts';

describe('drawInTurn', () => {
  it('one draw at a time, in order, with the event loop turning between two draws', async () => {
    const log: string[] = [];
    let running = 0;
    const draw = (name: string, then?: () => void) => async () => {
      running++;
      expect(running).toBe(1);
      log.push(`${name} start`);
      then?.();
      await Promise.resolve();
      log.push(`${name} end`);
      running--;
      return name;
    };
    // a task queued while the first chart draws (a click, a paint) runs before the second chart
    const results = await Promise.all([
      drawInTurn(draw('a', () => setTimeout(() => log.push('input'), 0))),
      drawInTurn(draw('b')),
      drawInTurn(draw('c')),
    ]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a start', 'a end', 'input', 'b start', 'b end', 'c start', 'c end']);
  });

  it('a failed draw rejects its own promise only', async () => {
    const failed = drawInTurn(() => Promise.reject(new Error('bad spec')));
    const next = drawInTurn(() => 'drawn');
    await expect(failed).rejects.toThrow('bad spec');
    await expect(next).resolves.toBe('drawn');
  });
});
