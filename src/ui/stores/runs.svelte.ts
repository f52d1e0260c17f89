/**
 * What Run does: measure every file whose result is stale (then probe it when it has labels), one after
 * another through the run state; and Split CI, LR/NLR on re-drawn splits. A file's status goes
 * queued → running → done | error | cancelled.
 */
import type { JobProgress, MeasureSettings, MeasureSplit } from '../../worker/api.ts';
import type { MeasureClient } from '../../worker/client.ts';
import { copySettings, sameSettings } from '../../core/lite.ts';
import type { FileEntry } from './fileEntry.svelte.ts';
import type { FilesStore } from './files.svelte.ts';
import { jobFailure } from './jobError.ts';
import type { NoticeStore } from './notice.svelte.ts';
import type { ProbeCache } from './probes.svelte.ts';
import type { RunState } from './runState.svelte.ts';
import type { SavedResultsStore } from './saved.svelte.ts';
import type { SettingsStore } from './settings.svelte.ts';

export type RunsClient = Pick<MeasureClient, 'measure' | 'probe' | 'splitSpread'>;

export interface RunsDeps {
  client: RunsClient;
  files: FilesStore;
  settings: SettingsStore;
  probes: ProbeCache;
  saved: Pick<SavedResultsStore, 'persist'>;
  state: RunState;
  notice: NoticeStore;
}

export class RunsStore {
  constructor(private readonly deps: RunsDeps) {}

  /** Files Run would measure now: those without a result (or probe) for the current settings and array (else all). */
  get pending(): FileEntry[] {
    const measurable = this.deps.files.list.filter((f) => f.measurable);
    const stale = measurable.filter((f) => !this.upToDate(f) || this.deps.probes.needsProbe(f));
    return stale.length ? stale : measurable;
  }

  upToDate(f: FileEntry): boolean {
    // a result cut short by a cancel is never up to date: Run measures the rest
    return f.result !== null && !f.result.cancelled && f.result.array === f.embedding && sameSettings(f.result.settings, this.deps.settings.current);
  }

  /**
   * Measures every pending file in turn; one file failing does not stop the others. `settings` overrides the
   * panel's for this run only (the demo's first look).
   */
  async runAll(options: { settings?: MeasureSettings } = {}): Promise<void> {
    const { client, files, probes, saved, state, notice } = this.deps;
    if (state.active) return;
    const queue = this.pending;
    if (queue.length === 0) return;
    const settings = copySettings(options.settings ?? this.deps.settings.current);
    for (const f of queue) f.status = 'queued';
    const { failures } = await state.sequence(queue, async (f, onProgress) => {
      if (!files.list.includes(f) || !f.id || f.embedding === null) return 'skipped';
      f.status = 'running';
      f.error = null;
      try {
        if (!this.upToDate(f) || !probes.needsProbe(f)) {
          f.result = await client.measure(f.id, f.embedding, settings, onProgress);
          f.detached = false;
          void saved.persist(f);
          files.selectIfNone(f);
        }
        f.status = 'done';
        const probeBefore = f.probe;
        await this.probeFile(f, settings, onProgress);
        if (f.probe !== probeBefore) void saved.persist(f);
        return 'ok';
      } catch (e) {
        const err = jobFailure(e);
        if (err.kind === 'cancelled' || state.stopRequested) {
          // what was finished before the cancel (AAC, LR, the NLR dims trained) is kept and saved, marked partial
          if (err.partial) {
            f.result = err.partial;
            f.detached = false;
            void saved.persist(f);
            files.selectIfNone(f);
          }
          f.status = 'cancelled';
          return 'cancelled';
        }
        f.status = 'error';
        f.error = err.message;
        return 'failed';
      }
    });
    for (const f of queue) if (f.status === 'queued') f.status = f.result ? 'done' : 'ready';
    if (failures && !notice.current) notice.error(`${failures} of ${queue.length} file${queue.length > 1 ? 's' : ''} failed; the others’ results are below.`);
  }

  /** The probe is a separate job: its failure (bad labels) is shown on the file and keeps the measures. */
  private async probeFile(f: FileEntry, split: MeasureSplit, onProgress: (p: JobProgress) => void): Promise<void> {
    const { client, files, probes, settings, state } = this.deps;
    const labels = files.labelsOf(f);
    const key = probes.key(f);
    if (!settings.probeEnabled || !labels || key === null || !f.id || f.embedding === null || probes.isProbed(f, key)) return;
    f.probeRunning = true;
    f.probeError = null;
    try {
      f.probe = await client.probe(f.id, f.embedding, labels.ref, split, onProgress);
      probes.markProbed(f, key);
    } catch (e) {
      const err = jobFailure(e);
      if (err.kind === 'cancelled' || state.stopRequested) throw e;
      f.probe = null;
      f.probeError = `Linear probe: ${err.message}`;
      probes.markProbed(f, key);
    } finally {
      f.probeRunning = false;
    }
  }

  /**
   * Re-measures LR (and NLR when it was measured) of every measured file on k split seeds, so differences
   * between models can be judged against what the split alone does. Uses each file's own result settings.
   */
  async resampleSplits(k: number): Promise<void> {
    const { client, files, state, notice } = this.deps;
    if (state.active) return;
    const queue = files.results.filter((f) => f.id && f.embedding !== null && f.splitSpread?.forResult !== f.result);
    if (queue.length === 0) return;
    await state.sequence(queue, async (f, onProgress) => {
      const result = f.result!;
      try {
        const spreads = await client.splitSpread(f.id!, result.array, copySettings(result.settings), k, onProgress);
        f.splitSpread = { k, forResult: result, spreads };
        return 'ok';
      } catch (e) {
        const err = jobFailure(e);
        if (err.kind === 'cancelled' || state.stopRequested) return 'cancelled';
        notice.error(`Split resampling: ${err.message}`);
        return 'failed';
      }
    });
  }
}
