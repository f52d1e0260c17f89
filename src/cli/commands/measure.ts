import { measureArray } from '../../core/measure.ts';
import type { BackendInfo } from '../../core/compute/backend.ts';
import { settingsFromFlags, type MeasureFlags } from '../options.ts';
import { formatResultTable } from '../format.ts';
import { openFile, pickArray } from '../openArray.ts';
import { TtyProgress } from '../progress.ts';

export async function measureCommand(path: string, flags: MeasureFlags & { array?: string; json?: boolean }, backend: BackendInfo): Promise<void> {
  const settings = settingsFromFlags(flags);
  const opened = await openFile(path);
  const array = pickArray(opened, flags.array);
  const progress = TtyProgress.forStderr(!flags.json);
  const result = await measureArray(array, opened.fileName, settings, { backend, onProgress: progress?.listener });
  progress?.clear();
  process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatResultTable(result, array.dtype)}\n`);
}
