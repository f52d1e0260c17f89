import { describe, expect, it } from 'vitest';
import { RedundancyLabError } from '../../../src/core/errors.ts';
import { toErrorPayload, toJobError } from '../../../src/worker/errorPayload.ts';

describe('errors crossing the worker boundary', () => {
  it('keeps a RedundancyLabError kind, message and file', () => {
    const p = toErrorPayload(new RedundancyLabError('corrupt-file', 'header is cut short', 'x.npy'));
    expect(p).toMatchObject({ kind: 'corrupt-file', file: 'x.npy' });
    expect(p.message).toBe('x.npy: header is cut short');
  });

  it('turns an out-of-memory failure into a clear too-large message with the fix', () => {
    for (const e of [new RangeError('Array buffer allocation failed'), new RangeError('Invalid typed array length: 4000000000'), new Error('WebAssembly.Memory(): could not allocate memory: Out of memory')]) {
      const p = toErrorPayload(e, 'huge.npy');
      expect(p.kind).toBe('too-large');
      expect(p.message).toMatch(/^huge\.npy: ran out of memory/);
      expect(p.message).toMatch(/NLR row cap/);
    }
  });

  it('anything else is an internal error that still names the file', () => {
    const j = toJobError(toErrorPayload(new TypeError('x is not a function'), 'a.npz'));
    expect(j.kind).toBe('internal');
    expect(j.message).toBe('a.npz: unexpected error: x is not a function');
  });
});
