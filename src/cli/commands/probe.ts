import { DEFAULT_PROBE_RUN, probeArray, probeRunFor, RedundancyLabError, type BackendInfo } from '../../core/index.ts';
import { findLabels, openFile, pickArray } from '../openArray.ts';
import { parsePositiveInt } from '../options.ts';
import { CliProgress } from '../progress.ts';

export interface ProbeFlags {
  array?: string;
  labels?: string;
  'labels-array'?: string;
  seed?: string;
  json?: boolean;
  quiet?: boolean;
}

export async function probeCommand(path: string, flags: ProbeFlags, backend: BackendInfo): Promise<void> {
  const opened = await openFile(path);
  const array = pickArray(opened, flags.array);
  const found = await findLabels(opened, array.rows, flags.labels, flags['labels-array']);
  if (!found) throw new RedundancyLabError('bad-labels', 'no labels: pass --labels labels.npy (one integer class id per row)', opened.fileName);
  const seed = flags.seed === undefined ? DEFAULT_PROBE_RUN.splitSeed : parsePositiveInt('--seed', flags.seed, 0);
  const progress = CliProgress.forStderr(!flags.quiet);
  const started = performance.now();
  const result = await probeArray(array, found.labels, opened.fileName, probeRunFor({ splitSeed: seed, testFraction: DEFAULT_PROBE_RUN.testFraction }), { onProgress: progress ? (f, m) => progress.listener({ fraction: f, message: m }) : undefined });
  progress?.clear();
  const out = { file: opened.fileName, array: array.name, labels: found.source, n: array.rows, d: array.cols, ...result, splitSeed: seed, backend, timingsMs: { probe: performance.now() - started } };
  if (flags.json) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  else {
    process.stdout.write(
      `${opened.fileName}: linear probe (softmax regression), ${result.classes} classes, labels from ${found.source}\n` +
        `  held-out top-1 accuracy  ${(100 * result.accuracy).toFixed(2)}%   (majority class ${(100 * result.majorityBaseline).toFixed(1)}%, train ${(100 * result.trainAccuracy).toFixed(1)}%)\n` +
        `  λ = ${result.lambda} chosen on a validation part of the train split; ${result.nTrain} train / ${result.nTest} held-out rows (seed ${seed})\n`,
    );
  }
}
