/**
 * Recognising files that are shards of one embedding set (one file per data-parallel rank): names that differ
 * only by a rank/shard number. Pure string logic; the app only ever *suggests* a group, the user decides;
 * the CLI combines files only when asked (--shards) or when all of a group's names follow one shard pattern.
 */

/** A name with its shard number taken out: `emb_rank2.npy` → template `emb_rank*.npy`, index 2. */
export interface ShardName {
  template: string;
  index: number;
}

export interface ShardGroup {
  /** e.g. `emb_rank*.npy` */
  template: string;
  /** the names, ordered by shard number */
  names: string[];
  indices: number[];
  /** shard numbers between the first and the last that were not dropped (a rank may be missing) */
  missing: number[];
}

/** Words that mark a shard number: `rank0`, `shard_1`, `part-00002`, `chunk3`, `worker-1`… */
const MARKED = /(rank|shard|part|chunk|worker|proc|gpu|device|node)([_-]?)(\d+)/gi;
/** `model-00002-of-00004.safetensors`: the number before `-of-`. */
const OF_TOTAL = /(\d+)[_-]of[_-]\d+/i;
/** A bare trailing number before the extension: `emb_0.npy`, `emb-12.npz`. */
const TRAILING = /([_-])(\d+)(\.[A-Za-z0-9]+)$/;
/** Numbers after these words name a model or a setting (the study's tags), not a shard. */
const NOT_A_SHARD = /(?:^|[^a-z])(layer|block|proj|projector|depth|epoch|epochs|ep|step|ckpt|checkpoint|seed|dim|width|stage|head|lambda|acc|accuracy)$/i;

/** The shard number in a file name, or null when it has none. The last marked number wins (`run1_rank3` → 3). */
export function shardName(name: string): ShardName | null {
  const of = OF_TOTAL.exec(name);
  if (of) return { template: `${name.slice(0, of.index)}*${name.slice(of.index + of[1].length)}`, index: Number(of[1]) };
  let last: RegExpExecArray | null = null;
  for (const m of name.matchAll(MARKED)) last = m as RegExpExecArray;
  if (last) {
    const at = last.index + last[1].length + last[2].length;
    return { template: `${name.slice(0, at)}*${name.slice(at + last[3].length)}`, index: Number(last[3]) };
  }
  const t = TRAILING.exec(name);
  if (t && !NOT_A_SHARD.test(name.slice(0, t.index))) {
    const at = t.index + 1;
    return { template: `${name.slice(0, at)}*${t[3]}`, index: Number(t[2]) };
  }
  return null;
}

/**
 * Groups of at least two names that differ only by their shard number, each ordered by that number.
 * A group with the same number twice (the same file dropped twice) is not suggested.
 */
export function suggestShardGroups(names: readonly string[]): ShardGroup[] {
  const byTemplate = new Map<string, { name: string; index: number }[]>();
  for (const name of names) {
    const s = shardName(name);
    if (!s) continue;
    const list = byTemplate.get(s.template) ?? [];
    list.push({ name, index: s.index });
    byTemplate.set(s.template, list);
  }
  const groups: ShardGroup[] = [];
  for (const [template, members] of byTemplate) {
    if (members.length < 2 || new Set(members.map((m) => m.index)).size !== members.length) continue;
    members.sort((a, b) => a.index - b.index);
    const indices = members.map((m) => m.index);
    const present = new Set(indices);
    const missing: number[] = [];
    for (let i = indices[0] + 1; i < indices[indices.length - 1]; i++) if (!present.has(i)) missing.push(i);
    groups.push({ template, names: members.map((m) => m.name), indices, missing });
  }
  return groups;
}

/** Natural order of names (`rank2` before `rank10`), so shards picked by hand are stacked by their number. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' }) || (a < b ? -1 : a > b ? 1 : 0);
}

/** The order in which shards picked by hand are stacked: by shard number when they share a template, else natural. */
export function orderShards(names: readonly string[]): string[] {
  const parsed = names.map(shardName);
  const oneTemplate = parsed.every((p) => p && p.template === parsed[0]!.template);
  return [...names].sort((a, b) => (oneTemplate ? shardName(a)!.index - shardName(b)!.index : 0) || naturalCompare(a, b));
}

/**
 * The set's name, shown in the file list and the results (its `data-file`) and saved with its results:
 * `emb_rank*.npy (4 shards)` when the names share a template, else `first.npy … last.npy (3 shards)`.
 * `names` must already be in shard order.
 */
export function shardSetName(names: readonly string[]): string {
  const parsed = names.map(shardName);
  const oneTemplate = names.length > 1 && parsed.every((p) => p && p.template === parsed[0]!.template);
  const count = `(${names.length} shard${names.length === 1 ? '' : 's'})`;
  if (oneTemplate) return `${parsed[0]!.template} ${count}`;
  return `${names[0]} … ${names[names.length - 1]} ${count}`;
}
