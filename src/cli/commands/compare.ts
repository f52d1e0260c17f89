import { linearCkaMatrices } from '../../core/index.ts';
import { openFile, pickArray } from '../openArray.ts';

export interface CompareFlags {
  array?: string;
  json?: boolean;
}

/** redundancy-lab compare A B [C …]: linear CKA (and debiased) between every pair of files with the same rows. */
export async function compareCommand(paths: string[], flags: CompareFlags): Promise<void> {
  const names: string[] = [];
  const matrices = [];
  for (const path of paths) {
    const opened = await openFile(path);
    const array = pickArray(opened, flags.array);
    names.push(opened.fileName);
    matrices.push(await array.read());
  }
  const { linearCka, linearCkaDebiased } = linearCkaMatrices(matrices, names);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ files: names, n: matrices[0].rows, d: matrices.map((m) => m.cols), linearCka, linearCkaDebiased }, null, 2)}\n`);
    return;
  }
  const width = Math.max(...names.map((s) => s.length), 4);
  const table = (title: string, m: number[][]) =>
    `${title}\n${' '.repeat(width + 4)}${names.map((_, j) => `[${j + 1}]`.padStart(8)).join('')}\n` +
    m.map((row, i) => `${`[${i + 1}] ${names[i]}`.padEnd(width + 4)}${row.map((v) => v.toFixed(4).padStart(8)).join('')}`).join('\n');
  process.stdout.write(
    `${table('linear CKA (Kornblith et al. 2019), on the centred features', linearCka)}\n\n` +
      `${table('linear CKA, debiased estimator (unbiased HSIC): near 0 for unrelated representations at any N', linearCkaDebiased)}\n` +
      `${matrices[0].rows} rows, the same in every file (row i is the same sample everywhere).\n`,
  );
}
