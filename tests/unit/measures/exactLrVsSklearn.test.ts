/**
 * LR is exact in every regime: per-dim held-out R² and the α chosen equal scikit-learn's per-dimension
 * RidgeCV(alphas=[1e-3, 1e-2, 1e-1, 1, 10]) on the same split, in float64 (tests/reference/sklearn_protocol.py),
 * to 1e-6 — on real MobileNetV2 features cut so that N_train runs from 0.5·D (singular train Gram) to 50·D,
 * on both Node backends (LR does not depend on the backend: it runs in float64 through the WASM SIMD or JS kernel).
 * AAC to 1e-7. Needs Debian's python3-sklearn (.ci/run installs it).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureArray } from '../../../src/core/measure.ts';
import { inMemoryArray } from '../../../src/core/io/inMemory.ts';
import { openEmbeddingFile } from '../../../src/core/io/open.ts';
import { bytesByteSource } from '../../../src/core/io/byteRange.ts';
import { PAPER_SETTINGS } from '../../../src/core/measures/types.ts';
import { selectNodeBackend } from '../../../src/node/backend.ts';
import { linalgKernel, setLinalgKernel } from '../../../src/core/numerics/linalgKernels.ts';
import type { BackendName } from '../../../src/core/compute/backend.ts';
import { REPO } from '../helpers/cli.ts';

interface Reference {
  aac: number;
  lrPerDim: (number | null)[];
  alphaPerDim: (number | null)[];
  deadDims: number[];
  splitDegenerateDims: number[];
  usable: number;
  nTrain: number;
}

function sklearn(file: string, rows: number, cols: number, check: number): Reference {
  const r = spawnSync('/usr/bin/python3', ['tests/reference/sklearn_protocol.py', file, '0', String(rows), String(cols), String(check)], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (r.status !== 0) throw new Error(`the scikit-learn reference failed — is python3-sklearn installed? ${r.stderr}`);
  return JSON.parse(r.stdout) as Reference;
}

/** The first `rows` rows and `cols` columns of an .npy fixture, as float32 (what our readers give). */
async function slice(file: string, rows: number, cols: number) {
  const opened = await openEmbeddingFile(bytesByteSource(new Uint8Array(readFileSync(`${REPO}/${file}`)), file));
  const m = await opened.arrays[0].read();
  const c = cols || m.cols;
  const r = rows || m.rows;
  const data = new Float32Array(r * c);
  for (let i = 0; i < r; i++) data.set(m.data.subarray(i * m.cols, i * m.cols + c), i * c);
  return inMemoryArray({ rows: r, cols: c, data });
}

const CASES = [
  // file, rows, cols, dims checked: N_train / usable D from ~0.5 (singular Gram) to ~50
  ['tests/fixtures/real/mnist700_mobilenetv2_block13_576_f16.npy', 400, 0, 24], // 300 train rows, 576 dims: 0.52·D
  ['tests/fixtures/real/mnist2000_mobilenetv2_pool1280_f16.npy', 1000, 0, 16], // 750 train rows, ~860 usable
  ['tests/fixtures/real/mnist2000_mobilenetv2_pool1280_f16.npy', 2000, 0, 16], // 1500 train rows, ~910 usable
  ['tests/fixtures/real/mnist700_mobilenetv2_block13_576_f16.npy', 700, 0, 24], // 525 train rows, 576 dims
  ['tests/fixtures/real/mnist1200_mobilenetv2_block16_320_f16.npy', 1200, 18, 0], // 900 train rows, 18 dims: 50·D
] as const;

const references = new Map<string, Reference>();
const key = (c: (typeof CASES)[number]) => c.join(':');

describe('exact LR against scikit-learn per-dimension RidgeCV (float64), seed 0', () => {
  beforeAll(() => {
    for (const c of CASES) references.set(key(c), sklearn(c[0], c[1], c[2], c[3]));
  }, 900_000);

  for (const backend of ['wasm', 'cpu'] as BackendName[]) {
    for (const c of CASES) {
      it(`${backend}: ${c[0].split('/').pop()} ${c[1]} rows${c[2] ? ` × ${c[2]} dims` : ''}`, async () => {
        await selectNodeBackend(backend);
        const ref = references.get(key(c))!;
        const result = await measureArray(await slice(c[0], c[1], c[2]), c[0], { ...PAPER_SETTINGS, measures: ['aac', 'lr'] });
        expect(result.settings.splitSeed).toBe(0);
        expect(result.deadDims).toEqual(ref.deadDims);
        expect(result.splitDegenerateDims).toEqual(ref.splitDegenerateDims);
        expect(Math.abs(result.aac!.value - ref.aac)).toBeLessThan(1e-7);
        let checked = 0;
        ref.lrPerDim.forEach((want, j) => {
          if (want === null) return;
          checked++;
          expect(result.lr!.alphaPerDim[j], `α of dim ${j}`).toBe(ref.alphaPerDim[j]);
          expect(Math.abs(result.lr!.perDim[j]! - want), `R² of dim ${j}: ours ${result.lr!.perDim[j]}, sklearn ${want}`).toBeLessThan(1e-6);
        });
        expect(checked).toBeGreaterThanOrEqual(Math.min(16, ref.usable));
      }, 300_000);
    }
  }

  it('the same numbers from the plain JavaScript float64 kernel (no WASM SIMD)', async () => {
    await selectNodeBackend('wasm');
    const c = CASES[1];
    const ref = references.get(key(c))!;
    const before = linalgKernel();
    setLinalgKernel('js');
    try {
      const result = await measureArray(await slice(c[0], c[1], c[2]), c[0], { ...PAPER_SETTINGS, measures: ['lr'] });
      ref.lrPerDim.forEach((want, j) => {
        if (want === null) return;
        expect(result.lr!.alphaPerDim[j]).toBe(ref.alphaPerDim[j]);
        expect(Math.abs(result.lr!.perDim[j]! - want)).toBeLessThan(1e-6);
      });
    } finally {
      setLinalgKernel(before);
    }
  }, 300_000);
});
