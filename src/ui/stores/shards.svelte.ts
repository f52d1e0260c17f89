/**
 * Sharded sets: files whose rows are stacked into one set (one file per data-parallel rank), suggested by
 * name but never combined without a click, and split back into their files on request.
 */
import type { MeasureClient } from '../../worker/client.ts';
import { shardSetFingerprint, type Fingerprint } from '../persist/fingerprint.ts';
import { orderShards, shardSetName, suggestShardGroups, type ShardGroup } from '../../core/lite.ts';
import { FileEntry } from './fileEntry.svelte.ts';
import type { FilesStore } from './files.svelte.ts';
import { jobFailure } from './jobError.ts';
import type { RunState } from './runState.svelte.ts';

export type ShardsClient = Pick<MeasureClient, 'combineShards' | 'closeFile'>;

export class ShardSets {
  /** suggestions the user said no to, by template */
  dismissed = $state<string[]>([]);

  constructor(
    private readonly client: ShardsClient,
    private readonly files: FilesStore,
    private readonly run: Pick<RunState, 'active' | 'fileKey'>,
  ) {}

  /** Files that can become shards of a set: the user's own opened, measurable files that are not sets. */
  get candidates(): FileEntry[] {
    return this.files.list.filter((f) => !f.demo && !f.shards && f.measurable);
  }

  /**
   * Groups of candidate files whose names differ only by a rank/shard number. The arrays of one file
   * (`layers.npz › layer1`, `› layer2`) and numbered namesakes (`emb.npy (2)`) are not shards of a set.
   */
  get suggestions(): { group: ShardGroup; keys: string[] }[] {
    const candidates = this.candidates.filter((f) => f.arrayInName === null && f.copyNumber === 1);
    return suggestShardGroups(candidates.map((f) => f.name))
      .filter((g) => !this.dismissed.includes(g.template))
      .map((group) => ({ group, keys: group.names.map((n) => candidates.find((f) => f.name === n)!.key) }));
  }

  dismiss(template: string): void {
    this.dismissed = [...this.dismissed, template];
  }

  /**
   * Replaces the files with one sharded set (ordered by shard number), measured like a file. The files keep
   * their results and come back with "Split back". A failure (shards of different D) stays on the set's row.
   */
  async combine(keys: string[]): Promise<void> {
    if (this.run.active) return;
    const candidates = this.candidates;
    const picked = this.files.list.filter((f) => keys.includes(f.key) && candidates.includes(f));
    if (picked.length < 2) return;
    const order = orderShards(picked.map((f) => f.name));
    const shards = [...picked].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    const name = shardSetName(shards.map((f) => f.name));
    const set = new FileEntry(new File([], name), false);
    set.shards = shards;
    const at = this.files.list.indexOf(shards[0]);
    this.files.list = this.files.list.filter((f) => !shards.includes(f));
    this.files.list.splice(at, 0, set);
    try {
      const summary = await this.client.combineShards(
        name,
        shards.map((f) => ({ fileId: f.id!, embedding: f.embedding!, labels: f.labels })),
      );
      if (!this.files.list.includes(set)) return void this.client.closeFile(summary.id); // removed meanwhile
      set.id = summary.id;
      set.summary = summary;
      set.embedding = summary.defaultEmbedding;
      set.labels = summary.defaultLabels;
      set.status = 'ready';
      const fingerprints = shards.map((f) => f.fingerprint);
      if (fingerprints.every((fp) => fp !== null)) set.fingerprint = await shardSetFingerprint(name, fingerprints as Fingerprint[]).catch(() => null);
      this.files.onOpened?.(set);
    } catch (e) {
      set.status = 'error';
      set.error = jobFailure(e).message;
    }
  }

  /** Puts a set's shard files back in its place, each with what it had before. */
  split(key: string): void {
    const set = this.files.list.find((f) => f.key === key);
    if (!set?.shards || (this.run.active && this.run.fileKey === key)) return;
    if (set.id) this.client.closeFile(set.id);
    const at = this.files.list.indexOf(set);
    this.files.list = this.files.list.filter((f) => f !== set);
    this.files.list.splice(at, 0, ...set.shards);
  }
}
