/**
 * Nothing finished is lost (issue 17): each stage is saved as it finishes — AAC and LR the moment they are final,
 * then the NLR heads as they train — and Run again / a reload's Run the rest resume from them with the same file
 * and settings; a re-run cut short never replaces a whole saved result; a returning visit shows the last session.
 */
import { describe, expect, it } from 'vitest';
import type { FinishedNlrDims, RunResult } from '../../../src/worker/api.ts';
import { copySettings } from '../../../src/core/lite.ts';
import { fakeResult, flush, MemoryStore } from './fakes.ts';
import { makeApp, npy, settle } from './setup.ts';

const heads = (dims: number[]): FinishedNlrDims => ({
  dims,
  heldOutR2: dims.map((d) => d / 10),
  trainingState: dims.map(() => 'settled'),
  scoredEpoch: dims.map(() => 5),
  lossByEpoch: dims.map(() => [1, 0.5]),
  monitorByEpoch: dims.map(() => [0.9, 0.6]),
});

function provisional(array: string, settings: RunResult['settings']): RunResult {
  return { ...fakeResult(array, settings), provisional: { awaiting: ['nlr', 'null'] } } as RunResult;
}

function cancelled(array: string, settings: RunResult['settings'], done: number): RunResult {
  return { ...fakeResult(array, settings), nlr: { value: 0.6, evaluatedDims: [...Array(done).keys()], plannedDims: 8 }, cancelled: { during: 'nlr' } } as unknown as RunResult;
}

describe('Each stage saved as it finishes; resumed with the same settings', () => {
  it('AAC + LR are saved the moment they are final, then the NLR heads; a cancel keeps both and Run again trains only the rest', async () => {
    const app = makeApp();
    await app.files.addFiles([npy('a.npy')]);
    const [a] = app.files.list;
    app.client.manual = true;
    const first = app.runs.runAll();
    await flush();
    const job = app.client.next();
    app.client.jobs.unshift(job); // still running: cancel() rejects it
    expect(app.client.resumes).toEqual([null]);

    // LR is final: the provisional result is on the page and saved, before any NLR
    job.onExact!(provisional('x', app.settings.current));
    await settle();
    expect(a.result?.provisional).toBeTruthy();
    let saved = [...app.store.records.values()];
    expect(saved).toHaveLength(1);
    expect(saved[0].result.provisional).toEqual({ awaiting: ['nlr', 'null'] });
    expect(saved[0].nlrFinished).toBeNull();

    // a group of NLR heads finishes: saved with the record, to resume from
    job.options!.onNlrHeads!(heads([0, 1, 2]));
    await settle();
    saved = [...app.store.records.values()];
    expect(saved[0].nlrFinished?.dims).toEqual([0, 1, 2]);

    // Cancel: what was finished stays (partial result + its heads), saved
    app.client.cancelPartial = cancelled('x', app.settings.current, 3);
    await app.run.cancel();
    await first;
    expect(a.status).toBe('cancelled');
    expect(a.result?.cancelled).toEqual({ during: 'nlr' });
    expect(a.nlrFinished?.dims).toEqual([0, 1, 2]);
    expect([...app.store.records.values()][0].nlrFinished?.dims).toEqual([0, 1, 2]);

    // Run again: the same file and settings resume from the three heads
    app.client.manual = false;
    app.client.cancelPartial = null;
    await app.runs.runAll();
    expect(app.client.resumes[1]?.dims).toEqual([0, 1, 2]);
    expect(a.status).toBe('done');
    expect(a.nlrFinished).toBeNull();
    const whole = [...app.store.records.values()];
    expect(whole).toHaveLength(1);
    expect(whole[0].result.cancelled).toBeUndefined();
    expect(whole[0].nlrFinished).toBeNull(); // a whole result keeps no heads
  });

  it('heads saved before a reload resume the file when it is dropped again with the same settings (not with others)', async () => {
    const store = new MemoryStore();
    const before = makeApp({ store });
    await before.files.addFiles([npy('a.npy')]);
    before.client.manual = true;
    void before.runs.runAll();
    await flush();
    const job = before.client.next();
    job.onExact!(provisional('x', before.settings.current));
    job.options!.onNlrHeads!(heads([0, 1, 2, 3]));
    await settle();
    const settings = copySettings(before.settings.current);
    // the tab is reloaded here: a new app over the same store
    const after = makeApp({ store });
    after.settings.current = copySettings(settings);
    await after.saved.loaded;
    await after.files.addFiles([npy('a.npy')]);
    const [a] = after.files.list;
    expect(a.result?.provisional).toBeTruthy(); // the saved AAC and LR are on the page at once
    expect(after.runs.pending).toEqual([a]); // not whole: Run measures it
    await after.runs.runAll();
    expect(after.client.resumes).toEqual([expect.objectContaining({ dims: [0, 1, 2, 3] })]);

    const other = makeApp({ store });
    other.settings.current = { ...copySettings(settings), splitSeed: 7 };
    await other.saved.loaded;
    await other.files.addFiles([npy('a.npy')]);
    await other.runs.runAll();
    expect(other.client.resumes).toEqual([null]); // other settings: nothing to resume from
  });

  it('a Run again cut short keeps the whole result on the page and in the store', async () => {
    const app = makeApp();
    await app.files.addFiles([npy('a.npy')]);
    const [a] = app.files.list;
    await app.runs.runAll();
    const whole = a.result;
    expect(whole?.cancelled).toBeUndefined();
    app.client.manual = true;
    const again = app.runs.runAll();
    await flush();
    const job = app.client.next();
    app.client.jobs.unshift(job);
    job.onExact!(provisional('x', app.settings.current));
    job.options!.onNlrHeads!(heads([0]));
    await settle();
    app.client.cancelPartial = cancelled('x', app.settings.current, 1);
    await app.run.cancel();
    await again;
    expect(a.result).toBe(whole);
    const saved = [...app.store.records.values()];
    expect(saved).toHaveLength(1);
    expect(saved[0].result.cancelled).toBeUndefined();
    expect(saved[0].result.provisional).toBeUndefined();
  });
});

describe('A returning visit shows the last session', () => {
  it('the newest session’s results are in the table, marked saved with their dates; older sessions stay in the list', async () => {
    const store = new MemoryStore();
    const first = makeApp({ store });
    await first.files.addFiles([npy('a.npy'), npy('bb.npy')]);
    await first.runs.runAll();
    // an older session, two days before
    const old = [...store.records.values()][0];
    store.records.set('old', { ...old, id: 'old', fingerprint: { ...old.fingerprint, name: 'old.npy' }, savedAt: new Date(Date.now() - 48 * 3600_000).toISOString() });

    const visit = makeApp({ store });
    expect(await visit.saved.restoreRecent()).toBe(2);
    const rows = visit.files.list.map((f) => ({ name: f.name, detached: f.detached, saved: typeof f.savedAt, aac: f.result?.aac?.value })).sort((x, y) => x.name.localeCompare(y.name));
    expect(rows).toEqual([
      { name: 'a.npy', detached: true, saved: 'string', aac: 0.25 },
      { name: 'bb.npy', detached: true, saved: 'string', aac: 0.25 },
    ]);
    expect(visit.saved.records).toHaveLength(3); // the older one is still listed
    // shown once: calling again adds nothing
    expect(await visit.saved.restoreRecent()).toBe(0);
    expect(visit.files.list).toHaveLength(2);
  });

  it('the study choices of a row (left out of the study, a typed tag and accuracy) come back with it — on a returning visit and when the file is dropped again', async () => {
    const store = new MemoryStore();
    const first = makeApp({ store });
    await first.files.addFiles([npy('a.npy'), npy('bb.npy')]);
    await first.runs.runAll();
    const [a, bb] = first.files.list;
    a.inStudy = false;
    await first.saved.keepStudyChoices(a);
    bb.tagText = '3';
    bb.accuracyText = '71.5';
    await first.saved.keepStudyChoices(bb);

    const visit = makeApp({ store });
    await visit.saved.restoreRecent();
    const choices = (app: typeof visit) =>
      app.files.list.map((f) => [f.name, f.inStudy, f.tagText, f.accuracyText]).sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    expect(choices(visit)).toEqual([['a.npy', false, '', ''], ['bb.npy', true, '3', '71.5']]);
    // the file dropped again takes its row's place and keeps its choices
    await visit.files.addFiles([npy('a.npy')]);
    await settle();
    expect(visit.files.list.filter((f) => f.name === 'a.npy').map((f) => [f.detached, f.inStudy])).toEqual([[false, false]]);
    // a new tab with nothing restored: dropping the file attaches its saved result, and its choices
    const tab = makeApp({ store });
    await tab.saved.restoreSaved([], tab.settings.current); // waits for the saved records to be read
    await tab.files.addFiles([npy('bb.npy')]);
    await settle();
    expect(choices(tab)).toEqual([['bb.npy', true, '3', '71.5']]);
  });

  it('a first visit (nothing saved) shows nothing', async () => {
    const visit = makeApp();
    expect(await visit.saved.restoreRecent()).toBe(0);
    expect(visit.files.list).toHaveLength(0);
  });
});
