/**
 * The app's state: the files the user added, the settings, the backend, the running job. Components read it
 * and call its methods; it talks to the worker only through `MeasureClient`.
 */
import type { BackendInfo, BackendName, FileSummary, JobProgress, MeasureSettings, MeasureSplit, ProbeRunResult, RunResult, SplitSpreads } from '../worker/api.ts';
import { labelsFor, type LabelsChoice, type LabelsCandidateFile } from './labelsSource.ts';
import { MeasureClient } from '../worker/client.ts';
import { JobError, toJobError } from '../worker/errorPayload.ts';
import { tagFromFileName, type FileTag } from '../core/lite.ts';
import { DEFAULT_PRESET, PRESETS, copySettings, sameSettings, type PresetName } from '../core/lite.ts';
import { version as appVersion } from '../../package.json';
import { fingerprintOf, sameFingerprint, shardSetFingerprint, type Fingerprint } from './persist/fingerprint.ts';
import { orderShards, shardSetName, suggestShardGroups, type ShardGroup } from './shardGroups.ts';
import { parseResultsExport, recordId, resultsExport, type SavedRecord } from './persist/records.ts';
import { openResultStore, type ResultStore } from './persist/resultStore.ts';

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
  /** the file's data; for an entry restored from saved results, an empty stand-in with the same name */
  file = $state.raw<File>(new File([], ''));
  /** name, size and SHA-256 of the first MiB: how saved results find the file again */
  fingerprint = $state.raw<Fingerprint | null>(null);
  /** restored from saved results without its file: shown, not re-runnable until the file is dropped again */
  detached = $state(false);
  /** the saved record this entry's result came from or went to */
  savedId: string | null = null;
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

  /** a line under the file's name (the demo's description, or where a saved result came from) */
  description = $state('');
  /** for a sharded set: its shard files, in stacking order (kept, with their results, for "Split back") */
  shards = $state.raw<FileEntry[] | null>(null);

  constructor(
    file: File,
    readonly demo: boolean,
    description = '',
  ) {
    this.file = file;
    this.description = description;
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
    return !this.detached && this.summary !== null && this.embedding !== null && this.status !== 'opening' && this.status !== 'labels-only';
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
  settings = $state<MeasureSettings>(copySettings(PRESETS[DEFAULT_PRESET].settings));
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
  /** shard-group suggestions the user said no to, by template */
  dismissedShardGroups = $state<string[]>([]);
  demoLoading = $state(false);
  /** compute the linear probe for files that have labels */
  probeEnabled = $state(true);
  /** results saved in this browser (IndexedDB), newest first */
  saved = $state.raw<SavedRecord[]>([]);
  /** one line when saving is off or failed (private mode, quota); saving never stops the app */
  storeNote = $state<string | null>(null);
  private readonly store: Promise<ResultStore | null>;

  private stopRequested = false;

  /** wasmThreads: the page's ?threads=N (WASM threads where the page is cross-origin isolated) */
  constructor(forced: BackendName | null, wasmThreads?: number) {
    this.backend.forced = forced;
    this.client = new MeasureClient(forced ?? undefined, wasmThreads);
    this.client.onBackend = (info) => {
      this.backend.info = info;
      this.backend.error = null;
      this.backend.starting = false;
    };
    this.client.onRecovered = (message) => {
      this.notice = { text: message, tone: 'info' };
    };
    this.client.onBackendError = (e) => {
      this.backend.error = e.message;
      this.backend.starting = false;
    };
    this.store = this.openStore();
  }

  // ---------------------------------------------------------------- saved results

  private async openStore(): Promise<ResultStore | null> {
    try {
      const store = await openResultStore();
      this.saved = await store.list();
      return store;
    } catch (e) {
      this.storeNote = `Results are not saved in this browser (${e instanceof Error ? e.message : String(e)}); use Export all to keep them.`;
      return null;
    }
  }

  private async storePut(records: SavedRecord[]): Promise<void> {
    const byId = new Map(this.saved.map((r) => [r.id, r]));
    for (const r of records) byId.set(r.id, r);
    this.saved = [...byId.values()].sort((a, b) => b.savedAt.localeCompare(a.savedAt));
    const store = await this.store;
    if (!store) return;
    try {
      await store.put(records);
    } catch (e) {
      this.storeNote = `Could not save results in this browser (${e instanceof Error ? e.message : String(e)}); use Export all to keep them.`;
    }
  }

  /** The record for an entry's current result (null for demo files and files without a fingerprint). */
  private recordOf(f: FileEntry, savedAt = new Date().toISOString()): SavedRecord | null {
    if (!f.result || !f.fingerprint) return null;
    const summary = f.summary ? (({ id: _id, ...rest }) => rest)($state.snapshot(f.summary) as FileSummary) : null;
    return {
      id: recordId(f.fingerprint, f.result.array, f.result.settings),
      fingerprint: f.fingerprint,
      savedAt,
      array: f.result.array,
      labels: f.labels,
      summary,
      result: f.result,
      probe: f.probe && f.probe.array === f.result.array ? f.probe : null,
      appVersion,
    };
  }

  /** Saves a freshly measured (or probed) entry. Demo files are not saved. */
  private async persist(f: FileEntry): Promise<void> {
    if (f.demo || f.detached) return;
    const record = this.recordOf(f);
    if (!record) return;
    f.savedId = record.id;
    await this.storePut([record]);
  }

  /** Forgets a saved record (the page's entries stay). */
  async forget(id: string): Promise<void> {
    this.saved = this.saved.filter((r) => r.id !== id);
    const store = await this.store;
    await store?.remove(id).catch((e: unknown) => {
      this.storeNote = `Could not delete the saved result (${e instanceof Error ? e.message : String(e)}).`;
    });
  }

  /** Whether a saved record is shown on the page now. */
  onPage(id: string): boolean {
    return this.files.some((f) => f.savedId === id && f.result !== null);
  }

  /** Shows saved records in the results as entries (without their files: drop a file again to re-run it). */
  restore(records: SavedRecord[]): void {
    const added: FileEntry[] = [];
    for (const r of records) {
      if (this.onPage(r.id)) continue;
      const again = /\(\d+ shards\)$/.test(r.fingerprint.name) ? 'drop its shard files again and combine them' : 'drop the file again';
      const entry = new FileEntry(new File([], r.fingerprint.name), false, `Saved result from ${new Date(r.savedAt).toLocaleString()}; ${again} to re-run it.`);
      entry.detached = true;
      entry.savedId = r.id;
      entry.fingerprint = r.fingerprint;
      entry.summary = r.summary ? { ...r.summary, id: '' } : null;
      entry.embedding = r.array;
      entry.labels = r.labels;
      entry.result = r.result;
      entry.probe = r.probe;
      entry.status = 'done';
      added.push(entry);
    }
    if (!added.length) return;
    this.files.push(...added);
    if (!this.selectedKey || !this.files.some((e) => e.key === this.selectedKey && e.result)) this.selectedKey = added[0].key;
  }

  /** Every result — saved ones and those on the page (demo files included) — as one JSON document. */
  exportAll(): string {
    const byId = new Map(this.saved.map((r) => [r.id, r]));
    for (const f of this.files) {
      const r = f.detached ? null : this.recordOf(f);
      if (r && !byId.has(r.id)) byId.set(r.id, r);
    }
    // the heatmap preview (|r| in [0, 1], up to 512² cells a file) to 4 decimals: a picture, kept small
    const records = [...byId.values()].map((r) => {
      const p = r.result.correlationPreview;
      return p ? { ...r, result: { ...r.result, correlationPreview: { ...p, values: p.values.map((v) => Math.round(v * 1e4) / 1e4) } } } : r;
    });
    const backend = this.backend.info ? ($state.snapshot(this.backend.info) as BackendInfo) : null;
    return JSON.stringify(resultsExport(records, { appVersion, userAgent: navigator.userAgent, backend }));
  }

  /** Reads an "Export all" file: validated, then saved here and shown on the page. Throws a ValidationError. */
  async importResults(text: string): Promise<number> {
    const doc = parseResultsExport(text);
    await this.storePut(doc.records);
    this.restore(doc.records);
    return doc.records.length;
  }

  /**
   * A file just opened: if a restored entry (without its file) has the same fingerprint, the file takes its place;
   * else a saved result for this file, array and the current settings is attached instead of measuring again.
   */
  private attachSaved(entry: FileEntry): void {
    if (!entry.fingerprint || entry.status !== 'ready' || entry.embedding === null) return;
    const twin = this.files.find((f) => f.detached && f !== entry && sameFingerprint(f.fingerprint, entry.fingerprint) && f.embedding === entry.embedding);
    if (twin?.result) {
      this.adopt(entry, twin.result, twin.probe, twin.savedId, this.saved.find((r) => r.id === twin.savedId)?.savedAt ?? null);
      const at = this.files.indexOf(twin);
      this.files = this.files.filter((f) => f !== entry && f !== twin);
      this.files.splice(at, 0, entry);
      if (this.selectedKey === twin.key) this.selectedKey = entry.key;
      return;
    }
    const record = this.saved.find((r) => sameFingerprint(r.fingerprint, entry.fingerprint) && r.array === entry.embedding && sameSettings(r.result.settings, this.settings));
    if (record) {
      this.adopt(entry, record.result, record.probe, record.id, record.savedAt);
      this.notice = { text: `${entry.name}: saved results from ${new Date(record.savedAt).toLocaleString()} attached (same file and settings); Run measures the others.`, tone: 'info' };
    }
  }

  /** The entry shows a saved result; its status stays 'ready' (opened, not measured in this tab: Run re-measures). */
  private adopt(entry: FileEntry, result: RunResult, probe: ProbeRunResult | null, savedId: string | null, savedAt: string | null): void {
    entry.result = result;
    entry.savedId = savedId;
    if (savedAt) entry.description = `Saved result from ${new Date(savedAt).toLocaleString()}; Run re-measures.`;
    if (probe && probe.array === entry.embedding) {
      entry.probe = probe;
      const key = this.probeKey(entry);
      if (key !== null && this.labelsOf(entry)?.source === probe.labelsSource) this.probedKey.set(entry, key);
    }
    if (!this.selectedKey || !this.files.some((e) => e.key === this.selectedKey && e.result)) this.selectedKey = entry.key;
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
    return labels ? JSON.stringify([f.embedding, labels.source, this.settings.splitSeed, this.settings.testFraction]) : null;
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
    this.close(entry);
    this.files = this.files.filter((f) => f.key !== key);
  }

  async removeDemoFiles(): Promise<void> {
    if (this.run.active && this.files.some((f) => f.demo && f.key === this.run.fileKey)) await this.cancel();
    for (const f of this.files) if (f.demo) this.close(f);
    this.files = this.files.filter((f) => !f.demo);
  }

  /** Forgets an entry in the worker (a set: its shard files too). */
  private close(entry: FileEntry): void {
    if (entry.id) this.client.closeFile(entry.id);
    for (const s of entry.shards ?? []) this.close(s);
  }

  // ---------------------------------------------------------------- sharded sets

  /** Files that can become shards of a set: the user's own opened, measurable files that are not sets. */
  get shardCandidates(): FileEntry[] {
    return this.files.filter((f) => !f.demo && !f.shards && f.measurable);
  }

  /** Groups of candidate files whose names differ only by a rank/shard number (never combined without a click). */
  get shardSuggestions(): { group: ShardGroup; keys: string[] }[] {
    const candidates = this.shardCandidates;
    return suggestShardGroups(candidates.map((f) => f.name))
      .filter((g) => !this.dismissedShardGroups.includes(g.template))
      .map((group) => ({ group, keys: group.names.map((n) => candidates.find((f) => f.name === n)!.key) }));
  }

  dismissShardGroup(template: string): void {
    this.dismissedShardGroups = [...this.dismissedShardGroups, template];
  }

  /**
   * Replaces the files with one sharded set (ordered by shard number), measured like a file. The files keep
   * their results and come back with "Split back". A failure (shards of different D) stays on the set's row.
   */
  async combineShards(keys: string[]): Promise<void> {
    if (this.run.active) return;
    const picked = this.files.filter((f) => keys.includes(f.key) && this.shardCandidates.includes(f));
    if (picked.length < 2) return;
    const order = orderShards(picked.map((f) => f.name));
    const shards = [...picked].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    const name = shardSetName(shards.map((f) => f.name));
    const set = new FileEntry(new File([], name), false);
    set.shards = shards;
    const at = this.files.indexOf(shards[0]);
    this.files = this.files.filter((f) => !shards.includes(f));
    this.files.splice(at, 0, set);
    try {
      const summary = await this.client.combineShards(
        name,
        shards.map((f) => ({ fileId: f.id!, embedding: f.embedding!, labels: f.labels })),
      );
      if (!this.files.includes(set)) return void this.client.closeFile(summary.id); // removed meanwhile
      set.id = summary.id;
      set.summary = summary;
      set.embedding = summary.defaultEmbedding;
      set.labels = summary.defaultLabels;
      set.status = 'ready';
      const fingerprints = shards.map((f) => f.fingerprint);
      if (fingerprints.every((fp) => fp !== null)) set.fingerprint = await shardSetFingerprint(name, fingerprints as Fingerprint[]).catch(() => null);
      this.attachSaved(set);
    } catch (e) {
      set.status = 'error';
      set.error = toJobError(e).message;
    }
  }

  /** Puts a set's shard files back in its place, each with what it had before. */
  splitShards(key: string): void {
    const set = this.files.find((f) => f.key === key);
    if (!set?.shards || (this.run.active && this.run.fileKey === key)) return;
    if (set.id) this.client.closeFile(set.id);
    const at = this.files.indexOf(set);
    this.files = this.files.filter((f) => f !== set);
    this.files.splice(at, 0, ...set.shards);
  }

  /** Loads the demo files; `autoRun` measures them with the Quick preset (unless `keepSettings`: then they wait for Run). */
  async loadDemo(options: { autoRun: boolean; keepSettings?: boolean }): Promise<void> {
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
    if (options.autoRun && !options.keepSettings && !this.run.active) {
      this.applyPreset('quick');
      // a first look in seconds: AAC, LR (and the probe) for every file; then NLR, the slow part
      const firstLook = { ...copySettings(this.settings), measures: this.settings.measures.filter((m) => m !== 'nlr') };
      await this.runAll({ settings: firstLook });
      if (!this.stopRequested) await this.runAll();
    }
  }

  /**
   * Measures every pending file in turn; one file failing does not stop the others. `settings` overrides the
   * panel's for this run only (the demo's first look).
   */
  async runAll(options: { settings?: MeasureSettings } = {}): Promise<void> {
    if (this.run.active) return;
    const queue = this.pending;
    if (queue.length === 0) return;
    const settings = copySettings(options.settings ?? this.settings);
    for (const f of queue) f.status = 'queued';
    const { failures } = await this.sequence(queue, async (f, onProgress) => {
      if (!this.files.includes(f) || !f.id || f.embedding === null) return 'skipped';
      f.status = 'running';
      f.error = null;
      try {
        if (!this.upToDate(f) || !this.needsProbe(f)) {
          f.result = await this.client.measure(f.id, f.embedding, settings, onProgress);
          f.detached = false;
          void this.persist(f);
          if (!this.selectedKey || !this.files.some((e) => e.key === this.selectedKey && e.result)) this.selectedKey = f.key;
        }
        f.status = 'done';
        const probeBefore = f.probe;
        await this.probeFile(f, settings, onProgress);
        if (f.probe !== probeBefore) void this.persist(f);
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
  private async probeFile(f: FileEntry, split: MeasureSplit, onProgress: (p: JobProgress) => void): Promise<void> {
    const labels = this.labelsOf(f);
    const key = this.probeKey(f);
    if (!this.probeEnabled || !labels || key === null || !f.id || f.embedding === null || this.probedKey.get(f) === key) return;
    f.probeRunning = true;
    f.probeError = null;
    try {
      f.probe = await this.client.probe(f.id, f.embedding, labels.ref, split, onProgress);
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
    // only the first MiB is read, on the main thread; a failure (no crypto.subtle) just means no saving
    const fingerprint = fingerprintOf(entry.file).catch(() => null);
    try {
      const summary = await this.client.openFile(entry.file);
      entry.fingerprint = await fingerprint;
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
      if (!entry.demo) this.attachSaved(entry);
    } catch (e) {
      const err = e instanceof JobError ? e : toJobError(e);
      entry.status = 'error';
      entry.error = err.message;
    }
  }
}
