/**
 * The command line over the same core as the browser app (WASM backend in Node).
 *   redundancy-lab measure FILE [flags]       AAC, LR, NLR (+ extras) of one embedding array
 *   redundancy-lab probe FILE --labels L      held-out linear-probe accuracy
 *   redundancy-lab study DIR|FILE... [flags]  every model: measures + probe accuracy, and their correlations
 *   redundancy-lab compare A B [C...]         linear CKA between representations of the same rows
 *   redundancy-lab shard | shard-run | merge | slurm   one measurement split over SLURM array tasks (commands/shard.ts)
 */
import { parseArgs } from 'node:util';
import { MEASURE_FLAG_SPECS } from './measureFlags.ts';
// only what parsing and errors need is loaded up front (lite: no tfjs); the compute is imported when a command runs,
// so --version and --help answer at once
import { isRedundancyLabError, RedundancyLabError, VERSION, type BackendName } from '../core/lite.ts';

const USAGE = `usage: redundancy-lab measure FILE [FILE...] [options]   (several files: one result each; --json: an array)
       redundancy-lab probe FILE [--labels LABELS] [--array NAME] [--labels-array NAME] [--seed S] [--json]
       redundancy-lab compare A B [C...] [--array NAME] [--json]   linear CKA (and debiased) between every pair; same rows
       redundancy-lab study DIR|FILE...|--layers FILE [--labels LABELS] [--out study.csv|study.json] [--csv] [--splits K] [--report FILE.html] [measure options]
       redundancy-lab shard FILE --shards K --work DIR [measure options]   plan one measurement as K tasks per pass
       redundancy-lab shard-run DIR [--task I] [--pass P]   task I (default $SLURM_ARRAY_TASK_ID) of the next pending pass
       redundancy-lab merge DIR [--json]   the result (as measure's) once every pass is done; exit 3 names the next pass
       redundancy-lab slurm FILE --shards K [--work DIR] [--sbatch "…"] [--backend webgpu] [--dry-run] [measure options]
                         writes the plan and submits one sbatch array per pass (--dependency=afterok) and a merge job

Measures how redundant an embedding matrix (N samples × D dims) is: AAC, LR (held-out ridge R²),
NLR (held-out MLP R²), as in Zollikofer et al. (arXiv 2412.01926).
FILE: .npy .npz .pt/.pth .safetensors .csv/.tsv/.txt .parquet (detected from the content)

measure options (they edit the preset; the output names it):
  --preset NAME         quick (default, as the app: AAC + LR as the paper, NLR on 16 dims, Adam with early
                        stopping on validation rows, ≤ 10,000 rows) | paper (the authors' protocol: NLR on every
                        dim, 100 epochs SGD)
  --array NAME          which array of a multi-array file (npz, pt, safetensors, parquet)
  --shards              (measure) the files are shards of one set (same D): rows stacked in shard-number
                        order, one result. Without it, only files whose names differ by a shard number alone
                        (emb_rank0.npy, emb_rank1.npy …) are combined, and stderr and the JSON ("shards") say so
  --measures LIST       comma list of aac,lr,nlr (default: all three)
  --nlr-dims SEL        all | fraction (0.2: the authors' 20%) | count (64) | list (3,17,42)
  --epochs N            NLR training epochs (with early stopping: the cap)
  --optimizer sgd|adam  sgd = the paper's plain SGD lr 0.01; adam = better trained (lr 1e-3)
  --nlr-rows N          train NLR on a seeded sample of N rows (large files)
  --seed S              split / NLR-dim / init seed (default 0: the authors' random_state)
  --protocol P          corrected (default) | authors-script: the released script's quirks, to match a
                        published number (their whole pipeline: raw embeddings z-scored as their corr.py does
                        and read back as pandas reads them, first row dropped, NaN → 0, dead dims scored R² = 1 …)
  --authors-input I     with --protocol authors-script: auto (default: their standardised CSV when every column
                        has mean ≈ 0 and std ≈ 1 or is all zero, else raw) | raw (embeddings: through their
                        corr.py first) | standardised (their data_standardized.csv, read as it is)
  --backend NAME        wasm (default), cpu, or webgpu: NLR and the probe on this machine's GPU through Dawn
                        (the optional package "webgpu" and a Vulkan driver); AAC and LR are float64 on the CPU
  --top-predictors K    (measure) per dim, its K inputs with the largest |standardised ridge coefficient| at its
                        chosen α, with the ridge partial correlation (--json: lr.topPredictors; default 5, 0: none)
  --threads N           threads for the float64 step (Gram, ridge products, inverses; default: every core);
                        the numbers are identical whatever N. tfjs's WASM backend (NLR) has 1 thread in Node
  --json                print the full result as JSON
  --report FILE.html    (measure, study) also write a self-contained HTML report: tables, warnings, settings,
                        versions and SVG charts; no script, no external request (opens offline)
  --quiet, -q           no progress on stderr (off a terminal it prints a line every 5 s)
  --csv                 (study) print the table as CSV instead of a readable table
  --layers              (study) one FILE: each of its 2-D arrays (the layers of one .npz) is a model
  --splits K            (study) re-measure LR/NLR on K split seeds: a 95% interval per model
  --version             print the version`;

export async function main(argv: string[]): Promise<number> {
  // shard, shard-run, merge, slurm: their own flags (--shards K takes a count there)
  if (['shard', 'shard-run', 'merge', 'slurm'].includes(argv[0])) {
    try {
      const { shardCommand } = await import('./commands/shard.ts');
      const { selectNodeBackend, startNodeLinalgThreads } = await import('../node/index.ts');
      const threads = argv.indexOf('--threads');
      await startNodeLinalgThreads(parseThreads(threads >= 0 ? argv[threads + 1] : undefined));
      return await shardCommand(argv[0], argv.slice(1), async (name) => selectNodeBackend(parseBackend(name)));
    } catch (e) {
      return failure(e);
    }
  }
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...MEASURE_FLAG_SPECS,
        labels: { type: 'string' },
        'labels-array': { type: 'string' },
        out: { type: 'string' },
        report: { type: 'string' },
        splits: { type: 'string' },
        csv: { type: 'boolean', default: false },
        shards: { type: 'boolean', default: false },
        layers: { type: 'boolean', default: false },
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
    const one = () => {
      if (files.length !== 1) throw new RedundancyLabError('bad-option', `'${command}' takes one FILE, got ${files.length}`);
      return files[0];
    };
    if (!['measure', 'probe', 'study', 'compare'].includes(command)) throw new RedundancyLabError('bad-option', `unknown command '${command}'; use measure, probe, study, compare, shard, shard-run, merge or slurm`);
    if (command === 'compare') {
      if (files.length < 2) throw new RedundancyLabError('bad-option', `'compare' needs at least two files of the same rows, got ${files.length}`);
      const { startNodeLinalgThreads } = await import('../node/index.ts');
      await startNodeLinalgThreads(parseThreads(flags.threads));
      await (await import('./commands/compare.ts')).compareCommand(files, flags);
      return 0;
    }
    const file = command === 'probe' ? one() : '';
    if (command !== 'probe' && files.length === 0) throw new RedundancyLabError('bad-option', `'${command}' needs ${command === 'study' ? 'a folder or files' : 'a FILE (or several)'}`);
    if (flags.report !== undefined) {
      if (command === 'probe') throw new RedundancyLabError('bad-option', `--report: only 'measure' and 'study' write a report`);
      const { checkReportPath } = await import('./report.ts');
      await checkReportPath(flags.report);
    }
    const { selectNodeBackend, startNodeLinalgThreads } = await import('../node/index.ts');
    await startNodeLinalgThreads(parseThreads(flags.threads));
    const backend = await selectNodeBackend(parseBackend(flags.backend));
    if (command === 'measure') await (await import('./commands/measure.ts')).measureCommand(files, flags, backend);
    else if (command === 'probe') await (await import('./commands/probe.ts')).probeCommand(file, flags, backend);
    else await (await import('./commands/study.ts')).studyCommand(files, flags, backend);
    return 0;
  } catch (e) {
    return failure(e);
  }
}

/** The exit code and message of a failed command: 1 for the user's errors, 70 for ours. */
async function failure(e: unknown): Promise<number> {
  {
    if (isRedundancyLabError(e)) {
      process.stderr.write(`redundancy-lab: ${e.message}\n`);
      return 1;
    }
    const lost = (await import('../node/index.ts')).nodeGpuLost();
    if (lost) {
      process.stderr.write(`redundancy-lab: the GPU device was lost during the run (${lost}); nothing from it was kept. Run again, or use --backend wasm\n`);
      return 1;
    }
    process.stderr.write(`redundancy-lab: internal error: ${(e as Error)?.stack ?? e}\n`);
    return 70;
  }
}

/** --threads N: the float64 kernel's threads (default: every core the process may use). */
function parseThreads(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new RedundancyLabError('bad-option', `--threads: '${value}' is not a whole number from 1 to 64`);
  return n;
}

function parseBackend(name: string | undefined): BackendName | undefined {
  if (name === undefined) return undefined;
  if (name === 'wasm' || name === 'cpu' || name === 'webgpu') return name;
  throw new RedundancyLabError('bad-option', `--backend: '${name}' is not available in Node; use wasm, cpu or webgpu (the browser app also has webgl)`);
}
