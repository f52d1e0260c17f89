// One job, one bar (the demo's two passes included), no "older settings" on rows the job will still measure, the
// long-run question before Run, and a run interrupted by a reload (the leave guard, the marker, Run the rest).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PAPER_SETTINGS, PRESETS, copySettings, sameSettings, type MeasureSettings } from '../../../src/core/lite.ts';
import type { JobProgress } from '../../../src/worker/api.ts';
import { NoticeStore } from '../../../src/ui/stores/notice.svelte.ts';
import { RUN_MARKER_KEY, RunState, STALE_AFTER_MS, type MarkerStorage, type Outcome } from '../../../src/ui/stores/runState.svelte.ts';
import { deferred, embedding, fakeResult, flush, labelsArray, type FakeClient } from './fakes.ts';
import { makeApp, npy, settle } from './setup.ts';

afterEach(() => vi.unstubAllGlobals());

const progress = (fraction: number): JobProgress => ({ stage: 'nlr', fraction, message: `at ${fraction}`, elapsedMs: 0, etaMs: null });

class MapStorage implements MarkerStorage {
  map = new Map<string, string>();
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

type Job = FakeClient['jobs'][number];

/** The settings each measure job of the fake client was given. */
function recordSettings(client: FakeClient): WeakMap<Job, MeasureSettings> {
  const seen = new WeakMap<Job, MeasureSettings>();
  const measure = client.measure.bind(client);
  client.measure = (id, array, s, onProgress) => {
    const result = measure(id, array, s, onProgress);
    const job = client.jobs.at(-1);
    if (job) seen.set(job, s);
    return result;
  };
  return seen;
}

/** Answers every job the fake client holds (manual mode): progress 0 → 1 in steps, each sampled, then a result. */
async function answerJobs(client: FakeClient, sample: () => void, each?: (job: Job, settings: MeasureSettings | undefined) => void) {
  const settingsOf = recordSettings(client);
  for (let guard = 0; guard < 100; guard++) {
    await settle();
    const job = client.jobs.shift();
    if (!job) return;
    const settings = settingsOf.get(job);
    each?.(job, settings);
    for (const f of [0, 0.25, 0.5, 0.75, 1]) {
      job.onProgress?.(progress(f));
      sample();
    }
    job.done.resolve(job.kind === 'measure' ? fakeResult(job.array, settings!) : { accuracy: 0.9, array: job.array, labelsSource: 'y', splitSeed: 0, testFraction: 0.25 });
    await flush();
    sample();
  }
}

function demoFetch() {
  const manifest = {
    files: [
      { file: 'layer1.npz', role: 'embedding', title: 'L1', description: 'first layer' },
      { file: 'layer2.npz', role: 'embedding', title: 'L2', description: 'second layer' },
      { file: 'noise.npy', role: 'embedding', title: 'noise', description: 'noise' },
    ],
  };
  return (async (input: URL) => (String(input).endsWith('manifest.json') ? new Response(JSON.stringify(manifest)) : new Response(new Uint8Array(8)))) as unknown as typeof fetch;
}

describe('one bar for the whole job', () => {
  it('RunState: weighted steps and passes, each step’s own progress restarting at 0 — the job’s fraction never goes back', async () => {
    const run = new RunState({ cancel: async () => undefined }, new NoticeStore(), { storage: null });
    const seen: number[] = [];
    const steps = [
      { key: 'a', weight: 1, phase: 0 },
      { key: 'b', weight: 3, phase: 0 },
      { key: 'a', weight: 10, phase: 1 },
      { key: 'b', weight: 30, phase: 1 },
    ];
    const passes: string[] = [];
    await run.sequence(
      steps,
      async (step, onProgress) => {
        passes.push(`${run.phase + 1}/${run.phaseCount} ${run.phaseLabel} file ${run.fileIndex + 1}/${run.fileCount}`);
        for (const f of [0, 0.5, 0.2, 1, 0]) {
          onProgress(progress(f)); // a crashed-and-rerun job starts over at 0: the bar holds
          seen.push(run.fraction);
        }
        return step.key === 'z' ? 'failed' : ('ok' as Outcome);
      },
      { phases: 2, phaseLabels: ['first look (AAC + LR)', 'adding NLR'] },
    );
    for (let i = 1; i < seen.length; i++) expect(seen[i], `sample ${i}: ${seen.join(', ')}`).toBeGreaterThanOrEqual(seen[i - 1]);
    expect(seen.at(-1)).toBe(1);
    // weighted by estimated time: the first look (4 of 44) is a sliver of the bar
    expect(seen[3]).toBeCloseTo(1 / 44, 12);
    expect(seen[8]).toBeCloseTo(4 / 44, 12);
    expect(passes).toEqual(['1/2 first look (AAC + LR) file 1/2', '1/2 first look (AAC + LR) file 2/2', '2/2 adding NLR file 1/2', '2/2 adding NLR file 2/2']);
    expect([run.active, run.phaseLabel, run.etaMs]).toEqual([false, null, null]);
  });

  it('the time left: the up-front estimate first, then the job’s own pace', async () => {
    let now = 0;
    const run = new RunState({ cancel: async () => undefined }, new NoticeStore(), { storage: null, now: () => now });
    const gate = deferred<Outcome>();
    let report!: (p: JobProgress) => void;
    const done = run.sequence([{ key: 'a' }], (_f, onProgress) => ((report = onProgress), gate.promise), { estimateMs: 5_400_000 });
    expect(run.etaMs).toBe(5_400_000);
    now = 60_000;
    report(progress(0.01)); // the issue's 1 % after 60 s: the estimate still speaks
    expect(run.etaMs).toBeCloseTo(5_400_000 * 0.99, 6);
    now = 120_000;
    report(progress(0.04)); // from 2 % on, the pace: 120 s for 4 % → 48 min left
    expect(run.etaMs).toBeCloseTo((120_000 / 0.04) * 0.96, 6);
    gate.resolve('ok');
    await done;
  });

  it('the demo: first look for every file, then NLR for every file — one job whose bar never goes back, rows without “older settings”', async () => {
    const app = makeApp({ fetch: demoFetch() });
    app.client.arrays.set('layer1.npz', [embedding(2000, 576, 'features'), labelsArray(2000, 'labels')]);
    app.client.arrays.set('layer2.npz', [embedding(2000, 320, 'features'), labelsArray(2000, 'labels')]);
    app.client.arrays.set('noise.npy', [embedding(2000, 32, '')]);
    app.client.manual = true;
    const loading = app.demo.load({ autoRun: true });
    const fractions: number[] = [];
    const stale: string[] = [];
    const jobs: string[] = [];
    await answerJobs(
      app.client,
      () => {
        if (!app.run.active) return;
        fractions.push(app.run.fraction);
        // every row with a result is one this job measured or will measure again: never "older settings"
        for (const f of app.files.results) if (!app.runs.upToDate(f)) stale.push(`${f.name} in pass ${app.run.phase + 1}`);
      },
      (job, settings) => jobs.push(`${job.kind} ${job.fileId} ${settings?.measures.join('+') ?? ''} pass ${app.run.phase + 1}/${app.run.phaseCount}`),
    );
    await loading;
    expect(jobs).toEqual([
      'measure f1 aac+lr pass 1/2',
      'probe f1  pass 1/2',
      'measure f2 aac+lr pass 1/2',
      'probe f2  pass 1/2',
      'measure f3 aac+lr pass 1/2',
      'measure f1 aac+lr+nlr pass 2/2',
      'measure f2 aac+lr+nlr pass 2/2',
      'measure f3 aac+lr+nlr pass 2/2',
    ]);
    expect(fractions.length).toBeGreaterThan(40);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i], `sample ${i}`).toBeGreaterThanOrEqual(fractions[i - 1]);
    expect(fractions.at(-1)).toBeCloseTo(1, 12);
    expect(stale).toEqual([]);
    expect(app.files.list.map((f) => [f.status, app.runs.upToDate(f)])).toEqual([
      ['done', true],
      ['done', true],
      ['done', true],
    ]);
  });

  it('the demo downloads file by file: the next file while one is measured, so the first numbers wait for one file only', async () => {
    const events: string[] = [];
    const inner = demoFetch();
    const fetch = (async (input: URL) => {
      events.push(`fetch ${String(input).split('/').pop()}`);
      return inner(input);
    }) as unknown as typeof globalThis.fetch;
    const app = makeApp({ fetch });
    app.client.arrays.set('layer1.npz', [embedding(2000, 576, 'features'), labelsArray(2000, 'labels')]);
    app.client.arrays.set('layer2.npz', [embedding(2000, 320, 'features'), labelsArray(2000, 'labels')]);
    app.client.arrays.set('noise.npy', [embedding(2000, 32, '')]);
    app.client.manual = true;
    const loading = app.demo.load({ autoRun: true });
    await answerJobs(app.client, () => undefined, (job, settings) => events.push(`${job.kind} ${job.fileId}${settings ? ` ${settings.measures.join('+')}` : ''}`));
    await loading;
    expect(events).toEqual([
      'fetch manifest.json',
      'fetch layer1.npz',
      'fetch layer2.npz', // while layer1 is measured
      'measure f1 aac+lr',
      'probe f1',
      'fetch noise.npy', // while layer2 is measured
      'measure f2 aac+lr',
      'probe f2',
      'measure f3 aac+lr',
      'measure f1 aac+lr+nlr',
      'measure f2 aac+lr+nlr',
      'measure f3 aac+lr+nlr',
    ]);
    expect(app.files.list.map((f) => f.name)).toEqual(['layer1.npz', 'layer2.npz', 'noise.npy']);
  });

  it('own files that come while the first demo file downloads: the demo makes way — no demo run on them, the user’s settings kept', async () => {
    const inner = demoFetch();
    const gate = deferred<void>();
    const fetch = (async (input: URL) => {
      if (String(input).endsWith('layer1.npz')) await gate.promise;
      return inner(input);
    }) as unknown as typeof globalThis.fetch;
    const app = makeApp({ fetch });
    app.settings.applyPreset('paper');
    const mine = copySettings(app.settings.current);
    const loading = app.demo.load({ autoRun: true });
    await settle();
    await app.files.addFiles([npy('mine.npy')]);
    gate.resolve();
    await loading;
    await settle();
    expect(app.files.list.map((f) => [f.name, f.demo])).toEqual([['mine.npy', false]]);
    expect(app.client.log.filter((l) => !l.startsWith('open'))).toEqual([]); // no measure or probe job ran
    expect(sameSettings(app.settings.current, mine)).toBe(true);
    expect(app.run.active).toBe(false);
  });

  it('a cancel in the NLR pass: rows left with the first look’s result are “older settings” again (Run measures them)', async () => {
    const app = makeApp({ fetch: demoFetch() });
    app.client.manual = true;
    const loading = app.demo.load({ autoRun: true });
    let measured = 0;
    await answerJobs(app.client, () => undefined, (job, settings) => {
      if (job.kind !== 'measure' || !settings!.measures.includes('nlr') || ++measured !== 2) return;
      app.client.jobs.unshift(job); // the running job: the fake's cancel rejects it, as the worker's would
      void app.run.cancel();
    });
    await loading;
    const [first, second, third] = app.files.list;
    expect(app.runs.upToDate(first)).toBe(true); // measured with NLR before the cancel
    expect([second.status, third.status]).toEqual(['cancelled', 'done']);
    expect([app.runs.upToDate(second), app.runs.upToDate(third)]).toEqual([false, false]);
    expect(app.runs.pending).toEqual([second, third]);
  });

  it('a plain Run after a settings change: queued rows are part of the run, not “older”, while it runs', async () => {
    const app = makeApp();
    await app.files.addFiles([npy('a.npy'), npy('b.npy')]);
    await app.runs.runAll();
    app.settings.current.splitSeed = 3;
    const [a, b] = app.files.list;
    expect([app.runs.upToDate(a), app.runs.upToDate(b)]).toEqual([false, false]);
    app.client.manual = true;
    const running = app.runs.runAll();
    await flush();
    expect([app.runs.upToDate(a), app.runs.upToDate(b)]).toEqual([true, true]);
    app.client.next().done.resolve(fakeResult('x', copySettings(app.settings.current)));
    await settle();
    await app.run.cancel();
    await running;
    expect([app.runs.upToDate(a), app.runs.upToDate(b)]).toEqual([true, false]);
  });
});

describe('Run asks before a long job', () => {
  it('past 10 minutes: a question with cheaper settings; choosing Quick changes the settings and runs with them', async () => {
    const app = makeApp();
    app.client.arrays.set('big.npy', [embedding(5000, 768)]);
    await app.files.addFiles([npy('big.npy')]);
    app.settings.applyPreset('paper');
    expect(app.runs.runEstimate!.seconds).toBeGreaterThan(600);
    await app.runs.requestRun();
    expect(app.client.log.filter((l) => l.startsWith('measure'))).toEqual([]);
    const asked = app.runs.confirm!;
    expect(asked.files).toBe(1);
    expect(asked.seconds).toBeGreaterThan(600);
    expect(asked.choices.map((c) => c.id)).toContain('quick');
    const settings: string[] = [];
    const measure = app.client.measure.bind(app.client);
    app.client.measure = (id, array, s, onProgress) => (settings.push(sameSettings(s, PRESETS.quick.settings) ? 'quick' : 'other'), measure(id, array, s, onProgress));
    await app.runs.confirmRun(asked.choices.find((c) => c.id === 'quick')!);
    expect(app.runs.confirm).toBeNull();
    expect(app.settings.preset).toBe('quick');
    expect(settings).toEqual(['quick']);
  });

  it('“Don’t run” runs nothing; “Run anyway” runs as set; a short job runs at once', async () => {
    const app = makeApp();
    app.client.arrays.set('big.npy', [embedding(5000, 768)]);
    await app.files.addFiles([npy('big.npy')]);
    app.settings.current = copySettings(PAPER_SETTINGS);
    await app.runs.requestRun();
    app.runs.dismissConfirm();
    expect(app.client.log.some((l) => l.startsWith('measure'))).toBe(false);
    await app.runs.requestRun();
    await app.runs.confirmRun(null);
    expect(app.files.list[0].result?.settings).toEqual(PAPER_SETTINGS);
    const small = makeApp();
    await small.files.addFiles([npy('small.npy')]);
    small.settings.applyPreset('paper'); // 100 × 8: seconds
    await small.runs.requestRun();
    expect(small.runs.confirm).toBeNull();
    expect(small.client.log.filter((l) => l.startsWith('measure'))).toEqual(['measure f1']);
  });
});

describe('a run interrupted by a reload', () => {
  it('leaving the page asks first only while a job runs', async () => {
    const run = new RunState({ cancel: async () => undefined }, new NoticeStore(), { storage: null });
    const window = new EventTarget();
    const unguard = run.guardUnload(window);
    const leave = () => {
      const e = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(e);
      return e.defaultPrevented;
    };
    expect(leave()).toBe(false);
    const gate = deferred<Outcome>();
    const done = run.sequence([{ key: 'a' }], () => gate.promise);
    expect(leave()).toBe(true);
    gate.resolve('ok');
    await done;
    expect(leave()).toBe(false);
    unguard();
    const again = deferred<Outcome>();
    const second = run.sequence([{ key: 'a' }], () => again.promise);
    expect(leave()).toBe(false); // unguarded (the page went away)
    again.resolve('ok');
    await second;
  });

  it('the marker: written when a run starts, files marked as they finish, removed when it ends', async () => {
    const storage = new MapStorage();
    let now = 1_000_000;
    const run = new RunState({ cancel: async () => undefined }, new NoticeStore(), { storage, now: () => now });
    const gates = [deferred<Outcome>(), deferred<Outcome>()];
    const files = [
      { key: 'a', name: 'a.npy', array: 'x', fingerprint: null, demo: false },
      { key: 'b', name: 'b.npy', array: 'x', fingerprint: null, demo: false },
    ];
    const done = run.sequence([{ key: 'a' }, { key: 'b' }], (f) => gates[f.key === 'a' ? 0 : 1].promise, { marker: { settings: PAPER_SETTINGS, files } });
    const marker = () => JSON.parse(storage.getItem(RUN_MARKER_KEY)!);
    expect(marker().files.map((f: { name: string; done: boolean }) => [f.name, f.done])).toEqual([
      ['a.npy', false],
      ['b.npy', false],
    ]);
    expect(marker().settings).toEqual(PAPER_SETTINGS);
    gates[0].resolve('ok');
    await flush();
    expect(marker().files.map((f: { done: boolean }) => f.done)).toEqual([true, false]);
    now += 10;
    gates[1].resolve('ok');
    await done;
    expect(storage.getItem(RUN_MARKER_KEY)).toBeNull();
  });

  it('found at start-up: left (reload) or stale (crash) is an interrupted run; a live one is another tab’s', () => {
    const storage = new MapStorage();
    const marker = { startedAt: 'x', aliveAt: 1_000_000, settings: PAPER_SETTINGS, files: [] };
    const open = (now: number) => new RunState({ cancel: async () => undefined }, new NoticeStore(), { storage, now: () => now });
    storage.setItem(RUN_MARKER_KEY, JSON.stringify(marker));
    expect(open(1_000_000 + 1000).interrupted).toBeNull(); // still beating: another tab runs it
    expect(open(1_000_000 + STALE_AFTER_MS + 1).interrupted).toEqual(marker);
    storage.setItem(RUN_MARKER_KEY, JSON.stringify({ ...marker, leftAt: 1_000_500 }));
    const run = open(1_000_000 + 1000);
    expect(run.interrupted?.leftAt).toBe(1_000_500);
    run.dismissInterrupted();
    expect([run.interrupted, storage.getItem(RUN_MARKER_KEY)]).toEqual([null, null]);
    storage.setItem(RUN_MARKER_KEY, 'not json');
    expect(open(0).interrupted).toBeNull();
  });

  it('after the reload: the finished file’s saved result is shown, and Run the rest measures only the other', async () => {
    const storage = new MapStorage();
    vi.stubGlobal('localStorage', storage);
    const first = makeApp();
    const window = new EventTarget();
    first.run.guardUnload(window);
    await first.files.addFiles([npy('a.npy'), npy('b.npy')]);
    first.client.manual = true;
    const running = first.runs.runAll();
    await flush();
    first.client.next().done.resolve(fakeResult('x', copySettings(first.settings.current)));
    await settle();
    expect(first.files.list[0].savedId).not.toBeNull();
    window.dispatchEvent(new Event('pagehide')); // the reload: b.npy was still running
    const second = makeApp({ store: first.store });
    await settle();
    expect(second.run.interrupted?.files.map((f) => [f.name, f.done])).toEqual([
      ['a.npy', true],
      ['b.npy', false],
    ]);
    // what was saved is on the page again; the rest is named, and its file is asked for
    expect(second.files.list.map((f) => [f.name, f.detached, f.result !== null])).toEqual([['a.npy', true, true]]);
    expect(second.runs.interruptedRest.map((f) => f.name)).toEqual(['b.npy']);
    expect(second.runs.interruptedMissing.map((f) => f.name)).toEqual(['b.npy']);
    await second.runs.runTheRest([npy('a.npy'), npy('b.npy')]);
    expect(second.client.log.filter((l) => l.startsWith('measure'))).toEqual(['measure f2']);
    expect(second.files.list.map((f) => [f.name, f.result !== null, second.runs.upToDate(f)])).toEqual([
      ['a.npy', true, true],
      ['b.npy', true, true],
    ]);
    expect(second.run.interrupted).toBeNull();
    expect(storage.getItem(RUN_MARKER_KEY)).toBeNull();
    first.client.next().done.reject(new Error('the old page is gone'));
    await running;
  });
});
