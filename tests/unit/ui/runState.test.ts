import { describe, expect, it } from 'vitest';
import type { JobProgress } from '../../../src/worker/api.ts';
import { NoticeStore } from '../../../src/ui/stores/notice.svelte.ts';
import { RunState, type Outcome } from '../../../src/ui/stores/runState.svelte.ts';
import { deferred, flush } from './fakes.ts';

const progress = (fraction: number): JobProgress => ({ fraction, message: `at ${fraction}`, elapsedMs: 0, etaMs: null }) as JobProgress;

function setup() {
  const cancels: number[] = [];
  const notice = new NoticeStore();
  const run = new RunState({ cancel: async () => void cancels.push(1) }, notice);
  return { run, notice, cancels };
}

describe('RunState.sequence', () => {
  it('runs the files in order, showing which one and its progress, and resets when done', async () => {
    const { run, notice } = setup();
    notice.info('an old line');
    const seen: string[] = [];
    const gates = [deferred<Outcome>(), deferred<Outcome>()];
    const files = [{ key: 'a' }, { key: 'b' }];
    const done = run.sequence(files, (f, onProgress) => {
      seen.push(`${f.key} ${run.fileIndex + 1}/${run.fileCount}`);
      onProgress(progress(0.5));
      return gates[files.indexOf(f)].promise;
    });
    expect(run.active).toBe(true);
    expect(notice.current).toBeNull();
    expect(run.fileKey).toBe('a');
    expect(run.progress?.fraction).toBe(0.5);
    gates[0].resolve('ok');
    await flush();
    expect(run.fileKey).toBe('b');
    gates[1].resolve('failed');
    expect(await done).toEqual({ failures: 1 });
    expect(seen).toEqual(['a 1/2', 'b 2/2']);
    expect([run.active, run.fileKey, run.progress, run.cancelling]).toEqual([false, null, null, false]);
    expect(notice.current).toBeNull();
  });

  it('ignores progress from a file that is no longer the current one', async () => {
    const { run } = setup();
    let late: ((p: JobProgress) => void) | null = null;
    const second = deferred<Outcome>();
    const done = run.sequence([{ key: 'a' }, { key: 'b' }], async (f, onProgress) => {
      if (f.key === 'a') {
        late = onProgress;
        return 'ok';
      }
      return second.promise;
    });
    await flush();
    late!(progress(0.9));
    expect(run.progress).toBeNull();
    second.resolve('ok');
    await done;
  });

  it('stops on a cancel: the file running ends as cancelled, the rest are not started, the notice says so', async () => {
    const { run, notice, cancels } = setup();
    const started: string[] = [];
    const gate = deferred<Outcome>();
    const done = run.sequence([{ key: 'a' }, { key: 'b' }], (f) => {
      started.push(f.key);
      return gate.promise;
    });
    await run.cancel();
    expect(run.cancelling).toBe(true);
    expect(run.stopRequested).toBe(true);
    expect(cancels).toHaveLength(1);
    gate.resolve('ok'); // finished anyway: the next file is still not started
    await done;
    expect(started).toEqual(['a']);
    expect(run.active).toBe(false);
    expect(notice.current).toEqual({ text: 'Cancelled. Results measured before the cancel are kept.', tone: 'info' });
  });

  it('a cancelled outcome ends the sequence; cancel when idle does nothing', async () => {
    const { run, cancels } = setup();
    await run.cancel();
    expect(cancels).toHaveLength(0);
    const started: string[] = [];
    await run.sequence([{ key: 'a' }, { key: 'b' }], async (f) => (started.push(f.key), 'cancelled'));
    expect(started).toEqual(['a']);
    expect(run.stopRequested).toBe(false);
  });

  it('resets the run state even when a step throws', async () => {
    const { run } = setup();
    await expect(run.sequence([{ key: 'a' }], async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect([run.active, run.fileKey]).toEqual([false, null]);
  });
});
