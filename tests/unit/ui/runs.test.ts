import { describe, expect, it } from 'vitest';
import { embedding, fakeResult, flush, jobError, labelsArray } from './fakes.ts';
import { makeApp, npy, settle } from './setup.ts';

describe('Run: the queue and each file’s status', () => {
  it('queued → running → done, one file at a time, and the first result is selected', async () => {
    const app = makeApp();
    await app.files.addFiles([npy('a.npy'), npy('b.npy')]);
    const [a, b] = app.files.list;
    expect([a.status, b.status]).toEqual(['ready', 'ready']);
    app.client.manual = true;
    const done = app.runs.runAll();
    await flush();
    expect([a.status, b.status]).toEqual(['running', 'queued']);
    expect(app.run.active).toBe(true);
    expect(app.run.fileKey).toBe(a.key);
    app.client.next().done.resolve({ array: 'x', settings: app.settings.current });
    await settle();
    expect([a.status, b.status]).toEqual(['done', 'running']);
    expect(app.files.selectedKey).toBe(a.key);
    app.client.next().done.resolve({ array: 'x', settings: app.settings.current });
    await done;
    expect([a.status, b.status]).toEqual(['done', 'done']);
    expect(app.run.active).toBe(false);
    expect(app.client.log.filter((l) => l.startsWith('measure'))).toEqual(['measure f1', 'measure f2']);
  });

  it('what Run would measure: stale files first, else all again; a settings change makes results stale', async () => {
    const app = makeApp();
    await app.files.addFiles([npy('a.npy'), npy('b.npy')]);
    expect(app.runs.pending.map((f) => f.name)).toEqual(['a.npy', 'b.npy']);
    await app.runs.runAll();
    const [a] = app.files.list;
    expect(app.runs.upToDate(a)).toBe(true);
    expect(app.runs.pending).toHaveLength(2); // nothing stale: "Run again" measures all
    app.settings.current.splitSeed = 7;
    expect(app.runs.upToDate(a)).toBe(false);
  });

  it('one file failing does not stop the others; the notice counts the failures', async () => {
    const app = makeApp();
    await app.files.addFiles([npy('a.npy'), npy('b.npy')]);
    const [a, b] = app.files.list;
    app.client.fail.set(a.id!, jobError('bad-values', 'a.npy: NaN in row 3'));
    await app.runs.runAll();
    expect([a.status, a.error]).toEqual(['error', 'a.npy: NaN in row 3']);
    expect(b.status).toBe('done');
    expect(app.notice.current).toEqual({ text: '1 of 2 files failed; the others’ results are below.', tone: 'error' });
  });

  it('Cancel: the running file ends cancelled, the queued one goes back to ready, and the notice says so', async () => {
    const app = makeApp();
    await app.files.addFiles([npy('a.npy'), npy('b.npy')]);
    const [a, b] = app.files.list;
    app.client.manual = true;
    const done = app.runs.runAll();
    await flush();
    await app.run.cancel();
    await done;
    expect([a.status, b.status]).toEqual(['cancelled', 'ready']);
    expect(app.notice.current?.text).toBe('Cancelled. Results measured before the cancel are kept.');
    expect(app.client.log).not.toContain('measure f2');
  });

  it('Cancel during NLR keeps what was finished: the partial result is shown, saved, and not up to date', async () => {
    const app = makeApp();
    await app.files.addFiles([npy('a.npy')]);
    const [a] = app.files.list;
    app.client.manual = true;
    const done = app.runs.runAll();
    await flush();
    const partial = { ...fakeResult(a.embedding!, app.settings.current), cancelled: { during: 'nlr' } };
    app.client.next().done.reject(Object.assign(jobError('cancelled', 'cancelled by the user'), { partial }));
    await done;
    expect(a.status).toBe('cancelled');
    expect(a.result).toEqual(partial);
    expect(app.runs.upToDate(a)).toBe(false); // Run measures it again in full
    expect(app.runs.pending).toEqual([a]);
  });

  it('a second Run while one is active does nothing', async () => {
    const app = makeApp();
    await app.files.addFiles([npy('a.npy')]);
    app.client.manual = true;
    const first = app.runs.runAll();
    await flush();
    await app.runs.runAll();
    expect(app.client.jobs).toHaveLength(1);
    app.client.next().done.resolve({ array: 'x', settings: app.settings.current });
    await first;
  });

  it('a file removed while queued is skipped', async () => {
    const app = makeApp();
    await app.files.addFiles([npy('a.npy'), npy('b.npy')]);
    const [, b] = app.files.list;
    app.client.manual = true;
    const done = app.runs.runAll();
    await flush();
    app.files.removeFile(b.key);
    app.client.next().done.resolve({ array: 'x', settings: app.settings.current });
    await done;
    expect(app.client.log).not.toContain('measure f2');
    expect(app.client.closed).toEqual(['f2']);
  });
});

describe('Run: the linear probe', () => {
  it('probes a file with labels once for its split; a new split probes again without re-measuring when up to date', async () => {
    const app = makeApp();
    app.client.arrays.set('m.npz', [embedding(), labelsArray()]);
    await app.files.addFiles([npy('m.npz')]);
    const [m] = app.files.list;
    expect(app.files.labelsOf(m)?.source).toBe("array 'y'");
    await app.runs.runAll();
    expect(m.probe?.accuracy).toBe(0.9);
    expect(app.client.log.filter((l) => /^(measure|probe)/.test(l))).toEqual(['measure f1', 'probe f1']);
    expect(app.probes.needsProbe(m)).toBe(false);
    await app.runs.runAll(); // "Run again": measured again, not probed again
    expect(app.client.log.filter((l) => l.startsWith('probe'))).toHaveLength(1);
    app.settings.probeEnabled = false;
    expect(app.probes.needsProbe(m)).toBe(false);
    app.settings.probeEnabled = true;
    app.settings.current.testFraction = 0.5;
    expect(app.probes.needsProbe(m)).toBe(true);
  });

  it('a labels-only file dropped alongside gives the labels; a failed probe keeps the measures', async () => {
    const app = makeApp();
    app.client.arrays.set('labels.npy', [labelsArray()]);
    await app.files.addFiles([npy('emb.npy'), npy('labels.npy')]);
    const [emb, labels] = app.files.list;
    expect(labels.status).toBe('labels-only');
    expect(app.files.labelsOf(emb)?.source).toBe('labels.npy');
    app.client.manual = true;
    const done = app.runs.runAll();
    await flush();
    app.client.next().done.resolve({ array: 'x', settings: app.settings.current });
    await settle();
    expect(emb.probeRunning).toBe(true);
    app.client.next().done.reject(jobError('bad-labels', 'labels.npy: 3 classes with one row'));
    await done;
    expect([emb.status, emb.probe, emb.probeError]).toEqual(['done', null, 'Linear probe: labels.npy: 3 classes with one row']);
    expect(emb.result).not.toBeNull();
    expect(app.probes.needsProbe(emb)).toBe(false); // failed for these labels and split: not retried on every Run
  });
});

describe('Split CI', () => {
  it('re-measures each measured file once per result, with that result’s settings', async () => {
    const app = makeApp();
    await app.files.addFiles([npy('a.npy'), npy('b.npy')]);
    await app.runs.runAll();
    await app.runs.resampleSplits(5);
    const [a, b] = app.files.list;
    expect(a.splitSpread?.k).toBe(5);
    expect(a.splitSpread?.forResult).toBe(a.result);
    expect(b.splitSpread?.k).toBe(5);
    await app.runs.resampleSplits(5);
    expect(app.client.log.filter((l) => l.startsWith('splitSpread'))).toHaveLength(2);
  });

  it('a failure is one notice', async () => {
    const app = makeApp();
    await app.files.addFiles([npy('a.npy')]);
    await app.runs.runAll();
    app.client.fail.set('f1', jobError('too-large', 'out of memory'));
    await app.runs.resampleSplits(3);
    expect(app.notice.current).toEqual({ text: 'Split resampling: out of memory', tone: 'error' });
  });
});
