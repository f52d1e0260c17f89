// Files with several arrays (one row per array, named `file › array`) and the same file added twice.
import { describe, expect, it } from 'vitest';
import { tagFromFileName } from '../../../src/core/lite.ts';
import { embedding, labelsArray } from './fakes.ts';
import { makeApp, npy } from './setup.ts';

const LAYERS = [embedding(100, 8, 'layer0'), embedding(100, 8, 'layer1'), embedding(100, 16, 'layer2'), labelsArray(100, 'labels')];

function withLayers() {
  const app = makeApp();
  app.client.arrays.set('layers.npz', LAYERS);
  return app;
}

describe('a file with several embedding-like arrays', () => {
  it('its row name carries the array measured; a file with one (plus labels) keeps its plain name', async () => {
    const app = withLayers();
    app.client.arrays.set('model.npz', [embedding(100, 8, 'features'), labelsArray(100, 'labels')]);
    await app.files.addFiles([npy('layers.npz'), npy('model.npz')]);
    const [layers, model] = app.files.list;
    expect(layers.embedding).toBe('layer0'); // the fake client's default: the first 2-D array
    expect(layers.name).toBe('layers.npz › layer0');
    expect(model.name).toBe('model.npz');
    layers.embedding = 'layer2';
    expect(layers.name).toBe('layers.npz › layer2');
  });

  it('"Measure every array": one row per array, in the file’s order, sharing the opened file, with the file’s labels', async () => {
    const app = withLayers();
    await app.files.addFiles([npy('before.npy'), npy('layers.npz'), npy('after.npy')]);
    const layers = app.files.list[1];
    layers.embedding = 'layer1';
    expect(app.files.unlistedArrays(layers)).toEqual(['layer0', 'layer2']);
    app.files.measureEveryArray(layers.key);
    expect(app.files.list.map((f) => f.name)).toEqual(['before.npy', 'layers.npz › layer0', 'layers.npz › layer1', 'layers.npz › layer2', 'after.npy']);
    const rows = app.files.list.slice(1, 4);
    expect(rows[1]).toBe(layers); // the row that was there keeps its array (and whatever result it had)
    expect(new Set(rows.map((f) => f.id))).toEqual(new Set([layers.id]));
    expect(rows.map((f) => [f.status, f.labels, f.measurable])).toEqual(Array(3).fill(['ready', 'labels', true]));
    expect(rows.map((f) => app.files.unlistedArrays(f))).toEqual([[], [], []]);
    expect([...app.files.arraysListedElsewhere(rows[0])].sort()).toEqual(['layer1', 'layer2']);
    // Run measures each array on its own, in the one opened file
    await app.runs.runAll();
    expect(app.client.log.filter((l) => l === `measure ${layers.id}`)).toHaveLength(3);
    expect(rows.map((f) => f.result?.array)).toEqual(['layer0', 'layer1', 'layer2']);
  });

  it('the array name is the study tag (the parser finds layer2 in “layers.npz › layer2”)', async () => {
    expect(tagFromFileName('layers.npz › layer2')).toEqual({ key: 'layer', value: 2 });
    const app = withLayers();
    app.client.arrays.set('model_block7.npz', LAYERS);
    await app.files.addFiles([npy('plain_block7.npy'), npy('model_block7.npz')]);
    app.files.measureEveryArray(app.files.list[1].key);
    const rows = app.files.list.filter((e) => e.fileName === 'model_block7.npz' && e.arrayInName !== null);
    expect(rows.map((e) => [e.name, e.tag])).toEqual([
      ['model_block7.npz › layer0', 0],
      ['model_block7.npz › layer1', 1],
      ['model_block7.npz › layer2', 2],
    ]);
    expect(app.files.list[0].tag, 'a single-array file: the number in its file name').toBe(7);
  });

  it('removing one row keeps the file open for the others; removing the last closes it', async () => {
    const app = withLayers();
    await app.files.addFiles([npy('layers.npz')]);
    app.files.measureEveryArray(app.files.list[0].key);
    const id = app.files.list[0].id;
    app.files.removeFile(app.files.list[0].key);
    app.files.removeFile(app.files.list[0].key);
    expect(app.client.closed).toEqual([]);
    app.files.removeFile(app.files.list[0].key);
    expect(app.client.closed).toEqual([id]);
  });

  it('array rows are not suggested as shards of a set', async () => {
    const app = makeApp();
    app.client.arrays.set('emb.npz', [embedding(100, 8, 'part0'), embedding(100, 8, 'part1')]);
    await app.files.addFiles([npy('emb.npz')]);
    app.files.measureEveryArray(app.files.list[0].key);
    expect(app.files.list.map((f) => f.name)).toEqual(['emb.npz › part0', 'emb.npz › part1']);
    expect(app.shards.suggestions).toEqual([]);
  });
});

describe('the same file added twice', () => {
  it('is refused with a warning naming it (same fingerprint and array); the first row stays', async () => {
    const app = makeApp();
    await app.files.addFiles([npy('emb.npy')]);
    const first = app.files.list[0];
    await app.files.addFiles([npy('emb.npy')]);
    expect(app.files.list).toEqual([first]);
    expect(app.files.duplicates).toEqual(['emb.npy is already in the list (same file): not added again.']);
    expect(app.client.closed).toEqual(['f2']); // the second copy is forgotten in the worker
    // the next drop clears the warning
    await app.files.addFiles([npy('other.npy')]);
    expect(app.files.duplicates).toEqual([]);
  });

  it('dropped twice at once: one row', async () => {
    const app = makeApp();
    await app.files.addFiles([npy('emb.npy'), npy('emb.npy')]);
    expect(app.files.list.map((f) => f.name)).toEqual(['emb.npy']);
    expect(app.files.duplicates).toHaveLength(1);
  });

  it('a multi-array file dropped again takes an array not listed yet; with every array listed, it is refused', async () => {
    const app = withLayers();
    await app.files.addFiles([npy('layers.npz')]);
    await app.files.addFiles([npy('layers.npz')]);
    expect(app.files.list.map((f) => f.name)).toEqual(['layers.npz › layer0', 'layers.npz › layer1']);
    app.files.measureEveryArray(app.files.list[1].key);
    expect(app.files.list.map((f) => f.name)).toEqual(['layers.npz › layer0', 'layers.npz › layer1', 'layers.npz › layer2']);
    await app.files.addFiles([npy('layers.npz')]);
    expect(app.files.list).toHaveLength(3);
    expect(app.files.duplicates).toEqual(['layers.npz is already in the list with every array of it (same file): not added again.']);
  });

  it('a row switched to an array another row measures is flagged', async () => {
    const app = withLayers();
    await app.files.addFiles([npy('layers.npz')]);
    await app.files.addFiles([npy('layers.npz')]);
    const [a, b] = app.files.list;
    expect(app.files.duplicateOf(a)).toBeNull();
    b.embedding = 'layer0';
    expect(app.files.duplicateOf(a)).toBe(b);
    expect(app.files.duplicateOf(b)).toBe(a);
  });

  it('another file with the same name (other content) is added, numbered so row names stay unique', async () => {
    const app = makeApp();
    await app.files.addFiles([npy('emb.npy', 32)]);
    await app.files.addFiles([npy('emb.npy', 64)]);
    await app.files.addFiles([npy('emb.npy', 96)]);
    expect(app.files.list.map((f) => f.name)).toEqual(['emb.npy', 'emb.npy (2)', 'emb.npy (3)']);
    expect(app.files.duplicates).toEqual([]);
    expect(new Set(app.files.list.map((f) => f.name)).size).toBe(3);
  });
});
