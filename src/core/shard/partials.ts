/**
 * A measurement split over the tasks of SLURM arrays: what one task computes from its rows (a part), and how the
 * parts are merged — always in task order, so the merge is deterministic whatever order the parts arrived in.
 *
 *   moments: per split, count, mean and the centred scatter Σ (x − μ_task)(x − μ_task)ᵀ about the task's own mean;
 *            merged by Chan's pairwise update (exact in exact arithmetic; float64 rounding ~1e-16 relative).
 *   ridge:   LR's sums over the rows (LOO squared errors per α and dim; the held-out SSE where it comes from rows);
 *            merged by summing. The inverses they need are recomputed by every task from the merged moments.
 *   nlr:     the heads of the task's part of the NLR dims; merged by concatenation (heads are independent).
 * measureArray does the math of each pass (options.sharded says what is given and where a task stops).
 */
import type { ArrayHandle } from '../io/types.ts';
import { RedundancyLabError } from '../errors.ts';
import { assignRows, splitMeans, splitScatter, type RowAssignment } from '../measures/splitScatter.ts';
import type { FinishedNlrDims, MeasureSettings, RidgeRowSums, SplitStatistics } from '../measures/types.ts';
import { authorsScriptRows } from '../measures/authorsScript.ts';
import { permutedColumns } from '../measures/nullBaseline.ts';
import { sklearnTrainTestSplit } from '../numerics/split.ts';
import { rowRange } from './ranges.ts';

/** One task's moments part: counts, its own means and its centred scatter matrices, per split. */
export interface MomentsPart {
  d: number;
  nTrain: number;
  nTest: number;
  meanTrain: Float64Array;
  meanTest: Float64Array;
  scatterTrain: Float64Array;
  scatterTest: Float64Array;
}

/** Pass "moments" of one task: rows [start, end) of the (prepared) array, split as in the whole file. */
export async function momentsPart(array: ArrayHandle, rows: RowAssignment, start: number, end: number, fileName: string, blockRows = 4096): Promise<MomentsPart> {
  const d = array.cols;
  const part = rowRange(array, start, end);
  const m = await splitMeans(part, rows, fileName, blockRows, () => {});
  // an empty split in this range has no mean (0/0): its zero scatter and count 0 drop out of the merge
  const meanTrain = m.nTrain > 0 ? m.meanTrain : new Float64Array(d);
  const meanTest = m.nTest > 0 ? m.meanTest : new Float64Array(d);
  const moments = { nTrain: m.nTrain, nTest: m.nTest, meanTrain, meanTest };
  const s = await splitScatter(part, rows, moments, blockRows, () => {});
  return { d, nTrain: m.nTrain, nTest: m.nTest, meanTrain, meanTest, scatterTrain: s.train, scatterTest: s.test };
}

/** Chan's pairwise update of one split: (n, μ, S) ← (n_a + n_b, μ_a + δ n_b/n, S_a + S_b + δδᵀ n_a n_b / n). */
function chan(acc: { n: number; mean: Float64Array; scatter: Float64Array }, n: number, mean: Float64Array, scatter: Float64Array): void {
  if (n === 0) return;
  const d = mean.length;
  const total = acc.n + n;
  const delta = Float64Array.from(mean, (v, j) => v - acc.mean[j]);
  const w = (acc.n * n) / total;
  for (let i = 0; i < d; i++) {
    const row = i * d;
    const wi = w * delta[i];
    for (let j = 0; j < d; j++) acc.scatter[row + j] += scatter[row + j] + wi * delta[j];
  }
  for (let j = 0; j < d; j++) acc.mean[j] += (delta[j] * n) / total;
  acc.n = total;
}

/** The parts of pass "moments" merged in task order (parts[i] is task i's): passes 1–2 of the whole file. */
export function mergeMoments(parts: readonly MomentsPart[]): SplitStatistics {
  const d = parts[0].d;
  const train = { n: 0, mean: new Float64Array(d), scatter: new Float64Array(d * d) };
  const test = { n: 0, mean: new Float64Array(d), scatter: new Float64Array(d * d) };
  for (const p of parts) {
    if (p.d !== d) throw new RedundancyLabError('bad-option', `moments parts of ${p.d} and ${d} dims cannot be merged`);
    chan(train, p.nTrain, p.meanTrain, p.scatterTrain);
    chan(test, p.nTest, p.meanTest, p.scatterTest);
  }
  return { moments: { nTrain: train.n, nTest: test.n, meanTrain: train.mean, meanTest: test.mean }, scatter: { train: train.scatter, test: test.scatter } };
}

/** The parts of pass "ridge" summed in task order; null where LR was not run (every part null). */
export function mergeRidgeSums(parts: readonly (RidgeRowSums | null)[]): RidgeRowSums | null {
  const given = parts.filter((p): p is RidgeRowSums => p !== null);
  if (given.length === 0) return null;
  if (given.length !== parts.length) throw new RedundancyLabError('bad-option', `${parts.length - given.length} of ${parts.length} ridge parts have no LR sums`);
  const loo = new Float64Array(given[0].loo.length);
  const heldOut = given[0].heldOut ? new Float64Array(given[0].heldOut.length) : null;
  for (const p of given) {
    if (p.loo.length !== loo.length || (p.heldOut?.length ?? -1) !== (heldOut?.length ?? -1)) throw new RedundancyLabError('bad-option', 'ridge parts of different sizes cannot be merged');
    for (let i = 0; i < loo.length; i++) loo[i] += p.loo[i];
    if (heldOut && p.heldOut) for (let i = 0; i < heldOut.length; i++) heldOut[i] += p.heldOut[i];
  }
  return { loo, heldOut };
}

/** The heads of pass "nlr" from every task (task order), with their GFLOP summed. */
export function mergeNlrHeads(parts: readonly (FinishedNlrDims & { gflop: number })[]): FinishedNlrDims & { gflop: number } {
  const out: FinishedNlrDims & { gflop: number } = { dims: [], heldOutR2: [], trainingState: [], scoredEpoch: [], lossByEpoch: [], monitorByEpoch: [], gflop: 0 };
  for (const p of parts) {
    out.dims.push(...p.dims);
    out.heldOutR2.push(...p.heldOutR2);
    out.trainingState.push(...p.trainingState);
    out.scoredEpoch.push(...p.scoredEpoch);
    out.lossByEpoch.push(...p.lossByEpoch);
    out.monitorByEpoch.push(...p.monitorByEpoch);
    out.gflop += p.gflop;
  }
  if (new Set(out.dims).size !== out.dims.length) throw new RedundancyLabError('bad-option', 'NLR parts train the same dim twice');
  return out;
}

/** A moments part as one float64 vector (the task's binary file): [nTrain, nTest, μ_train, μ_test, S_train, S_test]. */
export function encodeMoments(p: MomentsPart): Float64Array {
  const d = p.d;
  const out = new Float64Array(2 + 2 * d + 2 * d * d);
  out[0] = p.nTrain;
  out[1] = p.nTest;
  out.set(p.meanTrain, 2);
  out.set(p.meanTest, 2 + d);
  out.set(p.scatterTrain, 2 + 2 * d);
  out.set(p.scatterTest, 2 + 2 * d + d * d);
  return out;
}

export function decodeMoments(v: Float64Array, d: number): MomentsPart {
  if (v.length !== 2 + 2 * d + 2 * d * d) throw new RedundancyLabError('bad-option', `a moments part of ${v.length} values is not one of ${d} dims`);
  const at = (from: number, length: number) => v.slice(from, from + length);
  return { d, nTrain: v[0], nTest: v[1], meanTrain: at(2, d), meanTest: at(2 + d, d), scatterTrain: at(2 + 2 * d, d * d), scatterTest: at(2 + 2 * d + d * d, d * d) };
}

/** Ridge sums as one float64 vector: [loo…, heldOut…] (heldOut absent when null). */
export function encodeRidge(s: RidgeRowSums): Float64Array {
  const out = new Float64Array(s.loo.length + (s.heldOut?.length ?? 0));
  out.set(s.loo, 0);
  if (s.heldOut) out.set(s.heldOut, s.loo.length);
  return out;
}

export function decodeRidge(v: Float64Array, looLength: number, hasHeldOut: boolean): RidgeRowSums {
  if (v.length !== looLength * (hasHeldOut ? 2 : 1)) throw new RedundancyLabError('bad-option', `a ridge part of ${v.length} values does not hold ${looLength} LOO sums${hasHeldOut ? ' and as many held-out' : ''}`);
  return { loo: v.slice(0, looLength), heldOut: hasHeldOut ? v.slice(looLength) : null };
}

/**
 * The rows a split run's passes read, as measureArray reads them: the file prepared for the protocol (the authors'
 * script drops the first row), and the null baseline's column-permuted copy of it (permuted by chunk, so a task's
 * row range of it is the same rows whichever block size reads it).
 */
export function shardInputs(array: ArrayHandle, settings: MeasureSettings): { rows: ArrayHandle; nullRows: ArrayHandle; assignment: RowAssignment } {
  const rows = settings.protocol === 'authors-script' ? authorsScriptRows(array) : array;
  const split = sklearnTrainTestSplit(rows.rows, settings.testFraction, settings.splitSeed);
  return { rows, nullRows: permutedColumns(rows, settings.splitSeed), assignment: assignRows(split, rows.rows) };
}
