;; Float64 micro-kernel of the D×D step (linalgKernels.ts), WebAssembly SIMD (f64x2).
;; Compiled to gemmF64Wasm.ts by `npm run build:wasm` (scripts/build-wasm.mjs); a unit test checks the
;; committed bytes match this source.
;;
;; tile += PA · PBᵀ over kc, where
;;   PA holds mStrips strips of 4 rows, k-major: PA[(s·kc + k)·4 + r]   (the JS packStrip layout)
;;   PB holds pStrips strips of 4 rows, the same layout
;;   tile is row-major with rows of ldc bytes: tile[(4·i + r)·ldc + (4·j + c)·8]
;; Each 4×4 block keeps 8 f64x2 accumulators in registers: per k, two 16-byte loads of B, four
;; splat loads of A, 8 multiplies and 8 adds (baseline SIMD has no fused multiply-add). 4×4 was
;; the fastest shape in V8 on x86 (2×8, 4×6, 4×8, 6×4, 8×4 spill or issue more loads per FLOP).
(module
  (memory (export "memory") 1)
  (func (export "gemm")
    (param $mStrips i32) (param $pStrips i32) (param $kc i32)
    (param $pa i32) (param $pb i32) (param $tile i32) (param $ldc i32)
    (local $i i32) (local $j i32) (local $k i32)
    (local $ap i32) (local $bp i32) (local $cp i32) (local $stripBytes i32)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $stripBytes (i32.shl (local.get $kc) (i32.const 5)))  ;; 4 rows · 8 bytes · kc
    (block $iDone (loop $iLoop
      (br_if $iDone (i32.ge_u (local.get $i) (local.get $mStrips)))
      (local.set $j (i32.const 0))
      (block $jDone (loop $jLoop
        (br_if $jDone (i32.ge_u (local.get $j) (local.get $pStrips)))
        (local.set $c00 (v128.const i64x2 0 0)) (local.set $c01 (v128.const i64x2 0 0))
        (local.set $c10 (v128.const i64x2 0 0)) (local.set $c11 (v128.const i64x2 0 0))
        (local.set $c20 (v128.const i64x2 0 0)) (local.set $c21 (v128.const i64x2 0 0))
        (local.set $c30 (v128.const i64x2 0 0)) (local.set $c31 (v128.const i64x2 0 0))
        (local.set $ap (i32.add (local.get $pa) (i32.mul (local.get $i) (local.get $stripBytes))))
        (local.set $bp (i32.add (local.get $pb) (i32.mul (local.get $j) (local.get $stripBytes))))
        (local.set $k (local.get $kc))
        (block $kDone (loop $kLoop
          (br_if $kDone (i32.eqz (local.get $k)))
          (local.set $b0 (v128.load (local.get $bp)))
          (local.set $b1 (v128.load offset=16 (local.get $bp)))
          (local.set $x (v128.load64_splat (local.get $ap)))
          (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load64_splat offset=8 (local.get $ap)))
          (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load64_splat offset=16 (local.get $ap)))
          (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $x (v128.load64_splat offset=24 (local.get $ap)))
          (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $x) (local.get $b0))))
          (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $x) (local.get $b1))))
          (local.set $ap (i32.add (local.get $ap) (i32.const 32)))
          (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
          (local.set $k (i32.sub (local.get $k) (i32.const 1)))
          (br $kLoop)))
        ;; tile rows 4i … 4i+3, columns 4j … 4j+3
        (local.set $cp (i32.add (i32.add (local.get $tile)
          (i32.mul (i32.shl (local.get $i) (i32.const 2)) (local.get $ldc)))
          (i32.shl (local.get $j) (i32.const 5))))
        (v128.store (local.get $cp) (f64x2.add (v128.load (local.get $cp)) (local.get $c00)))
        (v128.store offset=16 (local.get $cp) (f64x2.add (v128.load offset=16 (local.get $cp)) (local.get $c01)))
        (local.set $cp (i32.add (local.get $cp) (local.get $ldc)))
        (v128.store (local.get $cp) (f64x2.add (v128.load (local.get $cp)) (local.get $c10)))
        (v128.store offset=16 (local.get $cp) (f64x2.add (v128.load offset=16 (local.get $cp)) (local.get $c11)))
        (local.set $cp (i32.add (local.get $cp) (local.get $ldc)))
        (v128.store (local.get $cp) (f64x2.add (v128.load (local.get $cp)) (local.get $c20)))
        (v128.store offset=16 (local.get $cp) (f64x2.add (v128.load offset=16 (local.get $cp)) (local.get $c21)))
        (local.set $cp (i32.add (local.get $cp) (local.get $ldc)))
        (v128.store (local.get $cp) (f64x2.add (v128.load (local.get $cp)) (local.get $c30)))
        (v128.store offset=16 (local.get $cp) (f64x2.add (v128.load offset=16 (local.get $cp)) (local.get $c31)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $jLoop)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $iLoop)))))
