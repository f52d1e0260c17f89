/**
 * The app's state: the files the user added, the settings, the backend, the running job. Components read it
 * and call its methods; it talks to the worker only through `MeasureClient`.
 */
import type { BackendInfo, BackendName, FileSummary, JobProgress, MeasureSettings, ProbeRunResult, RunResult, SplitSpreads } from '../worker/api.ts';
import { labelsFor, type LabelsChoice, type LabelsCandidateFile } from './labelsSource.ts';
import { MeasureClient } from '../worker/client.ts';
import { JobError, toJobError } from '../worker/errorPayload.ts';
import { tagFromFileName, type FileTag } from '../core/study/fileTag.ts';
import { PRESETS, copySettings, sameSettings, type PresetName } from './presets.ts';

export type FileStatus = 'opening' | 'ready' | 'labels-only' | 'queued' | 'running' | 'done' | 'error' | 'cancelled';

export const BACKENDS: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export function isBackendName(v: string | null): v is BackendName {
  return v !== null && (BACKENDS as string[]).includes(v);
}

let nextKey = 1;

export class FileEntry {
  readonly key = `file-${nextKey++}`;
  readonly nameTag: FileTag | null;
  id: string | null = null;
  status = $state<FileStatus>('opening');
  summary = $state.raw<FileSummary | null>(null);
  result = $state.raw<RunResult | null>(null);
  error = $state<string | null>(null);
  embedding = $state<string | null>(null);
  labels = $state<string | null>(null);
  /** a number the user typed to plot this file's measures against */
  tagText = $state('');
  /** held-out linear-probe accuracy computed in the app, when the file has labels */
  probe = $state.raw<ProbeRunResult | null>(null);
  probeError = $state<string | null>(null);
  probeRunning = $state(false);
  /** LR/NLR over k re-drawn splits, for the result shown (cleared when the result changes) */
  splitSpread = $state.raw<{ k: number; forResult: RunResult; spreads: SplitSpreads } | null>(null);
  /** an accuracy the user typed (percent), overriding the probe's */
  accuracyText = $state('');

  constructor(
    readonly file: File,
    readonly demo: boolean,
    readonly description = '',
  ) {
    this.nameTag = tagFromFileName(file.name);
  }

  get name(): string {
    return this.file.name;
  }

  /** The user's number if it parses, else the one in the file name. */
  get tag(): number | null {
    const typed = this.tagText.trim();
    if (typed !== '' && Number.isFinite(Number(typed))) return Number(typed);
    return this.nameTag?.value ?? null;
  }

  /** Accuracy for the study (0..1): the user's, else the probe's. */
  get accuracy(): { value: number; source: 'user' | 'probe' } | null {
    const typed = this.accuracyText.trim().replace(/%$/, '');
    if (typed !== '' && Number.isFinite(Number(typed))) return { value: Number(typed) / 100, source: 'user' };
    return this.probe ? { value: this.probe.accuracy, source: 'probe' } : null;
  }

  get measurable(): boolean {
    return this.summary !== null && this.embedding !== null && this.status !== 'opening' && this.status !== 'labels-only';
  }
}

interface DemoManifestEntry {
  file: string;
  role: 'embedding' | 'labels';
  title: string;
  description: string;
}

export class Session {
  readonly client: MeasureClient;
  files = $state<FileEntry[]>([]);
  settings = $state<MeasureSettings>(copySettings(PRESETS.quick.settings));
  backend = $state<{ forced: BackendName | null; info: BackendInfo | null; error: string | null; starting: boolean }>({
    forced: null,
    info: null,
    error: null,
    starting: true,
  });
  run = $state<{
    active: boolean;
    fileKey: string | null;
    fileIndex: number;
    fileCount: number;
    progress: JobProgress | null;
    cancelling: boolean;
  }>({ active: false, fileKey: null, fileIndex: 0, fileCount: 0, progress: null, cancelling: false });
  /** one line under the run bar (e.g. "Cancelled — results so far are kept") */
  notice = $state<{ text: string; tone: 'info' | 'error' } | null>(null);
  selectedKey = $state<string | null>(null);
  demoLoading = $state(false);
  /** compute the linear probe for files that have labels */
  probeEnabled = $state(true);

  private stopRequested = false;

  constructor(forced: BackendName | null) {
    this.backend.forced = forced;
    this.client = new MeasureClient(forced ?? undefined);
    this.client.onBackend = (info) => {
      this.backend.info = info;
      this.backend.error = null;
      this.backend.starting = false;
    };
    this.client.onBackendError = (e) => {
      this.backend.error = e.message;
      this.backend.starting = false;
    };
  }

  get preset(): PresetName | null {
    for (const name of Object.keys(PRESETS) as PresetName[]) if (sameSettings(this.settings, PRESETS[name].settings)) return name;
    return null;
  }

  applyPreset(name: PresetName): void {
    this.settings = copySettings(PRESETS[name].settings);
  }

  get results(): FileEntry[] {
    return this.files.filter((f) => f.result !== null);
  }

  get selected(): FileEntry | null {
    const withResult = this.results;
    return withResult.find((f) => f.key === this.selectedKey) ?? withResult[0] ?? null;
  }

  /** Files Run would measure now: those without a result (or probe) for the current settings and array (else all). */
  get pending(): FileEntry[] {
    const measurable = this.files.filter((f) => f.measurable);
    const stale = measurable.filter((f) => !this.upToDate(f) || this.needsProbe(f));
    return stale.length ? stale : measurable;
  }

  upToDate(f: FileEntry): boolean {
    return f.result !== null && f.result.array === f.embedding && sameSettings(f.result.settings, this.settings);
  }

  /** The labels this file's probe would use (its own array, or a labels-only file with as many rows). */
  labelsOf(f: FileEntry): LabelsChoice | null {
    const view = (e: FileEntry): LabelsCandidateFile => ({
      id: e.id,
      name: e.name,
      labelsOnly: e.status === 'labels-only',
      arrays: e.summary?.arrays ?? [],
      labels: e.labels,
      embedding: e.status === 'labels-only' ? null : e.embedding,
    });
    return labelsFor(view(f), this.files.map(view));
  }

  private probeKey(f: FileEntry): string | null {
    const labels = this.labelsOf(f);
    return labels ? JSON.stringify([f.embedding, labels.source, this.settings.splitSeed]) : null;
  }

  private probedKey = new WeakMap<FileEntry, string>();

  needsProbe(f: FileEntry): boolean {
    const key = this.probeKey(f);
    return this.probeEnabled && key !== null && this.probedKey.get(f) !== key;
  }

  async setBackend(forced: BackendName | null): Promise<void> {
    if (this.run.active) await this.cancel();
    this.backend.forced = forced;
    this.backend.info = null;
    this.backend.error = null;
    this.backend.starting = true;
    const url = new URL(location.href);
    if (forced) url.searchParams.set('backend', forced);
    else url.searchParams.delete('backend');
    history.replaceState(null, '', url);
    await this.client.setBackend(forced ?? undefined).catch(() => undefined);
  }

  /** Adds files. Bringing your own files clears the demo files (and stops a demo run). */
  async addFiles(list: File[], options: { demo?: boolean; descriptions?: string[] } = {}): Promise<void> {
    if (list.length === 0) return;
    const demo = options.demo ?? false;
    if (!demo && this.files.some((f) => f.demo)) await this.removeDemoFiles();
    const entries = list.map((file, i) => new FileEntry(file, demo, options.descriptions?.[i]));
    this.files.push(...entries);
    this.notice = null;
    await Promise.all(entries.map((e) => this.open(e)));
  }

  removeFile(key: string): void {
    const entry = this.files.find((f) => f.key === key);
    if (!entry || (this.run.active && this.run.fileKey === key)) return;
    if (entry.id) this.client.closeFile(entry.id);
    this.files = this.files.filter((f) => f.key !== key);
  }

  async removeDemoFiles(): Promise<void> {
    if (this.run.active && this.files.some((f) => f.demo && f.key === this.run.fileKey)) await this.cancel();
    for (const f of this.files) if (f.demo && f.id) this.client.closeFile(f.id);
    this.files = this.files.filter((f) => !f.demo);
  }

  async loadDemo(options: { autoRun: boolean }): Promise<void> {
    if (this.demoLoading) return;
    this.demoLoading = true;
    try {
      const base = new URL('demo/', document.baseURI);
      const manifest = (await (await fetch(new URL('manifest.json', base))).json()) as { files: DemoManifestEntry[] };
      const wanted = manifest.files.filter((f) => f.role === 'embedding' && !this.files.some((e) => e.demo && e.name === f.file));
      const files = await Promise.all(
        wanted.map(async (f) => {
          const response = await fetch(new URL(f.file, base));
          if (!response.ok) throw new Error(`demo file ${f.file}: HTTP ${response.status}`);
          return new File([await response.blob()], f.file, { type: 'application/octet-stream' });
        }),
      );
      await this.addFiles(files, { demo: true, descriptions: wanted.map((f) => f.description) });
    } catch (e) {
      this.notice = { text: `Could not load the demo files: ${e instanceof Error ? e.message : String(e)}`, tone: 'error' };
      return;
    } finally {
      this.demoLoading = false;
    }
    if (options.autoRun && !this.run.active) {
      this.applyPreset('quick');
      await this.runAll();
    }
  }

  /** Measures every pending file in turn; one file failing does not stop the others. */
  async runAll(): Promise<void> {
    if (this.run.active) return;
    const queue = this.pending;
    if (queue.length === 0) return;
    const settings = copySettings(this.settings);
    for (const f of queue) f.status = 'queued';
    const { failures } = await this.sequence(queue, async (f, onProgress) => {
      if (!this.files.includes(f) || !f.id || f.embedding === null) return 'skipped';
      f.status = 'running';
      f.error = null;
      try {
        if (!this.upToDate(f) || !this.needsProbe(f)) {
          f.result = await this.client.measure(f.id, f.embedding, settings, onProgress);
          if (!this.selectedKey || !this.files.some((e) => e.key === this.selectedKey && e.result)) this.selectedKey = f.key;
        }
        f.status = 'done';
        await this.probeFile(f, settings.splitSeed, onProgress);
        return 'ok';
      } catch (e) {
        const err = toJobError(e);
        if (err.kind === 'cancelled' || this.stopRequested) {
          f.status = 'cancelled';
          return 'cancelled';
        }
        f.status = 'error';
        f.error = err.message;
        return 'failed';
      }
    });
    for (const f of queue) if (f.status === 'queued') f.status = f.result ? 'done' : 'ready';
    if (failures && !this.notice) this.notice = { text: `${failures} of ${queue.length} file${queue.length > 1 ? 's' : ''} failed; the others’ results are below.`, tone: 'error' };
  }

  /**
   * Runs `each` over the files one after another as the run bar's job: progress of the current file, a
   * cancel stops between (and inside) files, and the run state is reset however it ends.
   */
  private async sequence(
    queue: FileEntry[],
    each: (f: FileEntry, onProgress: (p: JobProgress) => void) => Promise<'ok' | 'skipped' | 'failed' | 'cancelled'>,
  ): Promise<{ failures: number }> {
    this.stopRequested = false;
    this.notice = null;
    this.run.active = true;
    this.run.cancelling = false;
    this.run.fileCount = queue.length;
    let failures = 0;
    try {
      for (const [i, f] of queue.entries()) {
        if (this.stopRequested) break;
        this.run.fileKey = f.key;
        this.run.fileIndex = i;
        this.run.progress = null;
        const outcome = await each(f, (p) => {
          if (this.run.fileKey === f.key) this.run.progress = p;
        });
        if (outcome === 'cancelled') break;
        if (outcome === 'failed') failures += 1;
      }
    } finally {
      this.run.active = false;
      this.run.fileKey = null;
      this.run.progress = null;
      this.run.cancelling = false;
      if (this.stopRequested) this.notice = { text: 'Cancelled. Results measured before the cancel are kept.', tone: 'info' };
    }
    return { failures };
  }

  /** The probe is a separate job: its failure (bad labels) is shown on the file and keeps the measures. */
  private async probeFile(f: FileEntry, splitSeed: number, onProgress: (p: JobProgress) => void): Promise<void> {
    const labels = this.labelsOf(f);
    const key = this.probeKey(f);
    if (!this.probeEnabled || !labels || key === null || !f.id || f.embedding === null || this.probedKey.get(f) === key) return;
    f.probeRunning = true;
    f.probeError = null;
    try {
      f.probe = await this.client.probe(f.id, f.embedding, labels.ref, splitSeed, onProgress);
      this.probedKey.set(f, key);
    } catch (e) {
      const err = toJobError(e);
      if (err.kind === 'cancelled' || this.stopRequested) throw err;
      f.probe = null;
      f.probeError = `Linear probe: ${err.message}`;
      this.probedKey.set(f, key);
    } finally {
      f.probeRunning = false;
    }
  }

  /**
   * Re-measures LR (and NLR when it was measured) of every measured file on k split seeds, so differences
   * between models can be judged against what the split alone does. Uses each file's own result settings.
   */
  async resampleSplits(k: number): Promise<void> {
    if (this.run.active) return;
    const queue = this.results.filter((f) => f.id && f.embedding !== null && f.splitSpread?.forResult !== f.result);
    if (queue.length === 0) return;
    await this.sequence(queue, async (f, onProgress) => {
      const result = f.result!;
      try {
        const spreads = await this.client.splitSpread(f.id!, result.array, copySettings(result.settings), k, onProgress);
        f.splitSpread = { k, forResult: result, spreads };
        return 'ok';
      } catch (e) {
        const err = toJobError(e);
        if (err.kind === 'cancelled' || this.stopRequested) return 'cancelled';
        this.notice = { text: `Split resampling: ${err.message}`, tone: 'error' };
        return 'failed';
      }
    });
  }

  async cancel(): Promise<void> {
    if (!this.run.active) return;
    this.stopRequested = true;
    this.run.cancelling = true;
    await this.client.cancel();
  }

  private async open(entry: FileEntry): Promise<void> {
    try {
      const summary = await this.client.openFile(entry.file);
      entry.id = summary.id;
      entry.summary = summary;
      entry.embedding = summary.defaultEmbedding;
      entry.labels = summary.defaultLabels;
      const measurable = summary.defaultEmbedding !== null;
      entry.status = measurable ? 'ready' : summary.arrays.some((a) => a.shape.length === 1 && !a.unusable) ? 'labels-only' : 'error';
      if (entry.status === 'error') {
        const reasons = summary.arrays.filter((a) => a.unusable).map((a) => `${a.name || 'the array'}: ${a.unusable}`);
        entry.error = `${entry.name}: no array in this file can be measured${reasons.length ? ` (${reasons.join('; ')})` : ''}`;
      }
    } catch (e) {
      const err = e instanceof JobError ? e : toJobError(e);
      entry.status = 'error';
      entry.error = err.message;
    }
  }
}
