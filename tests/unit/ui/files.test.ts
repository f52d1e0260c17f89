import { describe, expect, it } from 'vitest';
import { embedding, jobError, labelsArray } from './fakes.ts';
import { makeApp, npy } from './setup.ts';

describe('the file list', () => {
  it('opens each file: ready, labels-only, or an error naming why no array can be measured', async () => {
    const app = makeApp();
    app.client.arrays.set('labels.npy', [labelsArray()]);
    app.client.arrays.set('text.npz', [{ ...embedding(), name: 'names', dtype: '<U8', unusable: 'strings' }]);
    await app.files.addFiles([npy('a.npy'), npy('labels.npy'), npy('text.npz')]);
    const [a, labels, text] = app.files.list;
    expect([a.status, a.id, a.embedding, a.measurable]).toEqual(['ready', 'f1', 'x', true]);
    expect(a.fingerprint?.name).toBe('a.npy');
    expect([labels.status, labels.measurable]).toEqual(['labels-only', false]);
    expect([text.status, text.error]).toEqual(['error', 'text.npz: no array in this file can be measured (names: strings)']);
  });

  it('a file the worker cannot read shows the client’s message', async () => {
    const app = makeApp();
    app.client.openFile = async () => Promise.reject(jobError('corrupt-file', 'bad.npy: truncated header'));
    await app.files.addFiles([npy('bad.npy')]);
    expect([app.files.list[0].status, app.files.list[0].error]).toEqual(['error', 'bad.npy: truncated header']);
  });

  it('your own files replace the demo files (closed in the worker); removing a file closes it', async () => {
    const app = makeApp();
    await app.files.addFiles([npy('demo1.npy'), npy('demo2.npy')], { demo: true, descriptions: ['first', 'second'] });
    expect(app.files.list.map((f) => [f.demo, f.description])).toEqual([
      [true, 'first'],
      [true, 'second'],
    ]);
    await app.files.addFiles([npy('mine.npy')]);
    expect(app.files.list.map((f) => f.name)).toEqual(['mine.npy']);
    expect(app.client.closed).toEqual(['f1', 'f2']);
    app.files.removeFile(app.files.list[0].key);
    expect(app.files.list).toEqual([]);
    expect(app.client.closed).toEqual(['f1', 'f2', 'f3']);
  });

  it('the selected result: the one clicked, else the first with a result', async () => {
    const app = makeApp();
    await app.files.addFiles([npy('a.npy'), npy('b.npy')]);
    expect(app.files.selected).toBeNull();
    await app.runs.runAll();
    const [a, b] = app.files.list;
    expect(app.files.selected).toBe(a);
    app.files.selectedKey = b.key;
    expect(app.files.selected).toBe(b);
    app.files.removeFile(b.key);
    expect(app.files.selected).toBe(a);
  });
});

describe('sharded sets', () => {
  const names = ['emb_rank1.npy', 'emb_rank0.npy', 'emb_rank2.npy'];

  it('suggests files that differ only by a shard number; "Keep separate" dismisses the suggestion', async () => {
    const app = makeApp();
    await app.files.addFiles([...names, 'other.npy'].map((n) => npy(n)));
    const [s] = app.shards.suggestions;
    expect(s.group.template).toBe('emb_rank*.npy');
    expect(s.keys).toEqual(['emb_rank0.npy', 'emb_rank1.npy', 'emb_rank2.npy'].map((n) => app.files.list.find((f) => f.name === n)!.key));
    app.shards.dismiss('emb_rank*.npy');
    expect(app.shards.suggestions).toEqual([]);
  });

  it('combines files into one set in shard order, in the first shard’s place; Split back restores them', async () => {
    const app = makeApp();
    await app.files.addFiles(['before.npy', ...names].map((n) => npy(n)));
    const shardFiles = app.files.list.slice(1);
    await app.shards.combine(app.shards.suggestions[0].keys);
    const set = app.files.list[1];
    expect(app.files.list.map((f) => f.name)).toEqual(['before.npy', 'emb_rank*.npy (3 shards)']);
    expect(set.shards!.map((f) => f.name)).toEqual(['emb_rank0.npy', 'emb_rank1.npy', 'emb_rank2.npy']);
    expect(app.client.log).toContain('combine emb_rank*.npy (3 shards): f3,f2,f4');
    expect([set.status, set.id, set.summary?.arrays[0].rows]).toEqual(['ready', 's5', 300]);
    expect(set.fingerprint?.name).toBe('emb_rank*.npy (3 shards)');
    expect(app.shards.candidates.map((f) => f.name)).toEqual(['before.npy']); // a set is not a shard candidate
    app.shards.split(set.key);
    expect(app.files.list.map((f) => f.name)).toEqual(['before.npy', 'emb_rank0.npy', 'emb_rank1.npy', 'emb_rank2.npy']);
    expect(new Set(app.files.list.slice(1))).toEqual(new Set(shardFiles));
    expect(app.client.closed).toEqual(['s5']);
  });

  it('a refused set (shards of different D) keeps its row with the worker’s message', async () => {
    const app = makeApp();
    await app.files.addFiles(names.map((n) => npy(n)));
    app.client.combineError = jobError('bad-shape', 'emb_rank2.npy has D = 16, the others 8');
    await app.shards.combine(app.files.list.map((f) => f.key));
    expect(app.files.list).toHaveLength(1);
    expect([app.files.list[0].status, app.files.list[0].error]).toEqual(['error', 'emb_rank2.npy has D = 16, the others 8']);
  });

  it('needs two of the user’s measurable files, and no run in progress', async () => {
    const app = makeApp();
    await app.files.addFiles([npy('demo_0.npy'), npy('demo_1.npy')], { demo: true });
    await app.shards.combine(app.files.list.map((f) => f.key));
    expect(app.files.list).toHaveLength(2); // demo files are never shards
    await app.files.addFiles(names.map((n) => npy(n)));
    app.client.manual = true;
    const running = app.runs.runAll();
    await app.shards.combine(app.files.list.map((f) => f.key));
    expect(app.files.list).toHaveLength(3);
    await app.run.cancel();
    await running;
  });

  it('removing a set closes it and its shard files in the worker', async () => {
    const app = makeApp();
    await app.files.addFiles(names.map((n) => npy(n)));
    await app.shards.combine(app.files.list.map((f) => f.key));
    app.files.removeFile(app.files.list[0].key);
    expect(app.client.closed.sort()).toEqual(['f1', 'f2', 'f3', 's4']);
  });
});
