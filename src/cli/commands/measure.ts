import { concatenateShards, measureArray, type BackendInfo } from '../../core/index.ts';
import { settingsFromFlags, type MeasureFlags } from '../options.ts';
import { formatResultTable, presetName } from '../format.ts';
import { openFile, pickArray } from '../openArray.ts';
import { CliProgress } from '../progress.ts';
import { writeReport } from '../report.ts';

/** One file, or several files that are shards of one set (same D; rows taken in the order given). */
export async function measureCommand(paths: string[], flags: MeasureFlags & { array?: string; json?: boolean; report?: string }, backend: BackendInfo): Promise<void> {
  const { settings, preset } = settingsFromFlags(flags);
  const shards = [];
  for (const path of paths) {
    const opened = await openFile(path);
    shards.push({ fileName: opened.fileName, array: pickArray(opened, flags.array) });
  }
  const array = shards.length === 1 ? shards[0].array : concatenateShards(shards);
  const name = shards.length === 1 ? shards[0].fileName : `${shards.map((s) => s.fileName).join(' + ')}`;
  const progress = CliProgress.forStderr(!flags.quiet);
  const result = await measureArray(array, name, settings, { backend, onProgress: progress?.listener });
  progress?.clear();
  process.stdout.write(flags.json ? `${JSON.stringify({ ...result, preset }, null, 2)}\n` : `${formatResultTable(result, array.dtype, preset)}\n`);
  if (flags.report) await writeReport(flags.report, { files: [{ name, result, preset: presetName(preset) }] }, flags.quiet);
}
