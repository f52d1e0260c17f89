#!/usr/bin/env node
/**
 * Would a fused multiply-add float64 kernel be faster? `node bench/fmaKernel.mjs` times the packed 4×4 micro-kernel
 * (src/core/numerics/wasm/gemmF64.wat) as shipped (f64x2.mul + f64x2.add) and with each pair replaced by the
 * relaxed-SIMD f64x2.relaxed_madd (an FMA on x86 with FMA3), on L1-resident packed panels (the kernel's peak),
 * alternated, best of 3; and, for the ceiling a NumPy user gets, OpenBLAS dgemm per core (Debian's python3-numpy).
 * Node 20 needs V8's --experimental-wasm-relaxed-simd flag (set below); Chrome ships relaxed SIMD by default.
 */
import v8 from 'node:v8';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import wabtInit from 'wabt';

v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
const wabt = await wabtInit();
const plain = readFileSync(new URL('../src/core/numerics/wasm/gemmF64.wat', import.meta.url), 'utf8');
const fused = plain.replace(/\(f64x2\.add \(local\.get (\$c\d\d)\) \(f64x2\.mul \(local\.get \$x\) \(local\.get (\$b\d)\)\)\)/g, '(f64x2.relaxed_madd (local.get $$x) (local.get $2) (local.get $1))');
if ((fused.match(/relaxed_madd/g) ?? []).length !== 8) throw new Error('gemmF64.wat changed: the 8 multiply-adds to fuse were not found');

function instantiate(source) {
  const features = { simd: true, relaxed_simd: true };
  const module = wabt.parseWat('gemmF64.wat', source, features);
  module.validate(features);
  return new WebAssembly.Instance(new WebAssembly.Module(module.toBinary({}).buffer), {}).exports;
}

const kc = 256, mStrips = 4, pStrips = 32; // 16 × 128 tile over k = 256: A 32 KiB, B 256 KiB
function gflops(kernel) {
  kernel.memory.grow(200);
  const pa = 0, pb = mStrips * kc * 32, tile = pb + pStrips * kc * 32, ldc = pStrips * 32;
  const f = new Float64Array(kernel.memory.buffer);
  for (let i = 0; i < tile / 8; i++) f[i] = Math.sin(i);
  for (let w = 0; w < 200; w++) kernel.gemm(mStrips, pStrips, kc, pa, pb, tile, ldc);
  const reps = 3000;
  const t = performance.now();
  for (let r = 0; r < reps; r++) kernel.gemm(mStrips, pStrips, kc, pa, pb, tile, ldc);
  return (2 * 16 * 128 * kc * reps) / ((performance.now() - t) / 1000) / 1e9;
}

const kernels = { 'f64x2 mul + add (shipped)': instantiate(plain), 'f64x2.relaxed_madd (FMA)': instantiate(fused) };
const best = Object.fromEntries(Object.keys(kernels).map((k) => [k, 0]));
for (let round = 0; round < 3; round++) for (const [name, kernel] of Object.entries(kernels)) best[name] = Math.max(best[name], gflops(kernel));
let numpy = null;
try {
  const script = 'import numpy as np, time\nn=1024\na=np.random.rand(n,n); b=np.random.rand(n,n); a@b\nt=time.perf_counter()\nfor _ in range(5): a@b\nprint(2*n**3*5/(time.perf_counter()-t)/1e9)';
  numpy = Number(execFileSync('/usr/bin/python3', ['-c', script], { env: { ...process.env, OPENBLAS_NUM_THREADS: '1' }, encoding: 'utf8' }));
} catch {
  // no python3-numpy: the row is left out
}
console.log('| float64 kernel, one core | GFLOP/s |\n|---|---|');
for (const [name, rate] of Object.entries(best)) console.log(`| WASM ${name} | ${rate.toFixed(1)} |`);
if (numpy) console.log(`| NumPy (OpenBLAS) dgemm 1024², 1 thread | ${numpy.toFixed(1)} |`);
