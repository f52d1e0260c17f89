/**
 * Bench rows: the exact LR (float64 Gram and ridge products, the default) next to the previous float32 path
 * (`RunOptions.precision = 'float32'`: float32 products on the tfjs backend), on the same data in the same
 * run. Both run `measureArray` with measures AAC + LR (the paper's settings otherwise; no null baseline, so
 * the time is one pass of the pipeline, eigenvalue extras included), alternated (exact,
 * float32, float32, exact, …: a burst of load on the shared machine hits both sides), best of `repeats`
 * each. The float32 row says what accuracy that path loses against the exact one: the largest |ΔR²| of one
 * dim, |Δ mean LR| (the headline number) and how many dims' chosen α differ.
 */
import { inMemoryArray, measureArray, PAPER_SETTINGS, type BackendInfo, type Matrix, type MeasureResult, type MeasureSettings, type PerDim } from '../src/core/index.ts';
import type { BenchRow } from './benchRow.ts';

type Timed = <T>(fn: () => Promise<T> | T) => Promise<{ ms: number; value: T; peakMb: number }>;

export interface LrPrecisionPair {
  size: string;
  /** whole measureArray wall time, best of the repeats */
  exactMs: number;
  float32Ms: number;
  /** exactMs / float32Ms */
  ratio: number;
  rows: BenchRow[];
}

const SETTINGS: MeasureSettings = { ...PAPER_SETTINGS, measures: ['aac', 'lr'] };

export async function benchLrPrecision(
  m: Matrix,
  data: string,
  backendInfo: BackendInfo,
  repeats: number,
  timed: Timed,
): Promise<LrPrecisionPair> {
  const handle = inMemoryArray(m);
  // one pipeline: without the null baseline (a second LR on a column-permuted copy, same precision)
  const run = (precision: 'float64' | 'float32') => timed(() => measureArray(handle, 'bench', SETTINGS, { backend: backendInfo, precision, nullBaseline: false }));
  type Run = Awaited<ReturnType<typeof run>>;
  let exact: Run | null = null;
  let float32: Run | null = null;
  let peakExact = 0;
  let peakFloat32 = 0;
  for (let r = 0; r < repeats; r++) {
    for (const precision of r % 2 === 0 ? (['float64', 'float32'] as const) : (['float32', 'float64'] as const)) {
      const next = await run(precision);
      if (precision === 'float64') {
        peakExact = Math.max(peakExact, next.peakMb);
        if (!exact || next.ms < exact.ms) exact = next;
      } else {
        peakFloat32 = Math.max(peakFloat32, next.peakMb);
        if (!float32 || next.ms < float32.ms) float32 = next;
      }
    }
  }
  const e = exact!.value;
  const f = float32!.value;
  const acc = accuracy(e, f);
  const usable = e.lr ? e.lr.perDim.filter((v) => v !== null).length : 0;
  const size = `${m.rows.toLocaleString('en-US')}×${m.cols.toLocaleString('en-US')}${data ? ` (${data}, ${usable.toLocaleString('en-US')} usable)` : ''}`;
  const ratio = exact!.ms / float32!.ms;
  const stage = (s: string) => `${s} ${(e.timingsMs[s] / f.timingsMs[s]).toFixed(2)}×`;
  const stageMs = (r: MeasureResult) => `Gram ${seconds(r.timingsMs.gram)}, LR ${seconds(r.timingsMs.lr)}, extras ${seconds(r.timingsMs.extras)}`;
  return {
    size,
    exactMs: exact!.ms,
    float32Ms: float32!.ms,
    ratio,
    rows: [
      {
        operation: `AAC + LR, exact float64 (default; best of ${repeats})`,
        size,
        backend: `${backendInfo.name} + f64 wasm-simd`,
        ms: exact!.ms,
        gflops: null,
        ratio: `${ratio.toFixed(2)}× the float32 path (${stage('gram')}, ${stage('lr')}); ${stageMs(e)}`,
        peakMemMb: peakExact,
      },
      {
        operation: `AAC + LR, previous float32 path (best of ${repeats})`,
        size,
        backend: backendInfo.name,
        ms: float32!.ms,
        gflops: null,
        ratio: `vs exact: max |ΔR²| ${acc.maxR2.toExponential(1)}, |Δ mean LR| ${acc.meanLr.toExponential(1)}, α differs on ${acc.alphaDiffer}/${acc.compared} dims; ${stageMs(f)}`,
        peakMemMb: peakFloat32,
      },
    ],
  };
}

/** What the float32 path loses against the exact one, over the dims both scored. */
function accuracy(exact: MeasureResult, float32: MeasureResult): { maxR2: number; meanLr: number; alphaDiffer: number; compared: number } {
  const r2e: PerDim = exact.lr?.perDim ?? [];
  const r2f: PerDim = float32.lr?.perDim ?? [];
  const ae: PerDim = exact.lr?.alphaPerDim ?? [];
  const af: PerDim = float32.lr?.alphaPerDim ?? [];
  let maxR2 = 0;
  let alphaDiffer = 0;
  let compared = 0;
  for (let j = 0; j < Math.max(r2e.length, r2f.length); j++) {
    const a = r2e[j] ?? null;
    const b = r2f[j] ?? null;
    if (a === null && b === null) continue;
    compared++;
    // a dim scored by one path only (a split-degenerate call that flipped) counts as a full miss
    if (a === null || b === null) {
      maxR2 = Infinity;
      alphaDiffer++;
      continue;
    }
    maxR2 = Math.max(maxR2, Math.abs(a - b));
    if (ae[j] !== af[j]) alphaDiffer++;
  }
  const meanLr = exact.lr && float32.lr ? Math.abs(exact.lr.value - float32.lr.value) : NaN;
  return { maxR2, meanLr, alphaDiffer, compared };
}

const seconds = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
