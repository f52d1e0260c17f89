/**
 * The file list: opening files in the worker, removing them, which result is selected, and which labels a
 * file's probe would use. Sharded sets are built in shards.svelte.ts; saved results attach through `onOpened`.
 */
import type { MeasureClient } from '../../worker/client.ts';
import { fingerprintOf } from '../persist/fingerprint.ts';
import { labelsFor, type LabelsCandidateFile, type LabelsChoice } from '../labelsSource.ts';
import { FileEntry } from './fileEntry.svelte.ts';
import { jobFailure } from './jobError.ts';
import type { NoticeStore } from './notice.svelte.ts';
import type { RunState } from './runState.svelte.ts';

export type FilesClient = Pick<MeasureClient, 'openFile' | 'closeFile'>;

export class FilesStore {
  list = $state<FileEntry[]>([]);
  selectedKey = $state<string | null>(null);
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
    return labelsFor(view(f), this.list.map(view));
  }

  /** Adds files. Bringing your own files clears the demo files (and stops a demo run). */
  async addFiles(list: File[], options: { demo?: boolean; descriptions?: string[] } = {}): Promise<void> {
    if (list.length === 0) return;
    const demo = options.demo ?? false;
    if (!demo && this.list.some((f) => f.demo)) await this.removeDemoFiles();
    const entries = list.map((file, i) => new FileEntry(file, demo, options.descriptions?.[i]));
    this.list.push(...entries);
    this.notice.clear();
    await Promise.all(entries.map((e) => this.open(e)));
  }

  removeFile(key: string): void {
    const entry = this.list.find((f) => f.key === key);
    if (!entry || (this.run.active && this.run.fileKey === key)) return;
    this.close(entry);
    this.list = this.list.filter((f) => f.key !== key);
  }

  async removeDemoFiles(): Promise<void> {
    if (this.run.active && this.list.some((f) => f.demo && f.key === this.run.fileKey)) await this.run.cancel();
    for (const f of this.list) if (f.demo) this.close(f);
    this.list = this.list.filter((f) => !f.demo);
  }

  /** Forgets an entry in the worker (a set: its shard files too). */
  close(entry: FileEntry): void {
    if (entry.id) this.client.closeFile(entry.id);
    for (const s of entry.shards ?? []) this.close(s);
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
      if (!entry.demo) this.onOpened?.(entry);
    } catch (e) {
      entry.status = 'error';
      entry.error = jobFailure(e).message;
    }
  }
}
