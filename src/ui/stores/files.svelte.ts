/**
 * The file list: opening files in the worker, removing them, which result is selected, and which labels a
 * file's probe would use. A file with several arrays can give one row per array ("Measure every array"):
 * those rows share the opened file. The same file and array is never listed twice: a second drop is refused
 * with a warning (or, for a multi-array file, takes an array not listed yet). Sharded sets are built in
 * shards.svelte.ts; saved results attach through `onOpened`.
 */
import type { MeasureClient } from '../../worker/client.ts';
import { fingerprintOf, sameFingerprint } from '../persist/fingerprint.ts';
import { labelsFileUse, labelsFor, type LabelsAnswer, type LabelsCandidateFile, type LabelsChoice, type LabelsFileUse, type LabelsMismatch } from '../labelsSource.ts';
import { FileEntry } from './fileEntry.svelte.ts';
import { jobFailure } from './jobError.ts';
import type { NoticeStore } from './notice.svelte.ts';
import type { RunState } from './runState.svelte.ts';

export type FilesClient = Pick<MeasureClient, 'openFile' | 'closeFile'>;

/** Whether two entries hold the same file: same fingerprint (name, size, first MiB), else same name, size and date. */
export function sameFile(a: FileEntry, b: FileEntry): boolean {
  if (a.fingerprint && b.fingerprint) return sameFingerprint(a.fingerprint, b.fingerprint);
  return a.file.name === b.file.name && a.file.size === b.file.size && a.file.lastModified === b.file.lastModified && a.file.size > 0;
}

export class FilesStore {
  list = $state<FileEntry[]>([]);
  selectedKey = $state<string | null>(null);
  /** files the user added that were already in the list (same file and array), said once under the drop zone */
  duplicates = $state<string[]>([]);
  /** a file (or sharded set) of the user's just opened: the saved-results store attaches a saved result */
  onOpened: ((entry: FileEntry) => void) | null = null;

  constructor(
    private readonly client: FilesClient,
    private readonly run: Pick<RunState, 'active' | 'fileKey' | 'cancel'>,
    private readonly notice: NoticeStore,
  ) {}

  get results(): FileEntry[] {
    return this.list.filter((f) => f.result !== null);
  }

  get selected(): FileEntry | null {
    const withResult = this.results;
    return withResult.find((f) => f.key === this.selectedKey) ?? withResult[0] ?? null;
  }

  /** Selects `entry` unless a file with a result is selected already. */
  selectIfNone(entry: FileEntry): void {
    if (!this.selectedKey || !this.list.some((e) => e.key === this.selectedKey && e.result)) this.selectedKey = entry.key;
  }

  private labelsView(): { view: (e: FileEntry) => LabelsCandidateFile; all: LabelsCandidateFile[] } {
    const view = (e: FileEntry): LabelsCandidateFile => ({
      id: e.id,
      name: e.name,
      labelsOnly: e.status === 'labels-only',
      arrays: e.summary?.arrays ?? [],
      labels: e.labels,
      embedding: e.status === 'labels-only' ? null : e.embedding,
    });
    return { view, all: this.list.map(view) };
  }

  private labelsAnswer(f: FileEntry): LabelsAnswer {
    const { view, all } = this.labelsView();
    return labelsFor(view(f), all);
  }

  /** The labels this file's probe would use (its own array, or a labels-only file with as many rows). */
  labelsOf(f: FileEntry): LabelsChoice | null {
    return this.labelsAnswer(f).choice;
  }

  /** Why this file has no labels although a labels file was dropped: it has another number of rows. */
  labelsMismatchOf(f: FileEntry): LabelsMismatch | null {
    return this.labelsAnswer(f).mismatch;
  }

  /** For a labels-only file: the files it labels, and those it cannot (another number of rows). */
  labelsUseOf(f: FileEntry): LabelsFileUse {
    const { view, all } = this.labelsView();
    return labelsFileUse(view(f), all);
  }

  /** Another row (with its file) of the same file and array, if any. */
  duplicateOf(f: FileEntry): FileEntry | null {
    if (f.detached || f.embedding === null || f.status === 'opening') return null;
    return this.list.find((o) => o !== f && !o.detached && o.status !== 'opening' && o.embedding === f.embedding && sameFile(o, f)) ?? null;
  }

  /** The arrays of `f`'s file that another row (with its file) already measures. */
  arraysListedElsewhere(f: FileEntry): Set<string> {
    return new Set(this.list.filter((o) => o !== f && !o.detached && o.status !== 'opening' && o.embedding !== null && sameFile(o, f)).map((o) => o.embedding!));
  }

  /** The arrays "Measure every array" would add a row for. */
  unlistedArrays(f: FileEntry): string[] {
    if (f.detached || f.shards || f.id === null || f.status === 'opening' || f.status === 'error' || f.status === 'labels-only') return [];
    const elsewhere = this.arraysListedElsewhere(f);
    return f.embeddingArrays.map((a) => a.name).filter((name) => name !== f.embedding && !elsewhere.has(name));
  }

  /**
   * One row per embedding-like array of the file (they share the opened file): `layers.npz › layer0`, `… › layer1`…
   * in the file's order, where the row was. Each row keeps its own result, probe, tag and accuracy.
   */
  measureEveryArray(key: string): void {
    const entry = this.list.find((f) => f.key === key);
    if (!entry) return;
    const missing = this.unlistedArrays(entry);
    if (missing.length === 0) return;
    const added = missing.map((name) => {
      const e = new FileEntry(entry.file, entry.demo, entry.demo ? entry.description : '');
      e.id = entry.id;
      e.fingerprint = entry.fingerprint;
      e.summary = entry.summary;
      e.embedding = name;
      e.labels = entry.labels;
      e.copyNumber = entry.copyNumber;
      e.status = 'ready';
      return e;
    });
    const order = entry.embeddingArrays.map((a) => a.name);
    const rows = [entry, ...added].sort((a, b) => order.indexOf(a.embedding!) - order.indexOf(b.embedding!));
    const at = this.list.indexOf(entry);
    this.list.splice(at, 1, ...rows);
    this.duplicates = [];
    if (!entry.demo) for (const e of added) this.onOpened?.(e);
  }

  /** Adds files. Bringing your own files clears the demo files (and stops a demo run). */
  async addFiles(list: File[], options: { demo?: boolean; descriptions?: string[] } = {}): Promise<void> {
    if (list.length === 0) return;
    const demo = options.demo ?? false;
    if (!demo && this.list.some((f) => f.demo)) await this.removeDemoFiles();
    const entries = list.map((file, i) => new FileEntry(file, demo, options.descriptions?.[i]));
    this.list.push(...entries);
    this.notice.clear();
    this.duplicates = [];
    await Promise.all(entries.map((e) => this.open(e)));
  }

  removeFile(key: string): void {
    const entry = this.list.find((f) => f.key === key);
    if (!entry || (this.run.active && this.run.fileKey === key)) return;
    this.list = this.list.filter((f) => f.key !== key);
    this.closeUnused([entry]);
  }

  async removeDemoFiles(): Promise<void> {
    if (this.run.active && this.list.some((f) => f.demo && f.key === this.run.fileKey)) await this.run.cancel();
    const demo = this.list.filter((f) => f.demo);
    this.list = this.list.filter((f) => !f.demo);
    this.closeUnused(demo);
  }

  /** Forgets an entry in the worker (a set: its shard files too), unless another row still uses its file. */
  close(entry: FileEntry): void {
    this.closeUnused([entry]);
  }

  private closeUnused(removed: FileEntry[]): void {
    const inUse = new Set<string>();
    const mark = (e: FileEntry) => {
      if (e.id) inUse.add(e.id);
      for (const s of e.shards ?? []) mark(s);
    };
    for (const e of this.list) if (!removed.includes(e)) mark(e);
    const closed = new Set<string>();
    const close = (e: FileEntry) => {
      if (e.id && !inUse.has(e.id) && !closed.has(e.id)) {
        closed.add(e.id);
        this.client.closeFile(e.id);
      }
      for (const s of e.shards ?? []) close(s);
    };
    for (const e of removed) close(e);
  }

  /** After opening: the same file and array already listed → another array of it, else the entry goes, with a warning. */
  private refuseDuplicate(entry: FileEntry): boolean {
    if (entry.demo || entry.embedding === null) return false;
    const listed = this.arraysListedElsewhere(entry);
    if (!listed.has(entry.embedding)) return false;
    const free = entry.embeddingArrays.find((a) => !listed.has(a.name));
    if (free) {
      entry.embedding = free.name;
      return false;
    }
    const several = entry.embeddingArrays.length > 1;
    this.duplicates = [
      ...this.duplicates,
      several
        ? `${entry.fileName} is already in the list with every array of it (same file): not added again.`
        : `${entry.name} is already in the list (same file): not added again.`,
    ];
    this.list = this.list.filter((f) => f !== entry);
    this.closeUnused([entry]);
    return true;
  }

  /** A second file with the same name but other content gets `(2)`, `(3)`… so that row names stay unique. */
  private numberCopy(entry: FileEntry): void {
    const namesakes = this.list.filter((o) => o !== entry && o.status !== 'opening' && o.fileName === entry.fileName && !sameFile(o, entry));
    if (namesakes.length) entry.copyNumber = Math.max(...namesakes.map((o) => o.copyNumber)) + 1;
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
      if (measurable && this.refuseDuplicate(entry)) return;
      this.numberCopy(entry);
      entry.status = measurable ? 'ready' : summary.arrays.some((a) => a.shape.length === 1 && !a.unusable) ? 'labels-only' : 'error';
      if (entry.status === 'error') {
        const reasons = summary.arrays.filter((a) => a.unusable).map((a) => `${a.name || 'the array'}: ${a.unusable}`);
        entry.error = `${entry.name}: no array in this file can be measured${reasons.length ? ` (${reasons.join('; ')})` : ''}`;
      }
      if (!entry.demo) this.onOpened?.(entry);
    } catch (e) {
      entry.status = 'error';
      entry.error = jobFailure(e).message;
    }
  }
}
