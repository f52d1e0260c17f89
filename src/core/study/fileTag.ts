/**
 * A number to plot a file's measures against, read from its name when the user has not typed one:
 * `acc=91.2` → 91.2 (any `key=value`), `proj2` / `depth-3` / `layer_1` → 2 / 3 / 1.
 */

export interface FileTag {
  key: string;
  value: number;
}

const KNOWN_KEYS = ['proj', 'projector', 'depth', 'layer', 'block', 'acc', 'accuracy', 'epoch', 'epochs', 'ep', 'lambda', 'seed', 'dim', 'width'];
const NUMBER = String.raw`[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?`;

export function tagFromFileName(fileName: string): FileTag | null {
  const stem = fileName.replace(/\.(npy|npz|pt|pth|bin|safetensors|csv|tsv|txt|parquet)$/i, '');
  const assigned = new RegExp(String.raw`([a-z][a-z0-9]*)=(${NUMBER})`, 'i').exec(stem);
  if (assigned) return { key: assigned[1].toLowerCase(), value: Number(assigned[2]) };
  for (const key of KNOWN_KEYS) {
    const m = new RegExp(String.raw`(?:^|[^a-z])(${key})[-_]?(${NUMBER.replace('[-+]?', '')})(?![a-z])`, 'i').exec(stem);
    if (m) return { key: m[1].toLowerCase(), value: Number(m[2]) };
  }
  return null;
}

/** One model as the tag axis sees it: its name, the number the user typed (if any), the tag read from its name. */
export interface TaggedModel {
  name: string;
  typed: number | null;
  nameTag: FileTag | null;
}

/** The study's tag axis: one name scheme, each model's value on it, and the models left off (another scheme). */
export interface TagAxis {
  key: string;
  /** per model, in order: the typed number, else its name's tag when it is of `key`'s scheme, else null */
  values: (number | null)[];
  /** models whose names read as another scheme (`layer = 1` on a `proj` axis): not placed, named in a note */
  leftOff: { name: string; tag: FileTag }[];
  /** every scheme the names use, most common first */
  schemes: string[];
}

/**
 * One scheme per axis: `proj = 1` and `layer = 1` are not the same 1. The axis takes `chosen` when the names use it,
 * else the scheme most models' names use (ties: the first seen); a typed number always counts (the user placed it).
 */
export function tagAxis(models: readonly TaggedModel[], chosen: string | null = null): TagAxis {
  const counts = new Map<string, number>();
  for (const m of models) if (m.typed === null && m.nameTag) counts.set(m.nameTag.key, (counts.get(m.nameTag.key) ?? 0) + 1);
  const schemes = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)!);
  const key = chosen !== null && counts.has(chosen) ? chosen : (schemes[0] ?? 'tag');
  const leftOff: TagAxis['leftOff'] = [];
  const values = models.map((m) => {
    if (m.typed !== null) return m.typed;
    if (!m.nameTag) return null;
    if (m.nameTag.key === key) return m.nameTag.value;
    leftOff.push({ name: m.name, tag: m.nameTag });
    return null;
  });
  return { key, values, leftOff, schemes };
}
