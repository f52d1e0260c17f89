import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from './fakes.ts';
import { makeApp, npy, settle } from './setup.ts';

afterEach(() => vi.unstubAllGlobals());

/** A first tab measures a.npy and saves it; returns its store for a second tab. */
async function measuredInOneTab() {
  const app = makeApp();
  await app.files.addFiles([npy('a.npy')]);
  await app.runs.runAll();
  await settle();
  return app;
}

describe('saved results', () => {
  it('saves what was measured (never demo files), keyed by fingerprint, array and settings', async () => {
    const app = makeApp();
    await app.files.addFiles([npy('demo.npy')], { demo: true });
    await app.files.addFiles([npy('a.npy')]);
    await app.runs.runAll();
    await settle();
    const [a] = app.files.list;
    expect([...app.store.records.keys()]).toEqual([a.savedId]);
    expect(a.savedId).toMatch(/:a\.npy\|x\|\{/);
    expect(app.saved.records.map((r) => r.fingerprint.name)).toEqual(['a.npy']);
    expect(app.saved.onPage(a.savedId!)).toBe(true);
  });

  it('a second tab lists them; Show puts one on the page without its file, once', async () => {
    const first = await measuredInOneTab();
    const app = makeApp({ store: first.store });
    await settle();
    expect(app.saved.records).toHaveLength(1);
    const [r] = app.saved.records;
    expect(app.saved.onPage(r.id)).toBe(false);
    app.saved.restore([r]);
    app.saved.restore([r]);
    expect(app.files.list).toHaveLength(1);
    const [entry] = app.files.list;
    expect([entry.name, entry.detached, entry.status, entry.measurable, entry.savedId]).toEqual(['a.npy', true, 'done', false, r.id]);
    expect(entry.description).toMatch(/^Saved result from .*; drop the file again to re-run it\.$/);
    expect(app.files.selected).toBe(entry);
    expect(app.runs.pending).toEqual([]);
  });

  it('dropping the file again puts it in the restored entry’s place, with its result', async () => {
    const first = await measuredInOneTab();
    const app = makeApp({ store: first.store });
    await settle();
    await app.files.addFiles([npy('before.npy')]);
    app.saved.restore(app.saved.records);
    const restored = app.files.list[1];
    app.files.selectedKey = restored.key;
    await app.files.addFiles([npy('a.npy')]);
    const [, again] = app.files.list;
    expect(app.files.list.map((f) => f.name)).toEqual(['before.npy', 'a.npy']);
    expect(again).not.toBe(restored);
    expect([again.detached, again.status, again.result, again.savedId]).toEqual([false, 'ready', restored.result, restored.savedId]);
    expect(app.files.selectedKey).toBe(again.key);
  });

  it('a file opened with the settings of a saved result gets it attached (Run re-measures); other settings do not', async () => {
    const first = await measuredInOneTab();
    const app = makeApp({ store: first.store });
    await settle();
    await app.files.addFiles([npy('a.npy')]);
    const [a] = app.files.list;
    expect(a.result).not.toBeNull();
    expect(a.status).toBe('ready');
    expect(app.notice.current?.text).toMatch(/^a\.npy: saved results from .* attached \(same file and settings\); Run measures the others\.$/);

    const other = makeApp({ store: first.store });
    await settle();
    other.settings.current.splitSeed = 3;
    await other.files.addFiles([npy('a.npy')]);
    expect(other.files.list[0].result).toBeNull();
  });

  it('Forget removes the record from the list and the store', async () => {
    const app = await measuredInOneTab();
    const [r] = app.saved.records;
    await app.saved.forget(r.id);
    expect(app.saved.records).toEqual([]);
    expect(app.store.records.size).toBe(0);
  });

  it('saving off or failing is one note, and the app goes on', async () => {
    const app = makeApp();
    app.store.failPut = true;
    await app.files.addFiles([npy('a.npy')]);
    await app.runs.runAll();
    await settle();
    expect(app.saved.note).toBe('Could not save results in this browser (quota exceeded); use Export all to keep them.');
    expect(app.files.list[0].status).toBe('done');

    const { createStores } = await import('../../../src/ui/stores/create.ts');
    const { FakeClient } = await import('./fakes.ts');
    const off = createStores(new FakeClient(), { forced: null, page: { setBackend: () => undefined }, openStore: () => Promise.reject(new Error('private mode')) });
    await settle();
    expect(off.saved.note).toBe('Results are not saved in this browser (private mode); use Export all to keep them.');
  });

  it('Export all: saved records and the page’s results, demo files included, the heatmap preview to 4 decimals', async () => {
    vi.stubGlobal('navigator', { userAgent: 'test-agent' });
    const app = await measuredInOneTab();
    await app.files.addFiles([npy('demo.npy')], { demo: true });
    await app.runs.runAll();
    const demo = app.files.list.find((f) => f.demo)!;
    demo.result = { ...demo.result!, correlationPreview: { side: 1, values: [0.123456] } } as never;
    const doc = JSON.parse(app.saved.exportAll());
    expect(doc.userAgent).toBe('test-agent');
    expect(doc.records.map((r: { fingerprint: { name: string } }) => r.fingerprint.name).sort()).toEqual(['a.npy', 'demo.npy']);
    const preview = doc.records.find((r: { fingerprint: { name: string } }) => r.fingerprint.name === 'demo.npy').result.correlationPreview;
    expect(preview.values).toEqual([0.1235]);
  });

  it('Import refuses a file that is not an export, and adds nothing', async () => {
    const app = makeApp({ store: new MemoryStore() });
    await expect(app.saved.importResults('{"format":"something else"}')).rejects.toThrow();
    expect(app.saved.records).toEqual([]);
    expect(app.files.list).toEqual([]);
  });
});
