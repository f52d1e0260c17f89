/**
 * One measurement past one machine, with SLURM as the engine (issue 19): a plan in a work folder, passes whose
 * tasks each write a part (atomically: temp file + rename), and a merge that equals `measure` on one machine.
 *   shard FILE --shards K --work DIR [measure options]   writes DIR/plan.json
 *   shard-run DIR [--task I] [--pass P]                   task I (default $SLURM_ARRAY_TASK_ID) of the next pending pass
 *   merge DIR [--json]                                    exit 0 with measure's result, or 3 naming the next pass
 *   slurm FILE --shards K [--work DIR] [--sbatch "…"]     the plan, one dependent sbatch array per pass, and a merge job
 * The passes: moments, ridge, nlr, then the same three on the null baseline's column-permuted copy
 * (core/shard/partials.ts says what each part holds).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  decodeMoments,
  decodeRidge,
  encodeMoments,
  encodeRidge,
  measureArray,
  mergeMoments,
  mergeNlrHeads,
  mergeRidgeSums,
  momentsPart,
  partRange,
  RedundancyLabError,
  rowRange,
  shardInputs,
  VERSION,
  type ArrayHandle,
  type BackendInfo,
  type FinishedNlrDims,
  type MeasureSettings,
  type RidgeRowSums,
  type ShardedRun,
  type SplitStatistics,
} from '../../core/index.ts';
import { MEASURE_FLAG_SPECS } from '../measureFlags.ts';
import { parsePositiveInt, settingsFromFlags, type PresetUse } from '../options.ts';
import { formatResultTable } from '../format.ts';
import { openFile, pickArray } from '../openArray.ts';

export const PASSES = ['moments', 'ridge', 'nlr', 'null-moments', 'null-ridge', 'null-nlr'] as const;
export type PassName = (typeof PASSES)[number];

/** What identifies the file a plan was made for: its size, array shape and type, and a hash of its first and last MiB. */
interface Fingerprint {
  bytes: number;
  array: string;
  shape: number[];
  dtype: string;
  sha256: string;
}

export interface Plan {
  kind: 'redundancy-lab shard plan';
  version: string;
  file: string;
  fileName: string;
  fingerprint: Fingerprint;
  settings: MeasureSettings;
  preset: PresetUse;
  topPredictors: number | null;
  shards: number;
  /** rows [start, end) of each task (after the protocol's preparation: the authors' script drops row 0) */
  rows: [number, number][];
  passes: PassName[];
  nlrDims: string;
  backend: string | null;
}

/** A task's part: its meta (this JSON) and, for moments and ridge, a float64 file checked by size and hash. */
interface PartMeta {
  kind: 'redundancy-lab shard part';
  pass: PassName;
  task: number;
  plan: string;
  fingerprint: Fingerprint;
  settings: MeasureSettings;
  shards: number;
  data: { file: string; bytes: number; sha256: string } | null;
  ridge?: { looLength: number; hasHeldOut: boolean } | null;
  heads?: (FinishedNlrDims & { gflop: number }) | null;
  /** nothing to do for this pass (e.g. no LR, so no null baseline) */
  empty?: boolean;
  seconds: number;
}

const OPTIONS = {
  ...MEASURE_FLAG_SPECS,
  shards: { type: 'string' },
  work: { type: 'string' },
  task: { type: 'string' },
  pass: { type: 'string' },
  sbatch: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
} as const;

type Flags = ReturnType<typeof parseShardArgs>['values'];

function parseShardArgs(argv: string[]) {
  // --sbatch "--time=1:00 --gres=gpu:1": its value starts with a dash, which parseArgs takes for a flag
  const args = argv.flatMap((a, i) => (a === '--sbatch' && i + 1 < argv.length ? [`--sbatch=${argv[i + 1]}`] : argv[i - 1] === '--sbatch' ? [] : [a]));
  try {
    return parseArgs({ args, allowPositionals: true, options: OPTIONS });
  } catch (e) {
    throw new RedundancyLabError('bad-option', (e as Error).message);
  }
}

export const SHARD_COMMANDS = ['shard', 'shard-run', 'merge', 'slurm'];

/** Runs one of SHARD_COMMANDS; returns the exit code (merge: 3 while passes are pending). */
export async function shardCommand(command: string, argv: string[], backendFor: (name: string | undefined) => Promise<BackendInfo>): Promise<number> {
  const { values: flags, positionals } = parseShardArgs(argv);
  const one = (what: string) => {
    if (positionals.length !== 1) throw new RedundancyLabError('bad-option', `'${command}' takes one ${what}, got ${positionals.length}`);
    return positionals[0];
  };
  if (command === 'shard') {
    const dir = requireFlag(flags.work, '--work DIR', command);
    const { plan, status } = await writePlan(one('FILE'), dir, flags);
    process.stdout.write(`${status} ${join(resolve(dir), 'plan.json')}: ${plan.shards} tasks per pass (${plan.passes.join(', ')}); run each with: redundancy-lab shard-run ${dir} --task I\n`);
    return 0;
  }
  if (command === 'slurm') return slurmCommand(one('FILE'), flags);
  const dir = one('work folder DIR');
  const plan = await readPlan(dir);
  if (command === 'shard-run') return shardRun(dir, plan, flags, backendFor);
  return merge(dir, plan, flags, await backendFor(flags.backend));
}

function requireFlag(value: string | undefined, what: string, command: string): string {
  if (value === undefined) throw new RedundancyLabError('bad-option', `'${command}' needs ${what}`);
  return value;
}

// ---- the plan ----

async function fingerprintOf(path: string, array: ArrayHandle): Promise<Fingerprint> {
  const bytes = (await stat(path)).size;
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  try {
    const MIB = 2 ** 20;
    for (const start of bytes > 2 * MIB ? [0, bytes - MIB] : [0]) {
      const buffer = Buffer.alloc(Math.min(bytes, bytes > 2 * MIB ? MIB : bytes));
      await handle.read(buffer, 0, buffer.length, start);
      hash.update(buffer);
    }
  } finally {
    await handle.close();
  }
  return { bytes, array: array.name, shape: [...array.shape], dtype: array.dtype, sha256: hash.digest('hex') };
}

/** The plan's identity: what every part must have been made for. */
function planDigest(p: Pick<Plan, 'fingerprint' | 'settings' | 'topPredictors' | 'shards' | 'rows'>): string {
  return createHash('sha256').update(JSON.stringify([p.fingerprint, p.settings, p.topPredictors, p.shards, p.rows])).digest('hex').slice(0, 16);
}

/** Names what differs between two plans' (or a plan's and a part's) fingerprint and settings, e.g. `settings.mlp.epochs (10 vs 5)`. */
function differences(a: Record<string, unknown>, b: Record<string, unknown>, prefix: string): string[] {
  const out: string[] = [];
  for (const key of new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])) {
    const x = a?.[key];
    const y = b?.[key];
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    if (x && y && typeof x === 'object' && typeof y === 'object' && !Array.isArray(x)) out.push(...differences(x as Record<string, unknown>, y as Record<string, unknown>, `${prefix}${key}.`));
    else out.push(`${prefix}${key} (${short(x)} vs ${short(y)})`);
  }
  return out;
}

const short = (v: unknown) => {
  const s = JSON.stringify(v) ?? 'none';
  return s.length > 40 ? `${s.slice(0, 37)}…` : s;
};

async function openArray(path: string, arrayName: string | undefined): Promise<{ fileName: string; array: ArrayHandle }> {
  const file = await openFile(path);
  return { fileName: file.fileName, array: pickArray(file, arrayName) };
}

async function writePlan(path: string, dir: string, flags: Flags): Promise<{ plan: Plan; status: string }> {
  const shards = parsePositiveInt('--shards', requireFlag(flags.shards, '--shards K', 'shard'));
  const { settings, preset } = settingsFromFlags(flags);
  // the authors' whole pipeline z-scores every column over all rows first (float32, as their corr.py), before any
  // split statistic: the passes over row ranges do not reproduce it, so it is measured on one machine only
  if (settings.protocol === 'authors-script') {
    throw new RedundancyLabError('bad-option', `--protocol authors-script is measured on one machine only (their pipeline z-scores every column over all rows before the split): run redundancy-lab measure FILE --protocol authors-script`);
  }
  const topPredictors = flags['top-predictors'] === undefined ? null : parsePositiveInt('--top-predictors', flags['top-predictors'], 0);
  const { fileName, array } = await openArray(path, flags.array);
  const { rows } = shardInputs(array, settings);
  if (rows.rows < shards) throw new RedundancyLabError('bad-option', `--shards ${shards}: more tasks than the ${rows.rows} rows`, fileName);
  const plan: Plan = {
    kind: 'redundancy-lab shard plan',
    version: VERSION,
    file: resolve(path),
    fileName,
    fingerprint: await fingerprintOf(path, array),
    settings,
    preset,
    topPredictors,
    shards,
    rows: Array.from({ length: shards }, (_, i) => partRange(rows.rows, i, shards)),
    passes: passesFor(settings),
    nlrDims: `task I trains part I of ${shards} (contiguous) of the dims NLR selects; they are known once pass 'moments' is done (the usable dims)`,
    backend: flags.backend ?? null,
  };
  const at = join(dir, 'plan.json');
  if (existsSync(at)) {
    const old = JSON.parse(await readFile(at, 'utf8')) as Plan;
    const diff = differences({ ...old, version: undefined } as never, { ...plan, version: undefined } as never, '');
    if (diff.length) throw new RedundancyLabError('bad-option', `${at} holds another plan: ${diff.join(', ')}; use another --work folder (or remove this one)`);
    return { plan: old, status: 'plan unchanged:' };
  }
  await mkdir(dir, { recursive: true });
  await writeAtomically(at, `${JSON.stringify(plan, null, 2)}\n`);
  return { plan, status: 'wrote' };
}

async function readPlan(dir: string): Promise<Plan> {
  const at = join(dir, 'plan.json');
  if (!existsSync(at)) throw new RedundancyLabError('bad-option', `no plan in ${dir} (${at} is missing); write one with: redundancy-lab shard FILE --shards K --work ${dir}`);
  const plan = JSON.parse(await readFile(at, 'utf8')) as Plan;
  if (plan.kind !== 'redundancy-lab shard plan') throw new RedundancyLabError('bad-option', `${at} is not a shard plan`);
  return plan;
}

/** The plan's file, refused when it is not the file the plan was made for. */
async function openPlannedFile(plan: Plan): Promise<{ fileName: string; array: ArrayHandle }> {
  const opened = await openArray(plan.file, plan.fingerprint.array || undefined);
  const now = await fingerprintOf(plan.file, opened.array);
  const diff = differences(plan.fingerprint as never, now as never, 'fingerprint.');
  if (diff.length) throw new RedundancyLabError('bad-option', `${plan.file} is not the file this plan was made for: ${diff.join(', ')} (plan vs now)`, plan.fileName);
  return opened;
}

// ---- parts ----

const partPath = (dir: string, pass: PassName, task: number, ext: string) => join(dir, pass, `task-${task}.${ext}`);

async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  await writeFile(temp, data);
  await rename(temp, path); // a killed task leaves a temp file at most, never a half part
}

/** A task's finished part, or null; a part made for another plan is refused, naming what differs. */
async function readPart(dir: string, plan: Plan, pass: PassName, task: number): Promise<PartMeta | null> {
  const at = partPath(dir, pass, task, 'json');
  if (!existsSync(at)) return null;
  const meta = JSON.parse(await readFile(at, 'utf8')) as PartMeta;
  if (meta.plan !== planDigest(plan)) {
    const diff = [
      ...differences(plan.fingerprint as never, meta.fingerprint as never, 'fingerprint.'),
      ...differences(plan.settings as never, meta.settings as never, 'settings.'),
      ...(plan.shards !== meta.shards ? [`shards (${plan.shards} vs ${meta.shards})`] : []),
    ];
    throw new RedundancyLabError('bad-option', `${at} was made for another plan (${diff.join(', ') || 'rows or top predictors'}: plan vs part); parts of different settings or files are not merged — remove it, or use the plan it was made for`);
  }
  if (meta.data) {
    const file = join(dir, pass, meta.data.file);
    if (!existsSync(file)) return null;
    const bytes = await readFile(file);
    if (bytes.length !== meta.data.bytes || sha256(bytes) !== meta.data.sha256) return null; // damaged: run again
  }
  return meta;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function partData(dir: string, meta: PartMeta): Promise<Float64Array> {
  const bytes = await readFile(join(dir, meta.pass, meta.data!.file));
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

async function writePart(dir: string, plan: Plan, pass: PassName, task: number, part: { data?: Float64Array; ridge?: PartMeta['ridge']; heads?: PartMeta['heads']; empty?: boolean }, seconds: number): Promise<void> {
  await mkdir(join(dir, pass), { recursive: true });
  let data: PartMeta['data'] = null;
  if (part.data) {
    const bytes = new Uint8Array(part.data.buffer, part.data.byteOffset, part.data.byteLength);
    const file = `task-${task}.f64`;
    await writeAtomically(join(dir, pass, file), bytes);
    data = { file, bytes: bytes.length, sha256: sha256(bytes) };
  }
  const meta: PartMeta = {
    kind: 'redundancy-lab shard part',
    pass,
    task,
    plan: planDigest(plan),
    fingerprint: plan.fingerprint,
    settings: plan.settings,
    shards: plan.shards,
    data,
    ...(part.ridge !== undefined ? { ridge: part.ridge } : {}),
    ...(part.heads !== undefined ? { heads: part.heads } : {}),
    ...(part.empty ? { empty: true } : {}),
    seconds,
  };
  await writeAtomically(partPath(dir, pass, task, 'json'), `${JSON.stringify(meta)}\n`);
}

/**
 * The passes with work for these settings: no ridge pass without LR, no NLR passes without NLR, no null baseline
 * without LR (it is LR's band) — so a plan never asks for tasks that do nothing.
 */
export function passesFor(settings: MeasureSettings): PassName[] {
  const lr = settings.measures.includes('lr');
  const nlr = settings.measures.includes('nlr');
  return PASSES.filter((p) => ({ moments: true, ridge: lr, nlr, 'null-moments': lr, 'null-ridge': lr, 'null-nlr': lr && nlr })[p]);
}

/** Per pass, the tasks whose parts are finished (a pass the plan does not hold: every part empty). */
async function passStates(dir: string, plan: Plan): Promise<Map<PassName, (PartMeta | null)[]>> {
  const out = new Map<PassName, (PartMeta | null)[]>();
  for (const pass of PASSES) {
    out.set(pass, plan.passes.includes(pass) ? await Promise.all(Array.from({ length: plan.shards }, (_, i) => readPart(dir, plan, pass, i))) : Array.from({ length: plan.shards }, () => ({ empty: true }) as PartMeta));
  }
  return out;
}

const nextPending = (states: Map<PassName, (PartMeta | null)[]>) => [...states].find(([, parts]) => parts.some((p) => p === null));

/** Every part of a pass, merged (all must be finished). */
async function mergedStatistics(dir: string, parts: (PartMeta | null)[], d: number): Promise<SplitStatistics | null> {
  if (parts.some((p) => p?.empty)) return null;
  return mergeMoments(await Promise.all(parts.map(async (p) => decodeMoments(await partData(dir, p!), d))));
}

async function mergedRidge(dir: string, parts: (PartMeta | null)[]): Promise<RidgeRowSums | null> {
  if (parts.some((p) => p?.empty || !p?.ridge)) return null;
  return mergeRidgeSums(await Promise.all(parts.map(async (p) => decodeRidge(await partData(dir, p!), p!.ridge!.looLength, p!.ridge!.hasHeldOut))));
}

const mergedHeads = (parts: (PartMeta | null)[]) => (parts.some((p) => p?.empty || !p?.heads) ? undefined : mergeNlrHeads(parts.map((p) => p!.heads!)));

// ---- shard-run ----

async function shardRun(dir: string, plan: Plan, flags: Flags, backendFor: (name: string | undefined) => Promise<BackendInfo>): Promise<number> {
  const taskText = flags.task ?? process.env.SLURM_ARRAY_TASK_ID;
  if (taskText === undefined) throw new RedundancyLabError('bad-option', `'shard-run' needs --task I (or $SLURM_ARRAY_TASK_ID, set in a SLURM array job)`);
  const task = parsePositiveInt('--task', taskText, 0);
  if (task >= plan.shards) throw new RedundancyLabError('bad-option', `--task ${task}: the plan has tasks 0…${plan.shards - 1}`);
  const states = await passStates(dir, plan);
  let pass: PassName;
  if (flags.pass !== undefined) {
    if (!(PASSES as readonly string[]).includes(flags.pass)) throw new RedundancyLabError('bad-option', `--pass: '${flags.pass}' is not one of ${PASSES.join(', ')}`);
    if (!plan.passes.includes(flags.pass as PassName)) throw new RedundancyLabError('bad-option', `--pass: this plan has no pass '${flags.pass}' (measures ${plan.settings.measures.join(',')}: passes ${plan.passes.join(', ')})`);
    pass = flags.pass as PassName;
  } else {
    const pending = nextPending(states);
    if (!pending) {
      process.stderr.write(`redundancy-lab: every pass is done; merge with: redundancy-lab merge ${dir}\n`);
      return 0;
    }
    pass = pending[0];
  }
  const before = plan.passes.slice(0, plan.passes.indexOf(pass));
  const unfinished = before.find((p) => states.get(p)!.some((x) => x === null));
  if (unfinished) throw new RedundancyLabError('bad-option', `pass '${pass}' needs pass '${unfinished}' done first (${states.get(unfinished)!.filter(Boolean).length} of ${plan.shards} tasks done)`);
  if (states.get(pass)![task]) {
    process.stderr.write(`redundancy-lab: task ${task} of pass '${pass}' is done already; nothing to do\n`);
    return 0;
  }
  const t0 = performance.now();
  // the plan's backend (--backend webgpu) is for the NLR passes; AAC's and LR's passes are float64 on the CPU
  const backend = await backendFor(flags.backend ?? (pass.endsWith('nlr') ? (plan.backend ?? undefined) : undefined));
  const { fileName, array } = await openPlannedFile(plan);
  const { rows, nullRows, assignment } = shardInputs(array, plan.settings);
  const [start, end] = plan.rows[task];
  const d = array.cols;
  const wantsLr = plan.settings.measures.includes('lr');
  const base = { rowsPrepared: true, extras: false, nullBaseline: false, topPredictors: 0, backend } as const;
  const run = (sharded: ShardedRun, nullBaseline = false) => measureArray(rows, fileName, plan.settings, { ...base, nullBaseline, sharded });
  const stats = async (p: PassName) => (await mergedStatistics(dir, states.get(p)!, d)) ?? undefined;
  const main = async (): Promise<ShardedRun> => ({ statistics: await stats('moments'), ridgeSums: (await mergedRidge(dir, states.get('ridge')!)) ?? undefined, nlrHeads: mergedHeads(states.get('nlr')!) });
  let part: Parameters<typeof writePart>[4] = { empty: true };
  const ridgeTask = (s: RidgeRowSums | null) => (part = s ? { data: encodeRidge(s), ridge: { looLength: s.loo.length, hasHeldOut: s.heldOut !== null } } : { ridge: null, empty: true });
  const nlrTask = { index: task, count: plan.shards, onHeads: (heads: FinishedNlrDims & { gflop: number }) => (part = { heads }) };
  switch (pass) {
    case 'moments':
      part = { data: encodeMoments(await momentsPart(rows, assignment, start, end, fileName)) };
      break;
    case 'ridge':
      await run({ statistics: await stats('moments'), rowSource: rowRange(rows, start, end), onRidgeSums: ridgeTask });
      break;
    case 'nlr':
      await run({ statistics: await stats('moments'), ridgeSums: (await mergedRidge(dir, states.get('ridge')!)) ?? undefined, nlrSlice: nlrTask });
      break;
    // the null baseline's passes: the main run's merged parts given, its own part computed (measureArray's null run)
    case 'null-moments':
      if (wantsLr) part = { data: encodeMoments(await momentsPart(nullRows, assignment, start, end, fileName)) };
      break;
    case 'null-ridge':
      if (wantsLr) await run({ ...(await main()), null: { statistics: await stats('null-moments'), rowSource: rowRange(nullRows, start, end), onRidgeSums: ridgeTask } }, true);
      break;
    case 'null-nlr':
      if (wantsLr) await run({ ...(await main()), null: { statistics: await stats('null-moments'), ridgeSums: (await mergedRidge(dir, states.get('null-ridge')!)) ?? undefined, nlrSlice: nlrTask } }, true);
      break;
  }
  const seconds = (performance.now() - t0) / 1000;
  await writePart(dir, plan, pass, task, part, seconds);
  const what = part.heads ? `NLR dims ${part.heads.dims.join(', ') || 'none'}` : part.empty ? 'nothing to do' : `rows ${start}–${end - 1}`;
  if (!flags.quiet) process.stderr.write(`redundancy-lab: task ${task} of pass '${pass}' done in ${seconds.toFixed(1)} s (${what})\n`);
  return 0;
}

// ---- merge ----

async function merge(dir: string, plan: Plan, flags: Flags, backend: BackendInfo): Promise<number> {
  const states = await passStates(dir, plan);
  const pending = nextPending(states);
  if (pending) {
    const [pass, parts] = pending;
    const left = parts.flatMap((p, i) => (p ? [] : [i]));
    process.stderr.write(`redundancy-lab: not finished: next pass '${pass}' (${plan.shards - left.length} of ${plan.shards} tasks done; tasks ${left.join(', ')} to run: redundancy-lab shard-run ${dir} --task I)\n`);
    return 3;
  }
  const { fileName, array } = await openPlannedFile(plan);
  const { rows } = shardInputs(array, plan.settings);
  const d = array.cols;
  const statistics = (await mergedStatistics(dir, states.get('moments')!, d))!;
  const nullStatistics = await mergedStatistics(dir, states.get('null-moments')!, d);
  const sharded: ShardedRun = {
    statistics,
    ridgeSums: (await mergedRidge(dir, states.get('ridge')!)) ?? undefined,
    nlrHeads: mergedHeads(states.get('nlr')!),
    null: nullStatistics ? { statistics: nullStatistics, ridgeSums: (await mergedRidge(dir, states.get('null-ridge')!)) ?? undefined, nlrHeads: mergedHeads(states.get('null-nlr')!) } : undefined,
  };
  const result = await measureArray(rows, fileName, plan.settings, { rowsPrepared: true, backend, topPredictors: plan.topPredictors ?? undefined, sharded });
  const out = { ...result, preset: plan.preset };
  if (flags.json) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  else process.stdout.write(`${formatResultTable(out, array.dtype, plan.preset)}\n`);
  if (!flags.quiet) process.stderr.write(`redundancy-lab: merged ${plan.shards} tasks × ${plan.passes.length} passes; timingsMs are the merge's own, nlr.gflop the tasks' sum\n`);
  return 0;
}

// ---- slurm ----

/** The CLI's own entry, for the job scripts (an absolute path: the cluster's nodes share the file system). */
function cliEntry(): string {
  let at = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++, at = dirname(at)) if (existsSync(join(at, 'bin', 'redundancy-lab.mjs'))) return join(at, 'bin', 'redundancy-lab.mjs');
  throw new RedundancyLabError('bad-option', 'cannot find bin/redundancy-lab.mjs beside the CLI');
}

/** Splits --sbatch "…" into arguments (whitespace; single or double quotes group). */
export function splitWords(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

const quote = (s: string) => (/^[\w./=:,@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

async function slurmCommand(path: string, flags: Flags): Promise<number> {
  const dir = resolve(flags.work ?? `${path.replace(/[/\\]+$/, '')}.shards`);
  const { plan, status } = await writePlan(path, dir, flags);
  const logs = join(dir, 'slurm');
  await mkdir(logs, { recursive: true });
  const run = [process.execPath, cliEntry()].map(quote).join(' ');
  const backend = flags.backend ? ` --backend ${quote(flags.backend)}` : '';
  const threads = flags.threads ? ` --threads ${quote(flags.threads)}` : '';
  const scripts: { name: string; path: string }[] = [];
  for (const pass of plan.passes) {
    const script = [
      '#!/bin/bash',
      `#SBATCH --job-name=rl-${pass}`,
      `#SBATCH --array=0-${plan.shards - 1}`,
      `#SBATCH --output=${logs}/${pass}-%a.out`,
      'set -euo pipefail',
      `# task $SLURM_ARRAY_TASK_ID of pass '${pass}' (a finished task does nothing when run again)`,
      `exec ${run} shard-run ${quote(dir)} --pass ${pass} --quiet${pass.endsWith('nlr') ? backend : ''}${threads}`,
      '',
    ].join('\n');
    const at = join(logs, `${pass}.sbatch`);
    await writeFile(at, script, { mode: 0o755 });
    scripts.push({ name: pass, path: at });
  }
  const mergeScript = join(logs, 'merge.sbatch');
  await writeFile(mergeScript, ['#!/bin/bash', '#SBATCH --job-name=rl-merge', `#SBATCH --output=${logs}/merge.out`, 'set -euo pipefail', `${run} merge ${quote(dir)} --json --quiet > ${quote(join(dir, 'result.json'))}.tmp`, `mv ${quote(join(dir, 'result.json'))}.tmp ${quote(join(dir, 'result.json'))}`, ''].join('\n'), { mode: 0o755 });
  scripts.push({ name: 'merge', path: mergeScript });
  const extra = flags.sbatch ? splitWords(flags.sbatch) : [];
  process.stdout.write(`${status} ${join(dir, 'plan.json')} (${plan.shards} tasks per pass)\n`);
  if (flags['dry-run']) {
    process.stdout.write(`job scripts in ${logs} (not submitted: --dry-run)\n`);
    return 0;
  }
  const ids: string[] = [];
  for (const s of scripts) {
    const args = ['--parsable', ...extra, ...(ids.length ? [`--dependency=afterok:${ids[ids.length - 1]}`] : []), s.path];
    const r = spawnSync('sbatch', args, { encoding: 'utf8' });
    if (r.error) throw new RedundancyLabError('bad-option', `sbatch could not be run (${(r.error as NodeJS.ErrnoException).code ?? r.error.message}): run this on a SLURM login node, or start a local cluster with scripts/slurm/local-cluster.sh start${ids.length ? `; jobs ${ids.join(', ')} were submitted` : ''}`);
    if (r.status !== 0) throw new RedundancyLabError('bad-option', `sbatch ${args.map(quote).join(' ')} failed: ${r.stderr.trim()}${ids.length ? `; jobs ${ids.join(', ')} were submitted (scancel them)` : ''}`);
    ids.push(r.stdout.trim().split(';')[0]);
    process.stdout.write(`submitted ${s.name.padEnd(12)} job ${ids[ids.length - 1]}${s.name === 'merge' ? '' : ` (array 0-${plan.shards - 1})`}\n`);
  }
  process.stdout.write(
    [
      `follow:  squeue -j ${ids.join(',')}`,
      `logs:    ${logs}/PASS-TASK.out`,
      `result:  ${join(dir, 'result.json')} (the merge job's), or at any time: redundancy-lab merge ${dir} --json (exit 3 names the next pass)`,
      '',
    ].join('\n'),
  );
  return 0;
}
