/**
 * Compare layers and models (linear CKA) in the app, as `redundancy-lab compare`: the files on the page with the
 * same number of rows, the ones the user ticks, one job on the worker, the matrices kept until the selection changes.
 */
import type { CkaComparison } from '../../worker/api.ts';
import type { MeasureClient } from '../../worker/client.ts';
import type { FileEntry } from './fileEntry.svelte.ts';
import type { FilesStore } from './files.svelte.ts';
import { jobFailure } from './jobError.ts';
import type { RunState } from './runState.svelte.ts';

export interface CompareDeps {
  client: Pick<MeasureClient, 'compare'>;
  files: FilesStore;
  state: RunState;
}

export class CompareStore {
  /** entry keys the user left out */
  excluded = $state<string[]>([]);
  result = $state.raw<CkaComparison | null>(null);
  /** the entry keys the result is for */
  resultKeys = $state.raw<string[]>([]);
  error = $state<string | null>(null);

  constructor(private readonly deps: CompareDeps) {}

  /** Files that can be compared: opened, with an embedding array (restored results without their file cannot). */
  get openFiles(): FileEntry[] {
    return this.deps.files.list.filter((f) => f.measurable && f.id !== null && f.embedding !== null && !f.detached && !!f.summary);
  }

  /** Rows of a file's embedding array. */
  rowsOf(f: FileEntry): number | null {
    return f.summary?.arrays.find((a) => a.name === f.embedding)?.rows ?? null;
  }

  /** The row count most of the open files share: CKA compares the same samples, so only those are offered. */
  get rows(): number | null {
    const counts = new Map<number, number>();
    for (const f of this.openFiles) {
      const n = this.rowsOf(f);
      if (n !== null) counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    let best: number | null = null;
    for (const [n, c] of counts) if (best === null || c > counts.get(best)! || (c === counts.get(best)! && n > best)) best = n;
    return best;
  }

  /** Open files with those rows (comparable), and the others (listed, with why they are left out). */
  get comparable(): FileEntry[] {
    const n = this.rows;
    return this.openFiles.filter((f) => this.rowsOf(f) === n);
  }

  get otherRows(): FileEntry[] {
    const n = this.rows;
    return this.openFiles.filter((f) => this.rowsOf(f) !== n);
  }

  get chosen(): FileEntry[] {
    return this.comparable.filter((f) => !this.excluded.includes(f.key));
  }

  toggle(f: FileEntry, include: boolean): void {
    this.excluded = include ? this.excluded.filter((k) => k !== f.key) : [...new Set([...this.excluded, f.key])];
  }

  /** Whether the result shown is for exactly the files chosen now. */
  get current(): boolean {
    const keys = this.chosen.map((f) => f.key);
    return this.result !== null && keys.length === this.resultKeys.length && keys.every((k, i) => k === this.resultKeys[i]);
  }

  async run(): Promise<void> {
    const { client, state } = this.deps;
    const chosen = this.chosen;
    if (state.active || chosen.length < 2) return;
    this.error = null;
    await state.sequence([{ key: chosen[0].key }], async (_step, onProgress) => {
      try {
        this.result = await client.compare(chosen.map((f) => ({ fileId: f.id!, arrayName: f.embedding! })), onProgress);
        this.resultKeys = chosen.map((f) => f.key);
        return 'ok';
      } catch (e) {
        const err = jobFailure(e);
        if (err.kind === 'cancelled' || state.stopRequested) return 'cancelled';
        this.error = err.message;
        return 'failed';
      }
    });
  }
}
