import { concatenateShards, measureArray, orderShards, shardSetName, suggestShardGroups, type ArrayHandle, type BackendInfo } from '../../core/index.ts';
import { parsePositiveInt, settingsFromFlags, type MeasureFlags } from '../options.ts';
import { formatResultTable, presetName } from '../format.ts';
import { openFile, pickArray } from '../openArray.ts';
import { CliProgress } from '../progress.ts';
import { writeReport } from '../report.ts';

interface Opened {
  fileName: string;
  array: ArrayHandle;
}

/** One measurement: a file, or the shards of one set (rows stacked in shard order). */
export interface MeasurementSet {
  name: string;
  files: Opened[];
  /** why several files are one set: the user asked (--shards), or their names differ only by a shard number */
  combined: 'asked' | 'shard-names' | null;
}

/**
 * Several files are several measurements, one result each — as in the app. Files are combined only when asked
 * (`--shards`: all of them, one set) or when their names differ only by a shard number (`emb_rank0.npy`,
 * `emb_rank1.npy` …: core/io/shardNames.ts, the rule the app suggests groups by); the caller says so.
 */
export function measurementSets(files: Opened[], shards: boolean): MeasurementSet[] {
  const byName = new Map(files.map((f) => [f.fileName, f]));
  if (shards && files.length > 1) {
    const order = orderShards(files.map((f) => f.fileName));
    return [{ name: shardSetName(order), files: order.map((n) => byName.get(n)!), combined: 'asked' }];
  }
  const groups = suggestShardGroups(files.map((f) => f.fileName));
  const groupOf = new Map(groups.flatMap((g) => g.names.map((n) => [n, g] as const)));
  const sets: MeasurementSet[] = [];
  const done = new Set<string>();
  for (const f of files) {
    const g = groupOf.get(f.fileName);
    if (!g) sets.push({ name: f.fileName, files: [f], combined: null });
    else if (!done.has(g.template)) {
      done.add(g.template);
      sets.push({ name: shardSetName(g.names), files: g.names.map((n) => byName.get(n)!), combined: 'shard-names' });
    }
  }
  return sets;
}

/** Names as given, made unique: two files of the same name from different folders keep their paths. */
function openedNames(paths: string[], names: string[]): string[] {
  return names.map((n, i) => (names.filter((m) => m === n).length > 1 ? paths[i] : n));
}

export async function measureCommand(paths: string[], flags: MeasureFlags & { array?: string; json?: boolean; report?: string; shards?: boolean; 'top-predictors'?: string }, backend: BackendInfo): Promise<void> {
  const { settings, preset } = settingsFromFlags(flags);
  const topPredictors = flags['top-predictors'] === undefined ? undefined : parsePositiveInt('--top-predictors', flags['top-predictors'], 0);
  // every file is opened (headers only) before anything is measured: a bad one fails in seconds, not after the others
  const opened: Opened[] = [];
  for (const path of paths) {
    const file = await openFile(path);
    opened.push({ fileName: file.fileName, array: pickArray(file, flags.array) });
  }
  openedNames(paths, opened.map((o) => o.fileName)).forEach((name, i) => (opened[i].fileName = name));
  const sets = measurementSets(opened, flags.shards ?? false);
  for (const set of sets) {
    if (set.combined) {
      const why = set.combined === 'asked' ? '--shards' : 'their names differ only by a shard number; measure them one by one with separate commands';
      process.stderr.write(`redundancy-lab: measuring ${set.files.map((f) => f.fileName).join(', ')} as shards of one set, '${set.name}' (${why})\n`);
    }
  }
  const results = [];
  for (const set of sets) {
    const array = set.files.length === 1 ? set.files[0].array : concatenateShards(set.files);
    const progress = CliProgress.forStderr(!flags.quiet);
    const result = await measureArray(array, set.name, settings, { backend, topPredictors, onProgress: progress?.listener });
    progress?.clear();
    const shards = set.combined ? { shards: { files: set.files.map((f) => f.fileName), combined: set.combined } } : {};
    results.push({ set, array, result: { ...result, preset, ...shards } });
  }
  if (flags.json) {
    const out = results.map((r) => r.result);
    process.stdout.write(`${JSON.stringify(out.length === 1 ? out[0] : out, null, 2)}\n`);
  } else {
    const tables = results.map((r) => `${results.length > 1 ? `== ${r.set.name} ==\n` : ''}${formatResultTable(r.result, r.array.dtype, preset)}`);
    process.stdout.write(`${tables.join('\n\n')}\n`);
  }
  if (flags.report) {
    await writeReport(flags.report, { files: results.map((r) => ({ name: r.set.name, result: r.result, preset: presetName(preset) })) }, flags.quiet);
  }
}
