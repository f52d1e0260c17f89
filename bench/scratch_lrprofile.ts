// scratch: where the exact LR's time goes at 10,000 × 512 vs the float32 path (delete after)
import { selectNodeBackend } from '../src/core/compute/node.ts';
import { inMemoryArray } from '../src/core/io/inMemory.ts';
import { PAPER_SETTINGS } from '../src/core/measures/types.ts';
import { sklearnTrainTestSplit } from '../src/core/measures/split.ts';
import { assignRows, splitMeans, splitScatter, splitScatterFloat32, correlationFromScatter, partitionBlock } from '../src/core/measures/splitScatter.ts';
import { ExactRidge, regularisedInverse, RIDGE_ROWS_PER_PRODUCT } from '../src/core/measures/heldOutRidge.ts';
import { planRidge, RidgeAccumulator, ridgeRowsPerBlock } from '../src/core/measures/heldOutRidgeFloat32.ts';
import { gemmNT } from '../src/core/measures/linalgKernels.ts';
import { lowRankEmbeddings } from './synthetic.ts';

await selectNodeBackend('wasm');
const n = Number(process.argv[2] ?? 10000), d = Number(process.argv[3] ?? 512);
const reps = 3;
const x = lowRankEmbeddings(n, d);
const h = inMemoryArray(x);
const rows = assignRows(sklearnTrainTestSplit(n, 0.25, 0), n);
const moments = await splitMeans(h, rows, 'x', n, () => {});
const alphas = PAPER_SETTINGS.ridgeAlphas;
const K = alphas.length;
const results: Record<string, number[]> = {};
async function t(name: string, fn: () => unknown) {
  const s = performance.now();
  await fn();
  (results[name] ??= []).push(performance.now() - s);
}
let scatter = await splitScatter(h, rows, moments, n, () => {});
const all = Array.from({ length: d }, (_, i) => i);
const trainGram = correlationFromScatter(scatter.train, d, all).map((v) => v * moments.nTrain);
const testGram = correlationFromScatter(scatter.test, d, all).map((v) => v * moments.nTest);
// standardised train rows (float64), as SplitStandardiser does
const std = (s: Float64Array, c: number) => Float64Array.from({ length: d }, (_, j) => Math.sqrt(s[j * d + j] / c));
const sTr = std(scatter.train, moments.nTrain), sTe = std(scatter.test, moments.nTest);
const parts = partitionBlock(x.data, n, 0, d, rows);
const nTr = parts.trainRows.length;
function standardise(raw: Float32Array, count: number, mean: Float64Array, sd: Float64Array) {
  const out = new Float64Array(count * d);
  for (let r = 0; r < count; r++) for (let c = 0; c < d; c++) out[r * d + c] = (raw[r * d + c] - mean[c]) / sd[c];
  return out;
}
const z = standardise(parts.train, nTr, moments.meanTrain, sTr);
const z32 = Float32Array.from(z);
const inverses = alphas.map((a) => regularisedInverse(trainGram, d, a));
const diags = inverses.map((m) => Float64Array.from({ length: d }, (_, i) => m[i * d + i]));
const q = new Float64Array(RIDGE_ROWS_PER_PRODUCT * d);
const acc = new Float64Array(d);

for (let r = 0; r < reps; r++) {
  await t('Gram float64 splitScatter', () => splitScatter(h, rows, moments, n, () => {}));
  await t('Gram float32 splitScatterFloat32', () => splitScatterFloat32(h, rows, moments, n, () => {}));
  await t('partition + standardise train (f64)', () => standardise(partitionBlock(x.data, n, 0, d, rows).train, nTr, moments.meanTrain, sTr));
  await t('float32 copy of z (Float32Array.from)', () => Float32Array.from(z));
  // exact
  let ridge!: ExactRidge;
  await t('exact: prepareGroup (5 inverses + G_te·M)', () => {
    ridge = new ExactRidge(trainGram, d, moments.nTrain, moments.nTest, alphas, testGram);
    for (const g of ridge.groups()) ridge.prepareGroup(g);
  });
  await t('exact: 5 SPD inverses alone', () => alphas.forEach((a) => regularisedInverse(trainGram, d, a)));
  await t('exact: addTrainRows (all)', () => ridge.addTrainRows(z, nTr));
  await t('exact: gemmNT Z·M only (5 α)', () => {
    for (let r0 = 0; r0 < nTr; r0 += RIDGE_ROWS_PER_PRODUCT) {
      const count = Math.min(RIDGE_ROWS_PER_PRODUCT, nTr - r0);
      for (let k = 0; k < K; k++) {
        q.fill(0, 0, count * d);
        gemmNT(count, d, d, z, r0 * d, d, inverses[k], 0, d, q, 0, d, 1);
      }
    }
  });
  await t('exact: LOO loop only (leverage + d divisions, 5 α)', () => {
    const denomBase = 1 - 1 / nTr;
    for (let r0 = 0; r0 < nTr; r0 += RIDGE_ROWS_PER_PRODUCT) {
      const count = Math.min(RIDGE_ROWS_PER_PRODUCT, nTr - r0);
      for (let k = 0; k < K; k++) {
        const diag = diags[k];
        for (let r = 0; r < count; r++) {
          const row = r * d, zRow = (r0 + r) * d;
          let lev = 0;
          for (let j = 0; j < d; j++) lev += z[zRow + j] * q[row + j];
          for (let i = 0; i < d; i++) {
            const e = q[row + i] / diag[i];
            const loo = e / (denomBase - (lev - q[row + i] * e));
            acc[i] += loo * loo;
          }
        }
      }
    }
  });
  // float32
  let plan!: ReturnType<typeof planRidge>;
  await t('float32: planRidge (5 inverses + G_te·M + maps)', () => {
    plan = planRidge(trainGram, d, moments.nTrain, alphas, undefined, testGram);
  });
  const acc32 = new RidgeAccumulator(plan);
  const blockRows = Math.min(n, ridgeRowsPerBlock(d, K));
  await t(`float32: RidgeAccumulator.addTrainRows (blocks of ${blockRows})`, async () => {
    for (let r0 = 0; r0 < nTr; r0 += blockRows) {
      const count = Math.min(blockRows, nTr - r0);
      await acc32.addTrainRows(z32.subarray(r0 * d, (r0 + count) * d), count);
    }
  });
  acc32.dispose();
}
const flopZM = 2 * nTr * d * d * K;
console.log(`N=${n} D=${d} N_train=${nTr} K=${K}; Z·M: ${(flopZM / 1e9).toFixed(1)} GFLOP`);
for (const [name, v] of Object.entries(results)) {
  const best = Math.min(...v);
  console.log(`${name.padEnd(58)} best ${best.toFixed(0).padStart(6)} ms   (all: ${v.map((x) => x.toFixed(0)).join(', ')})${name.includes('gemmNT') ? `  ${(flopZM / best / 1e6).toFixed(1)} GFLOP/s` : ''}`);
}
