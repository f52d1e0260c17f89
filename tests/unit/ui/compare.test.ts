/** Compare (linear CKA) in the app: only files of the same rows are offered, ticking decides, the result knows its selection. */
import { describe, expect, it } from 'vitest';
import { embedding } from './fakes.ts';
import { makeApp, npy } from './setup.ts';

describe('Compare: which files, and the result', () => {
  it('offers the files sharing the most common row count, names the others, runs on the ticked ones', async () => {
    const app = makeApp();
    app.client.arrays.set('a.npy', [embedding(300, 8)]);
    app.client.arrays.set('bb.npy', [embedding(300, 16)]);
    app.client.arrays.set('ccc.npy', [embedding(300, 4)]);
    app.client.arrays.set('short.npy', [embedding(120, 8)]);
    await app.files.addFiles([npy('a.npy'), npy('bb.npy'), npy('ccc.npy'), npy('short.npy')]);
    const { compare } = app;
    expect(compare.rows).toBe(300);
    expect(compare.comparable.map((f) => f.name)).toEqual(['a.npy', 'bb.npy', 'ccc.npy']);
    expect(compare.otherRows.map((f) => f.name)).toEqual(['short.npy']);
    compare.toggle(compare.comparable[1], false);
    expect(compare.chosen.map((f) => f.name)).toEqual(['a.npy', 'ccc.npy']);
    await compare.run();
    expect(app.client.compared).toEqual([[{ fileId: 'f1', arrayName: 'x' }, { fileId: 'f3', arrayName: 'x' }]]);
    expect(compare.result?.linearCka).toEqual([[1, 0.5], [0.5, 1]]);
    expect(compare.current).toBe(true);
    compare.toggle(compare.comparable[1], true);
    expect(compare.current).toBe(false); // the matrix shown is for the earlier selection
  });

  it('fewer than two ticked: nothing runs', async () => {
    const app = makeApp();
    await app.files.addFiles([npy('a.npy'), npy('bb.npy')]);
    app.compare.toggle(app.compare.comparable[0], false);
    await app.compare.run();
    expect(app.client.compared).toEqual([]);
  });
});
