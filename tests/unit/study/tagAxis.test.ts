/** One tag scheme per axis: names of another scheme are left off (and named), a typed number always counts. */
import { describe, expect, it } from 'vitest';
import { tagAxis, tagFromFileName } from '../../../src/core/study/fileTag.ts';

const model = (name: string, typed: number | null = null) => ({ name, typed, nameTag: tagFromFileName(name) });

describe('tagAxis', () => {
  const models = [model('vit_small_proj1.npy'), model('vit_small_proj2.npy'), model('vit_small_proj3.npy'), model('layer1.npy'), model('noise.npy')];

  it('takes the scheme most names use and leaves the others off, named', () => {
    const axis = tagAxis(models);
    expect(axis.key).toBe('proj');
    expect(axis.schemes).toEqual(['proj', 'layer']);
    expect(axis.values).toEqual([1, 2, 3, null, null]); // layer1 is not "proj = 1"
    expect(axis.leftOff).toEqual([{ name: 'layer1.npy', tag: { key: 'layer', value: 1 } }]);
  });

  it('the user picks the other scheme; a typed number is placed whatever its name', () => {
    const axis = tagAxis([...models.slice(0, 4), model('noise.npy', 7)], 'layer');
    expect(axis.key).toBe('layer');
    expect(axis.values).toEqual([null, null, null, 1, 7]);
    expect(axis.leftOff.map((m) => m.name)).toEqual(['vit_small_proj1.npy', 'vit_small_proj2.npy', 'vit_small_proj3.npy']);
  });

  it('one scheme, or none: nothing left off; an unknown choice falls back to the common scheme', () => {
    expect(tagAxis(models.slice(0, 3), 'depth')).toMatchObject({ key: 'proj', leftOff: [], values: [1, 2, 3] });
    expect(tagAxis([model('a.npy'), model('b.npy')])).toMatchObject({ key: 'tag', values: [null, null], schemes: [] });
  });
});
