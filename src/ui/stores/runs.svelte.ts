/**
 * What Run does: measure every file whose result is stale (then probe it when it has labels), one after
 * another as one job of the run state; and Split CI, LR/NLR on re-drawn splits. A file's status goes
 * queued → running → done | error | cancelled.
 *
 * Before a long job, Run asks (requestRun → `confirm`): the estimate of the whole job (estimate.svelte.ts) and
 * cheaper settings to choose instead. After a reload that interrupted a run, its saved results are shown again
 * and `runTheRest` measures the files it had not finished.
 */
import type { JobProgress, MeasureSettings, MeasureSplit } from '../../worker/api.ts';
import type { MeasureClient } from '../../worker/client.ts';
import { copySettings, sameSettings } from '../../core/lite.ts';
import { sameFingerprint } from '../persist/fingerprint.ts';
import { CONFIRM_ABOVE_SECONDS, EstimateStore, shapeOf, type CheaperChoice, type EstimatedFile } from './estimate.svelte.ts';
import type { FileEntry } from './fileEntry.svelte.ts';
import type { FilesStore } from './files.svelte.ts';
import { jobFailure } from './jobError.ts';
import type { NoticeStore } from './notice.svelte.ts';
import type { ProbeCache } from './probes.svelte.ts';
import type { MarkedFile, RunState } from './runState.svelte.ts';
import type { SavedResultsStore } from './saved.svelte.ts';
import type { SettingsStore } from './settings.svelte.ts';

/** The client's jobs; `rates` (optional: a test's fake may leave it out) times this machine for estimates. */
export type RunsClient = Pick<MeasureClient, 'measure' | 'probe' | 'splitSpread'> & Partial<Pick<MeasureClient, 'rates'>>;

export interface RunsDeps {
  client: RunsClient;
  files: FilesStore;
  settings: SettingsStore;
  probes: ProbeCache;
  saved: Pick<SavedResultsStore, 'persist' | 'restoreSaved' | 'resumeFor'>;
  state: RunState;
  notice: NoticeStore;
}

/** One step of a job: measure (and probe) one file with one pass's settings. */
interface Step {
  key: string;
  file: FileEntry;
  settings: MeasureSettings;
  phase: number;
  /** estimated seconds of the step, and the measurement's share of them (the probe has the rest) */
  weight: number;
  measureShare: number;
}

/** While NLR runs, its finished heads are saved at most this often (each save rewrites the file's record). */
const SAVE_HEADS_EVERY_MS = 3_000;

const measureNames = (ms: readonly string[]) => ms.map((m) => m.toUpperCase()).join(' + ');

/** What each pass of a job does: "first look (AAC + LR)", then "adding NLR". */
function passLabels(passes: MeasureSettings[]): string[] | undefined {
  if (passes.length < 2) return undefined;
  return passes.map((s, i) => {
    if (i === 0) return `first look (${measureNames(s.measures)})`;
    const added = s.measures.filter((m) => !passes[i - 1].measures.includes(m));
    return added.length ? `adding ${measureNames(added)}` : `pass ${i + 1}`;
  });
}

/** A long job waiting for the user's answer (the dialog). */
export interface RunConfirmation {
  seconds: number;
  files: number;
  settings: MeasureSettings;
  choices: CheaperChoice[];
}

export class RunsStore {
  readonly estimate: EstimateStore;
  /** a long job Run asked about; null when none */
  confirm = $state.raw<RunConfirmation | null>(null);
  /** the running job's steps and the index of the step running (which rows it will still measure) */
  #job = $state.raw<{ steps: Step[] } | null>(null);
  #stepIndex = $state(0);

  constructor(private readonly deps: RunsDeps) {
    this.estimate = new EstimateStore(deps.client);
    const interrupted = deps.state.interrupted;
    // show what the interrupted run had finished (its saved results, whole or cut short), before offering to run the rest
    if (interrupted) void deps.saved.restoreSaved(interrupted.files.filter((f) => !f.demo), interrupted.settings);
  }

  /** Files Run would measure now: those without a result (or probe) for the current settings and array (else all). */
  get pending(): FileEntry[] {
    const measurable = this.deps.files.list.filter((f) => f.measurable);
    const stale = this.stale(this.deps.settings.current);
    return stale.length ? stale : measurable;
  }

  /** Measurable files without a result (or probe) for these settings. */
  private stale(settings: MeasureSettings): FileEntry[] {
    return this.deps.files.list.filter((f) => f.measurable && (!this.measuredWith(f, settings) || this.deps.probes.needsProbe(f)));
  }

  /** Whether the file's result is for its current array and exactly these settings (and not cut short by a cancel). */
  measuredWith(f: FileEntry, settings: MeasureSettings): boolean {
    return f.result !== null && !f.result.cancelled && !f.result.provisional && f.result.array === f.embedding && sameSettings(f.result.settings, settings);
  }

  /**
   * Whether the row shows a result for the current settings — or is part of the running job, which will still
   * measure it with them (the demo's first look without NLR, before its NLR pass; a file queued after a settings
   * change): the table marks the others "older settings".
   */
  upToDate(f: FileEntry): boolean {
    const current = this.deps.settings.current;
    if (this.measuredWith(f, current)) return true;
    const job = this.#job;
    return !!job && job.steps.some((s, i) => i >= this.#stepIndex && s.file === f && sameSettings(s.settings, current));
  }

  /** What Run would do now: the files, and the estimate of the whole job with the current settings. */
  get runEstimate(): { files: number; seconds: number; where: string } | null {
    const queue = this.pending;
    const files = this.estimatedFiles(queue);
    if (!files) return null;
    return { files: queue.length, seconds: this.estimate.jobSeconds(files, this.deps.settings.current), where: this.estimate.where };
  }

  /** The shapes of these files (null when one is not opened yet), with whether the job would probe them. */
  private estimatedFiles(queue: readonly FileEntry[]): EstimatedFile[] | null {
    const out: EstimatedFile[] = [];
    for (const f of queue) {
      const shape = shapeOf(f);
      if (!shape) return null;
      out.push({ shape, probe: this.deps.probes.needsProbe(f) });
    }
    return out;
  }

  /**
   * The Run button: runs the pending files — unless the job is estimated past CONFIRM_ABOVE_SECONDS: then it asks
   * first (`confirm`, answered by confirmRun or dismissConfirm), with cheaper settings to choose instead.
   */
  async requestRun(): Promise<void> {
    if (this.deps.state.active) return;
    const settings = this.deps.settings.current;
    const queue = this.pending;
    const files = this.estimatedFiles(queue);
    if (queue.length === 0) return;
    const seconds = files ? this.estimate.jobSeconds(files, settings) : 0;
    if (files && seconds > CONFIRM_ABOVE_SECONDS) {
      this.confirm = { seconds, files: queue.length, settings: copySettings(settings), choices: this.estimate.cheaperChoices(files, settings) };
      return;
    }
    await this.runAll();
  }

  /** The dialog's answer: a cheaper choice (its settings become the panel's) or null to run as asked. */
  async confirmRun(choice: CheaperChoice | null): Promise<void> {
    if (!this.confirm) return;
    this.confirm = null;
    if (choice) this.deps.settings.current = copySettings(choice.settings);
    await this.runAll();
  }

  dismissConfirm(): void {
    this.confirm = null;
  }

  /**
   * Measures every pending file in turn as one job; one file failing does not stop the others. `settings`
   * overrides the panel's for this run only. `firstLook`: first measure every pending file with these settings
   * (the demo: AAC, LR and the probe in seconds), then all of them again with the panel's — one job, one bar.
   */
  /**
   * `more`: files still to come (the demo fetching its next file): called while the job measures its last file of
   * the first pass, so the next one downloads meanwhile, and awaited before the first pass ends; the files it adds
   * join the job (every pass). It resolves false when nothing more will come.
   */
  async runAll(options: { settings?: MeasureSettings; firstLook?: MeasureSettings; more?: () => Promise<boolean> } = {}): Promise<void> {
    const { client, files, probes, saved, state, notice } = this.deps;
    if (state.active) return;
    const final = copySettings(options.settings ?? this.deps.settings.current);
    const passes = options.firstLook ? [copySettings(options.firstLook), final] : [final];
    const steps = this.plan(passes);
    if (steps.length === 0) return;
    const queue = [...new Set(steps.map((s) => s.file))];
    for (const f of queue) f.status = 'queued';
    this.#job = { steps };
    this.#stepIndex = 0;
    const estimateMs = 1000 * steps.reduce((t, s) => t + s.weight, 0);
    const more = options.more;
    let moreToCome = more !== undefined;
    let coming: Promise<boolean> | null = null;
    const firstPassEnd = () => {
      const k = steps.findIndex((s) => s.phase > 0);
      return k === -1 ? steps.length : k;
    };
    const beforeStep = more
      ? async (i: number) => {
          // leaving the first pass: wait for the files still to come, and put them in the job
          while (moreToCome && i >= firstPassEnd()) {
            coming ??= more();
            moreToCome = await coming.catch(() => false);
            coming = null;
            this.addToJob(steps, queue, passes);
          }
          // the next file downloads while this one is measured
          if (moreToCome && !coming && i === firstPassEnd() - 1) coming = more();
        }
      : undefined;
    const marker = {
      settings: final,
      files: queue.map((f) => ({ key: f.key, name: f.name, array: f.embedding, fingerprint: f.fingerprint, demo: f.demo })),
    };
    let failures = 0;
    try {
      ({ failures } = await state.sequence(
        steps,
        async (step, onProgress) => {
          this.#stepIndex = steps.indexOf(step);
          const { file: f, settings } = step;
          if (!files.list.includes(f) || !f.id || f.embedding === null) return 'skipped';
          const last = !steps.slice(this.#stepIndex + 1).some((s) => s.file === f);
          f.status = 'running';
          f.error = null;
          let whole: FileEntry['result'] = null;
          const part = (from: number, to: number) => (p: JobProgress) => onProgress({ ...p, fraction: from + (to - from) * p.fraction });
          try {
            if (!this.measuredWith(f, settings) || !probes.needsProbe(f)) {
              // a whole result for the same array and settings (Run again) stays if this run is cut short
              whole = this.measuredWith(f, settings) ? f.result : null;
              // each stage is saved as it finishes: AAC and LR (marked provisional until NLR and the null end), then
              // the NLR heads group by group; a run cut short (cancel, reload) resumes from them with the same settings
              let savedAt = 0;
              const resume = saved.resumeFor(f, settings);
              f.nlrFinished = resume;
              const result = await client.measure(
                f.id,
                f.embedding,
                settings,
                part(0, step.measureShare),
                (partial) => {
                  f.result = partial;
                  f.detached = false;
                  files.selectIfNone(f);
                  if (!whole) void saved.persist(f);
                },
                {
                  resume,
                  onNlrHeads: (finished) => {
                    f.nlrFinished = finished;
                    const now = Date.now();
                    if (!whole && now - savedAt >= SAVE_HEADS_EVERY_MS) {
                      savedAt = now;
                      void saved.persist(f);
                    }
                  },
                },
              );
              f.result = result;
              f.nlrFinished = null;
              f.detached = false;
              void saved.persist(f);
              files.selectIfNone(f);
            }
            if (last) f.status = 'done';
            const probeBefore = f.probe;
            await this.probeFile(f, settings, part(step.measureShare, 1));
            if (f.probe !== probeBefore) void saved.persist(f);
            if (!last) f.status = 'queued';
            return 'ok';
          } catch (e) {
            const err = jobFailure(e);
            if (err.kind === 'cancelled' || state.stopRequested) {
              // what was finished before the cancel (AAC, LR, the NLR dims trained) is kept and saved, marked partial
              if (whole) f.result = whole;
              else if (err.partial) {
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
        },
        { phases: passes.length, phaseLabels: passLabels(passes), estimateMs, marker, beforeStep },
      ));
    } finally {
      this.#job = null;
    }
    for (const f of queue) if (f.status === 'queued') f.status = f.result ? 'done' : 'ready';
    if (failures && !notice.current) notice.error(`${failures} of ${queue.length} file${queue.length > 1 ? 's' : ''} failed; the others’ results are below.`);
  }

  /**
   * The steps of a job, pass by pass: the first pass measures the stale files (else, alone, all of them: "Run
   * again"); a later pass every file the passes before it measured, and any stale for its settings. Each step is
   * weighted by its estimated seconds, so the job's one progress bar tracks time.
   */
  private addToJob(steps: Step[], queue: FileEntry[], passes: MeasureSettings[]): void {
    const inJob = new Set(steps.map((s) => s.file));
    const fresh = this.stale(passes[0]).filter((f) => !inJob.has(f));
    if (fresh.length === 0) return;
    for (const f of fresh) {
      f.status = 'queued';
      queue.push(f);
    }
    for (const [phase, settings] of passes.entries()) {
      for (const f of fresh) {
        let at = steps.length;
        while (at > 0 && steps[at - 1].phase > phase) at--;
        steps.splice(at, 0, this.step(f, settings, phase, phase === 0 && this.deps.probes.needsProbe(f)));
      }
    }
    this.#job = { steps };
  }

  private step(f: FileEntry, settings: MeasureSettings, phase: number, probe: boolean): Step {
    const shape = shapeOf(f);
    const seconds = shape ? this.estimate.fileSeconds({ shape, probe }, settings) : { measure: 1, probe: 0 };
    const weight = seconds.measure + seconds.probe;
    return { key: f.key, file: f, settings, phase, weight, measureShare: weight > 0 ? seconds.measure / weight : 1 };
  }

  private plan(passes: MeasureSettings[]): Step[] {
    const measurable = this.deps.files.list.filter((f) => f.measurable);
    const steps: Step[] = [];
    let before: FileEntry[] = [];
    const probed = new Set<FileEntry>();
    for (const [phase, settings] of passes.entries()) {
      const stale = this.stale(settings);
      const queue = phase === 0 ? (stale.length ? stale : passes.length === 1 ? measurable : []) : measurable.filter((f) => before.includes(f) || stale.includes(f));
      for (const f of queue) {
        const probe = !probed.has(f) && this.deps.probes.needsProbe(f);
        probed.add(f);
        steps.push(this.step(f, settings, phase, probe));
      }
      before = queue;
    }
    return steps;
  }

  /** The files of the interrupted run it had not finished (demo files: the demo loads them again). */
  get interruptedRest(): MarkedFile[] {
    return this.deps.state.interrupted?.files.filter((f) => !f.done) ?? [];
  }

  /** Of those, the user's files that are not on the page (Run the rest asks for them). */
  get interruptedMissing(): MarkedFile[] {
    const list = this.deps.files.list;
    return this.interruptedRest.filter((m) => !m.demo && !list.some((f) => f.measurable && f.embedding === m.array && sameFingerprint(f.fingerprint, m.fingerprint)));
  }

  /**
   * "Run the rest" of an interrupted run: with its settings, the files given (the user's files picked again — those
   * measured before the reload get their saved results back) are added, and the files without a result are measured.
   */
  async runTheRest(picked: File[] = []): Promise<void> {
    const { state, files, settings, notice } = this.deps;
    const interrupted = state.interrupted;
    if (!interrupted || state.active) return;
    settings.current = copySettings(interrupted.settings);
    if (picked.length) await files.addFiles(picked);
    state.dismissInterrupted();
    if (this.stale(settings.current).length === 0) {
      notice.info('Nothing left to run: every file has a result for these settings.');
      return;
    }
    await this.requestRun();
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
