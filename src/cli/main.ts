/**
 * redundancy-lab measure FILE [--array NAME] [--measures aac,lr,nlr] [--nlr-dims all|0.2|64|3,17,42]
 *                             [--epochs N] [--seed S] [--optimizer sgd|adam] [--nlr-rows N] [--json]
 * Same core as the browser app; runs on the WASM backend in Node.
 */
import { parseArgs } from 'node:util';
import { isRedundancyLabError, RedundancyLabError } from '../core/errors.ts';
import { openEmbeddingFile } from '../core/io/open.ts';
import type { ArrayHandle, OpenedFile } from '../core/io/types.ts';
import { measureArray } from '../core/measure.ts';
import { selectNodeBackend } from '../core/compute/node.ts';
import type { BackendName } from '../core/compute/backend.ts';
import { fileByteSource } from './fileSource.ts';
import { settingsFromFlags } from './options.ts';
import { formatResultTable } from './format.ts';
import { VERSION } from '../core/version.ts';

const USAGE = `usage: redundancy-lab measure FILE [options]

Measures how redundant an embedding matrix (N samples × D dims) is: AAC, LR (held-out ridge R²),
NLR (held-out MLP R²), as in Zollikofer et al. (arXiv 2412.01926).
FILE: .npy .npz .pt/.pth .safetensors .csv/.tsv/.txt .parquet (detected from the content)

options:
  --array NAME          which array of a multi-array file (npz, pt, safetensors, parquet)
  --measures LIST       comma list of aac,lr,nlr (default: all three)
  --nlr-dims SEL        all | fraction (0.2, default: the authors' 20%) | count (64) | list (3,17,42)
  --epochs N            NLR training epochs (default 100, the paper)
  --optimizer sgd|adam  sgd = the paper's plain SGD lr 0.01; adam = better trained (lr 1e-3)
  --nlr-rows N          train NLR on a seeded sample of N rows (large files)
  --seed S              split / NLR-dim / init seed (default 42 for the split, sklearn's random_state)
  --backend NAME        wasm (default) or cpu
  --json                print the full result as JSON
  --version             print the version`;

export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        array: { type: 'string' },
        measures: { type: 'string' },
        'nlr-dims': { type: 'string' },
        epochs: { type: 'string' },
        seed: { type: 'string' },
        optimizer: { type: 'string' },
        'nlr-rows': { type: 'string' },
        backend: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
    });
  } catch (e) {
    process.stderr.write(`redundancy-lab: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values: flags, positionals } = args;
  if (flags.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const [command, ...files] = positionals;
  if (flags.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return flags.help ? 0 : 2;
  }
  try {
    if (command !== 'measure') throw new RedundancyLabError('bad-option', `unknown command '${command}'; use 'measure'`);
    if (files.length !== 1) throw new RedundancyLabError('bad-option', `'measure' takes one FILE, got ${files.length}`);
    const settings = settingsFromFlags(flags);
    const opened = await openEmbeddingFile(await fileByteSource(files[0]));
    const array = pickArray(opened, flags.array);
    const backend = await selectNodeBackend(parseBackend(flags.backend));
    const progress = process.stderr.isTTY && !flags.json ? new TtyProgress() : null;
    const result = await measureArray(array, opened.fileName, settings, { backend, onProgress: progress ? (p) => progress.show(p.message, p.fraction) : undefined });
    progress?.clear();
    process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatResultTable(result, array.dtype)}\n`);
    return 0;
  } catch (e) {
    if (isRedundancyLabError(e)) {
      process.stderr.write(`redundancy-lab: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`redundancy-lab: internal error: ${(e as Error)?.stack ?? e}\n`);
    return 70;
  }
}

function parseBackend(name: string | undefined): BackendName | undefined {
  if (name === undefined) return undefined;
  if (name === 'wasm' || name === 'cpu') return name;
  throw new RedundancyLabError('bad-option', `--backend: '${name}' is not available in Node; use wasm or cpu (the browser app also has webgpu and webgl)`);
}

/** The named array, or the only / largest 2-D array when no name is given. */
export function pickArray(file: OpenedFile, name: string | undefined): ArrayHandle {
  const names = file.arrays.map((a) => `'${a.name}' (${a.shape.join('×')} ${a.dtype})`).join(', ');
  if (name !== undefined) {
    const found = file.arrays.find((a) => a.name === name);
    if (!found) throw new RedundancyLabError('bad-option', `no array named '${name}'; the file holds ${names || 'no arrays'}`, file.fileName);
    return found;
  }
  const candidates = file.arrays.filter((a) => a.shape.length >= 2);
  if (candidates.length === 0) {
    if (file.arrays.length === 1) return file.arrays[0]; // let the measure explain what is wrong with it
    throw new RedundancyLabError('bad-shape', `no 2-D array to measure; the file holds ${names || 'no arrays'}`, file.fileName);
  }
  return candidates.reduce((a, b) => (b.rows * b.cols > a.rows * a.cols ? b : a));
}

class TtyProgress {
  private last = 0;
  show(message: string, fraction: number): void {
    const t = Date.now();
    if (t - this.last < 100) return;
    this.last = t;
    process.stderr.write(`\r\x1b[K${(100 * fraction).toFixed(0).padStart(3)}%  ${message}`);
  }
  clear(): void {
    process.stderr.write('\r\x1b[K');
  }
}
