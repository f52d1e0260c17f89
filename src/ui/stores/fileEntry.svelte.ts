/** One row of the file list: a file the user added, a sharded set, or a saved result shown without its file. */
import type { ArraySummary, FileSummary, FinishedNlrDims, ProbeRunResult, RunResult, SplitSpreads } from '../../worker/api.ts';
import { tagFromFileName, type FileTag } from '../../core/lite.ts';
import type { Fingerprint } from '../persist/fingerprint.ts';

export type FileStatus = 'opening' | 'ready' | 'labels-only' | 'queued' | 'running' | 'done' | 'error' | 'cancelled';

let nextKey = 1;

export class FileEntry {
  readonly key = `file-${nextKey++}`;
  id: string | null = null;
  /** the file's data; for an entry restored from saved results, an empty stand-in with the same name */
  file = $state.raw<File>(new File([], ''));
  /** name, size and SHA-256 of the first MiB: how saved results find the file again */
  fingerprint = $state.raw<Fingerprint | null>(null);
  /** restored from saved results without its file: shown, not re-runnable until the file is dropped again */
  detached = $state(false);
  /** the saved record this entry's result came from or went to */
  savedId: string | null = null;
  /** when the saved result this entry shows was saved (ISO date; restored entries) */
  savedAt = $state<string | null>(null);
  status = $state<FileStatus>('opening');
  summary = $state.raw<FileSummary | null>(null);
  result = $state.raw<RunResult | null>(null);
  /** while the result is not whole (provisional, cancelled): the NLR heads finished so far, saved to resume from */
  nlrFinished = $state.raw<FinishedNlrDims | null>(null);
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
  /** whether this model joins the study (its row stays listed, unticked, when left out) */
  inStudy = $state(true);

  /** a line under the file's name (the demo's description, or where a saved result came from) */
  description = $state('');
  /** for a sharded set: its shard files, in stacking order (kept, with their results, for "Split back") */
  shards = $state.raw<FileEntry[] | null>(null);
  /** 2, 3… for another file with the same name already in the list (`emb.npy (2)`): row names stay unique */
  copyNumber = $state(1);

  constructor(
    file: File,
    readonly demo: boolean,
    description = '',
  ) {
    this.file = file;
    this.description = description;
  }

  /** The file's own name (`layers.npz`). */
  get fileName(): string {
    return this.file.name;
  }

  /** The arrays of the file that could be measured (2-D or more, readable). */
  get embeddingArrays(): ArraySummary[] {
    return (this.summary?.arrays ?? []).filter((a) => a.shape.length >= 2 && !a.unusable);
  }

  /** The array measured, when the file has several that could be: it is part of the row's name. */
  get arrayInName(): string | null {
    return this.embedding !== null && this.embeddingArrays.length > 1 ? this.embedding : null;
  }

  /**
   * The row's name, in the list, the results (`data-file`), the study and exports: the file name, then the
   * array for a file with several (`layers.npz › layer2`), then `(2)` for a second file of the same name.
   */
  get name(): string {
    const array = this.arrayInName;
    return `${this.file.name}${array !== null ? ` › ${array}` : ''}${this.copyNumber > 1 ? ` (${this.copyNumber})` : ''}`;
  }

  /** A number in the name to plot against: in the array's name first (`layer2`), else in the file's. */
  get nameTag(): FileTag | null {
    const array = this.arrayInName;
    return (array !== null ? tagFromFileName(array) : null) ?? tagFromFileName(this.file.name);
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
