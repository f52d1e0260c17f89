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
