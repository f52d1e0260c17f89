/**
 * Cache-blocked float64 kernels for the D×D step (linalg.ts), row-major Float64Array. Every level-3 operation of the Cholesky inverse is written as C += α·A·Bᵀ where the rows
 * of A and B are contiguous in k (the "dot-product" form suits row-major triangular factors), and
 * runs through one packed 4×4 register-blocked micro-kernel:
 *
 *   - K is cut into KC-long slices so a packed 4-row strip of A (4·KC doubles, 8 KiB) stays in L1
 *     and the packed B slice (p·KC doubles) in L2;
 *   - A and B are packed k-major in strips of 4 rows (pack[k·4 + r]), zero-padded at the edges, so the
 *     inner loop reads 8 consecutive doubles with one moving index per operand;
 *   - the 4×4 block keeps 16 independent accumulators.
 *
 * Two implementations of that micro-kernel: WebAssembly SIMD (wasm/gemmF64.wat, f64x2, ~10–14 GFLOP/s
 * on one x86 core) where the runtime has it, else plain JavaScript (V8 does not vectorise scalar loops:
 * ~3–3.5 GFLOP/s). Both sum over k in the same order within a slice, so they agree to rounding.
 */
import { GEMM_F64_WASM_BASE64 } from './wasm/gemmF64Wasm.ts';

export type LinalgKernel = 'wasm-simd' | 'js';

export type GemmFunction = (mStrips: number, pStrips: number, kc: number, pa: number, pb: number, tile: number, ldcBytes: number) => void;

export interface GemmWasm {
  memory: WebAssembly.Memory;
  gemm: GemmFunction;
}

/** The compiled module (synchronous: it is < 1 KiB, so even a main thread may compile it); null without SIMD. */
const gemmWasm: GemmWasm | null = (() => {
  try {
    const bytes = Uint8Array.from(atob(GEMM_F64_WASM_BASE64), (c) => c.charCodeAt(0));
    if (!WebAssembly.validate(bytes)) return null;
    return new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as GemmWasm;
  } catch {
    return null; // no WebAssembly, no SIMD, or a CSP without 'wasm-unsafe-eval'
  }
})();

let activeKernel: LinalgKernel = gemmWasm ? 'wasm-simd' : 'js';

/** The micro-kernel gemmNT uses now. */
export function linalgKernel(): LinalgKernel {
  return activeKernel;
}

/** Picks the micro-kernel (the bench and tests compare both); 'wasm-simd' throws where it cannot load. */
export function setLinalgKernel(kind: LinalgKernel): void {
  if (kind === 'wasm-simd' && !gemmWasm) throw new Error('WebAssembly SIMD is not available here');
  activeKernel = kind;
}

/** k-slice length: 4·KC doubles of A (8 KiB) stay in L1 while the B slice streams from L2. */
const KC = 256;
/** rows of B per packed slice: PC·KC doubles (256 KiB) fit the per-core L2. */
const PC = 128;

let packA = new Float64Array(4 * KC);
let packB = new Float64Array(PC * KC);
const edge = new Float64Array(16);

/**
 * C[cOff + i·ldc + j] += alpha · Σ_{k<K} A[aOff + i·lda + k] · B[bOff + j·ldb + k]  (i < m, j < p).
 * C must not overlap the A or B entries read. lowerB: B is lower triangular (B[j][k] = 0 for k > j): the WebAssembly
 * path skips the k-slices that are zero for a whole panel of B (≈ half the work for a square B; the JS path
 * multiplies the zeros).
 */
export function gemmNT(
  m: number,
  p: number,
  K: number,
  A: Float64Array,
  aOff: number,
  lda: number,
  B: Float64Array,
  bOff: number,
  ldb: number,
  C: Float64Array,
  cOff: number,
  ldc: number,
  alpha: number,
  lowerB = false,
): void {
  if (m <= 0 || p <= 0 || K <= 0) return;
  if (activeKernel === 'wasm-simd') {
    gemmNTWasm(m, p, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, alpha, lowerB);
    return;
  }
  for (let j0 = 0; j0 < p; j0 += PC) {
    gemmNTPanel(m, Math.min(PC, p - j0), K, A, aOff, lda, B, bOff + j0 * ldb, ldb, C, cOff + j0, ldc, alpha);
  }
}

/** Rows of A and of B per WebAssembly block, and K per packing: ≤ 32 + 16 + 4 MiB of module memory. */
const MC = 1024;
const NC = 512;
const KCH = 4096;
/** Blocks below this many FLOPs (~1 ms on one core) stay on the calling thread: a wake-up costs ~50 µs. */
const THREAD_MIN_FLOP = 2 ** 23;

/** One tile product for runStrips: byte offsets into the module's memory, counts in strips of 4 rows. */
export interface StripJob {
  mStrips: number;
  nStrips: number;
  /** K of this packing (slices of kcMax, the last one shorter) */
  kch: number;
  kcMax: number;
  pa: number;
  pb: number;
  tile: number;
  tileLdBytes: number;
  /** 1: B is lower triangular, its rows of this block starting at row lowerFrom of this k-chunk (0: full) */
  lowerB: number;
  lowerFrom: number;
}

/**
 * tile[strips s0 … s1−1 of A] += A·Bᵀ over the job's k-slices in ascending order, B in panels of 32 strips
 * (128 rows, 256 KiB per slice: L2). Self-contained (no outside names): the linalg threads run its source.
 */
export function runStrips(gemm: GemmFunction, job: StripJob, s0: number, s1: number): void {
  const { mStrips, nStrips, kch, kcMax, pa, pb, tile, tileLdBytes, lowerB, lowerFrom } = job;
  if (s1 <= s0) return;
  for (let js = 0; js < nStrips; js += 32) {
    const width = Math.min(32, nStrips - js);
    // a lower-triangular B: this panel's rows end at lowerFrom + 4·(js + width); the slices from there on are zero
    const kEnd = lowerB ? Math.min(kch, lowerFrom + 4 * (js + width)) : kch;
    for (let k0 = 0; k0 < kEnd; k0 += kcMax) {
      const kc = Math.min(kcMax, kch - k0);
      gemm(s1 - s0, width, kc, pa + 32 * (mStrips * k0 + s0 * kc), pb + 32 * (nStrips * k0 + js * kc), tile + s0 * 4 * tileLdBytes + js * 32, tileLdBytes);
    }
  }
}

/** The float64 thread pool as gemmNT sees it (linalgThreads.ts starts and stops it). */
export interface GemmThreadPool {
  /** all threads, the calling one included */
  threads: number;
  /** the kernel instantiated on the pool's shared memory */
  kernel: GemmWasm;
  /** runs job over `threads` threads (the caller takes the first share) and returns when all are done */
  run(job: StripJob, threads: number): void;
}

let threadPool: GemmThreadPool | null = null;

/** Installs (or, with null, removes) the pool gemmNT splits its blocks over. */
export function setGemmThreadPool(pool: GemmThreadPool | null): void {
  threadPool = pool;
}

/** Threads the float64 kernel runs on now (1 without a pool or with the JavaScript kernel). */
export function linalgThreadCount(): number {
  return threadPool && activeKernel === 'wasm-simd' ? threadPool.threads : 1;
}

/** gemmNT for p ≤ PC (one panel of B), the arguments as gemmNT's. */
type PanelKernel = typeof gemmNT;

/**
 * gemmNT through the WebAssembly kernel, in blocks of at most MC rows of A × NC rows of B × KCH of K (so the
 * packed operands stay within ~50 MiB of module memory whatever the sizes). Per block, A and B are packed
 * into the module's memory (the packing doubles as the copy in), the MC×NC product accumulates in a tile
 * there — split by strips of 4 rows of A over the linalg threads when there are any and the block is big
 * enough — and is added into C once, scaled by alpha. Each tile entry is one thread's sum over the k-slices
 * in ascending order, so the result is bit-for-bit the same whatever the thread count (tested).
 */
const gemmNTWasm = (m: number, p: number, KAll: number, A: Float64Array, aOff: number, lda: number, B: Float64Array, bOff: number, ldb: number, C: Float64Array, cOff: number, ldc: number, alpha: number, lowerB: boolean): void => {
  const kernel = threadPool?.kernel ?? gemmWasm!; // setLinalgKernel('wasm-simd') refuses where the module did not load
  for (let j0 = 0; j0 < p; j0 += NC) {
    const nc = Math.min(NC, p - j0);
    const nStrips = (nc + 3) >> 2;
    // a lower-triangular B is zero past column j0 + nc on these rows
    const K = lowerB ? Math.min(KAll, j0 + nc) : KAll;
    for (let i0 = 0; i0 < m; i0 += MC) {
      const mc = Math.min(MC, m - i0);
      const mStrips = (mc + 3) >> 2;
      const kchMax = Math.min(KCH, K);
      const pb = mStrips * 4 * kchMax; // offsets in doubles
      const tile = pb + nStrips * 4 * kchMax;
      const tileLd = nStrips * 4;
      const bytes = (tile + mStrips * 4 * tileLd) * 8;
      if (kernel.memory.buffer.byteLength < bytes) kernel.memory.grow(Math.ceil((bytes - kernel.memory.buffer.byteLength) / 65536));
      const heap = new Float64Array(kernel.memory.buffer); // after grow: the old view is detached
      heap.fill(0, tile, tile + mStrips * 4 * tileLd);
      const threads = threadPool && 2 * mc * nc * K >= THREAD_MIN_FLOP ? Math.min(threadPool.threads, mStrips) : 1;
      for (let k0 = 0; k0 < K; k0 += KCH) {
        const kch = Math.min(KCH, K - k0);
        // slice by slice (KC each), strips of 4 rows within a slice: the layout runStrips and the kernel read
        for (let s0 = 0; s0 < kch; s0 += KC) {
          const kc = Math.min(KC, kch - s0);
          packRows(A, aOff + i0 * lda + k0 + s0, lda, mc, kc, heap, mStrips * 4 * s0);
          packRows(B, bOff + j0 * ldb + k0 + s0, ldb, nc, kc, heap, pb + nStrips * 4 * s0);
        }
        const job: StripJob = { mStrips, nStrips, kch, kcMax: KC, pa: 0, pb: pb * 8, tile: tile * 8, tileLdBytes: tileLd * 8, lowerB: lowerB ? 1 : 0, lowerFrom: j0 - k0 };
        if (threads > 1) threadPool!.run(job, threads);
        else runStrips(kernel.gemm, job, 0, mStrips);
      }
      for (let i = 0; i < mc; i++) {
        const c = cOff + (i0 + i) * ldc + j0;
        const t = tile + i * tileLd;
        for (let j = 0; j < nc; j++) C[c + j] += alpha * heap[t + j];
      }
    }
  }
};

/** gemmNT for p ≤ PC in JavaScript: the packed B slice (p·KC doubles) stays in L2 across all strips of A. */
const gemmNTPanel: PanelKernel = (m, p, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc, alpha) => {
  const pStrips = (p + 3) >> 2;
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = Math.min(KC, K - k0);
    const strip = 4 * kc;
    if (packB.length < pStrips * strip) packB = new Float64Array(pStrips * strip);
    if (packA.length < strip) packA = new Float64Array(strip);
    packRows(B, bOff + k0, ldb, p, kc, packB);
    for (let i = 0; i < m; i += 4) {
      const rows = Math.min(4, m - i);
      packStrip(A, aOff + i * lda + k0, lda, rows, kc, packA, 0);
      const cRow = cOff + i * ldc;
      for (let s = 0; s < pStrips; s++) {
        const j = s << 2;
        const cols = Math.min(4, p - j);
        if (rows === 4 && cols === 4) micro4x4(kc, packA, packB, s * strip, C, cRow + j, ldc, alpha);
        else {
          edge.fill(0);
          micro4x4(kc, packA, packB, s * strip, edge, 0, 4, alpha);
          for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) C[cRow + r * ldc + j + c] += edge[r * 4 + c];
        }
      }
    }
  }
};

/** Packs `count` rows (length kc, stride ld) into strips of 4 from dst[dOff], k-major, zero-padded. */
function packRows(src: Float64Array, off: number, ld: number, count: number, kc: number, dst: Float64Array, dOff = 0): void {
  for (let s = 0, r0 = 0; r0 < count; s++, r0 += 4) packStrip(src, off + r0 * ld, ld, Math.min(4, count - r0), kc, dst, dOff + s * 4 * kc);
}

function packStrip(src: Float64Array, off: number, ld: number, rows: number, kc: number, dst: Float64Array, dOff: number): void {
  if (rows === 4) {
    const r0 = off, r1 = off + ld, r2 = r1 + ld, r3 = r2 + ld;
    for (let k = 0, d = dOff; k < kc; k++, d += 4) {
      dst[d] = src[r0 + k];
      dst[d + 1] = src[r1 + k];
      dst[d + 2] = src[r2 + k];
      dst[d + 3] = src[r3 + k];
    }
    return;
  }
  for (let r = 0; r < 4; r++) {
    let d = dOff + r;
    if (r < rows) {
      const row = off + r * ld;
      for (let k = 0; k < kc; k++, d += 4) dst[d] = src[row + k];
    } else {
      for (let k = 0; k < kc; k++, d += 4) dst[d] = 0;
    }
  }
}

/** C[c + r·ldc + j] += alpha · Σ_k PA[4k + r] · PB[pb + 4k + j], r, j < 4. */
function micro4x4(kc: number, PA: Float64Array, PB: Float64Array, pb: number, C: Float64Array, c: number, ldc: number, alpha: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  const end = 4 * kc;
  for (let p = 0, q = pb; p < end; p += 4, q += 4) {
    const x0 = PA[p], x1 = PA[p + 1], x2 = PA[p + 2], x3 = PA[p + 3];
    const y0 = PB[q], y1 = PB[q + 1], y2 = PB[q + 2], y3 = PB[q + 3];
    c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
    c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
    c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
    c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
  }
  C[c] += alpha * c00; C[c + 1] += alpha * c01; C[c + 2] += alpha * c02; C[c + 3] += alpha * c03;
  c += ldc;
  C[c] += alpha * c10; C[c + 1] += alpha * c11; C[c + 2] += alpha * c12; C[c + 3] += alpha * c13;
  c += ldc;
  C[c] += alpha * c20; C[c + 1] += alpha * c21; C[c + 2] += alpha * c22; C[c + 3] += alpha * c23;
  c += ldc;
  C[c] += alpha * c30; C[c + 1] += alpha * c31; C[c + 2] += alpha * c32; C[c + 3] += alpha * c33;
}

/**
 * Row-wise forward substitution against a lower-triangular block L (columns c0 … c1−1 of the
 * n×n row-major matrix l):  for each row r in [r0, r1) and c ascending,
 *   X[r, c] = (X[r, c] − Σ_{k=c0}^{c−1} X[r, k] · L[c, k]) · invDiag[c − c0].
 * X and L share the row length n. Four rows at a time: four independent accumulation chains.
 */
export function substituteRows(
  x: Float64Array,
  r0: number,
  r1: number,
  l: Float64Array,
  n: number,
  c0: number,
  c1: number,
  invDiag: Float64Array,
): void {
  let r = r0;
  for (; r + 3 < r1; r += 4) {
    const x0 = r * n, x1 = x0 + n, x2 = x1 + n, x3 = x2 + n;
    for (let c = c0; c < c1; c++) {
      const lc = c * n;
      let s0 = x[x0 + c], s1 = x[x1 + c], s2 = x[x2 + c], s3 = x[x3 + c];
      for (let k = c0; k < c; k++) {
        const v = l[lc + k];
        s0 -= x[x0 + k] * v;
        s1 -= x[x1 + k] * v;
        s2 -= x[x2 + k] * v;
        s3 -= x[x3 + k] * v;
      }
      const inv = invDiag[c - c0];
      x[x0 + c] = s0 * inv;
      x[x1 + c] = s1 * inv;
      x[x2 + c] = s2 * inv;
      x[x3 + c] = s3 * inv;
    }
  }
  for (; r < r1; r++) {
    const xr = r * n;
    for (let c = c0; c < c1; c++) {
      const lc = c * n;
      let s = x[xr + c];
      for (let k = c0; k < c; k++) s -= x[xr + k] * l[lc + k];
      x[xr + c] = s * invDiag[c - c0];
    }
  }
}
