/**
 * WebGPU in Node (src/node/webgpu.ts): Dawn through the `webgpu` package, here on SwiftShader's Vulkan driver from
 * Debian's Chromium (.ci/run installs chromium and libvulkan1), as CI proves it. The batched NLR heads on WebGPU
 * equal a plain float64 MLP written out by hand, whatever the grouping; GPU memory stays flat over the head groups
 * (the last group padded to the same shape), 512 heads included; the CLI measures on it.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeGpuLost, selectNodeBackend } from '../../../src/node/backend.ts';
import { SWIFTSHADER_VULKAN_ICD } from '../../../src/node/webgpu.ts';
import { heldOutMlpR2 } from '../../../src/core/measures/nlr.ts';
import type { MlpSettings } from '../../../src/core/measures/types.ts';
import { r2, refPredict, refTrain, splits, standardise } from '../helpers/referenceMlp.ts';
import { makeMatrix } from '../helpers/synthetic.ts';
import { REPO } from '../helpers/cli.ts';

const SGD: MlpSettings = { hidden: [12, 7], epochs: 5, learningRate: 0.05, batchSize: 64, optimizer: 'sgd', seed: 11 };

type GpuMemory = tf.MemoryInfo & { numBytesAllocatedInGPU?: number };

describe('WebGPU in Node (Dawn on SwiftShader)', () => {
  beforeAll(async () => {
    const info = await selectNodeBackend('webgpu', { softwareGpu: true });
    expect(info.name).toBe('webgpu');
    expect(info.detail, 'a CPU emulation, and said so').toMatch(/swiftshader.*software fallback/i);
    expect(info.selfTestError).toBeLessThan(1e-5);
    expect(tf.getBackend()).toBe('webgpu');
  }, 120_000);

  it('batched heads = one plain float64 MLP per target, grouped 4, 3 (last group padded) or 1', async () => {
    const { train, test } = splits(300, 100, 1);
    const targets = [0, 3, 4, 5];
    const expected = targets.map((t) => r2(refPredict(refTrain(train, t, SGD), test, t), test, t));
    expect(Math.max(...expected), 'the reference learnt something').toBeGreaterThan(0.1);
    for (const headsPerBatch of [4, 3, 1]) {
      const result = await heldOutMlpR2(train, test, targets, SGD, { headsPerBatch });
      expect(result.headsPerBatch).toBe(headsPerBatch);
      result.heldOutR2.forEach((got, k) => expect(Math.abs(got - expected[k]), `head ${targets[k]}, ${headsPerBatch} per group`).toBeLessThan(1e-5));
    }
  }, 240_000);

  it('GPU memory is flat over the head groups: the same tensors every group, the buffer pool flat from the second', async () => {
    const { train, test } = splits(300, 100, 2);
    const targets = [0, 1, 2, 3, 4, 5]; // groups of 4: the last one (2 heads) padded to 4
    const before = tf.memory().numTensors;
    const shapes: number[] = [];
    const afterGroup: { tensors: number; bytes: number; pool: number }[] = [];
    // one run first: the shaders and the first buffers of each shape
    await heldOutMlpR2(train, test, targets, SGD, { headsPerBatch: 4 });
    await heldOutMlpR2(train, test, [...targets, 0, 1, 2, 3, 4, 5], { ...SGD, epochs: 2 }, {
      headsPerBatch: 4,
      onGroupShape: (heads) => shapes.push(heads),
      onHeadsFinished: () => {
        const m = tf.memory() as GpuMemory;
        afterGroup.push({ tensors: m.numTensors, bytes: m.numBytes, pool: m.numBytesAllocatedInGPU ?? NaN });
      },
    });
    expect(shapes, 'every group has the same shape (the last padded)').toEqual([4, 4, 4]);
    expect(afterGroup).toHaveLength(3);
    expect(new Set(afterGroup.map((g) => g.bytes)).size, JSON.stringify(afterGroup)).toBe(1);
    expect(new Set(afterGroup.map((g) => g.pool)).size, `buffer pool ${JSON.stringify(afterGroup.map((g) => g.pool))}`).toBe(1);
    expect(Number.isFinite(afterGroup[0].pool)).toBe(true);
    expect(tf.memory().numTensors, 'nothing left after').toBe(before);
  }, 240_000);

  it('512 heads in 8 groups of 64: the buffer pool and tensor bytes do not move after the first group', async () => {
    const d = 513;
    const train = standardise(makeMatrix(96, d, 3));
    const test = standardise(makeMatrix(32, d, 4));
    const targets = Array.from({ length: 512 }, (_, i) => i);
    const tiny: MlpSettings = { ...SGD, hidden: [8, 4], epochs: 1, batchSize: 96 };
    const afterGroup: { bytes: number; pool: number }[] = [];
    const before = tf.memory().numTensors;
    const result = await heldOutMlpR2(train, test, targets, tiny, {
      headsPerBatch: 64,
      onHeadsFinished: () => {
        const m = tf.memory() as GpuMemory;
        afterGroup.push({ bytes: m.numBytes, pool: m.numBytesAllocatedInGPU ?? NaN });
      },
    });
    expect(result.heldOutR2).toHaveLength(512);
    expect(result.heldOutR2.every(Number.isFinite)).toBe(true);
    expect(afterGroup).toHaveLength(8);
    const pools = afterGroup.map((g) => g.pool);
    expect(pools.every(Number.isFinite)).toBe(true);
    expect(new Set(pools.slice(1)).size, `buffer pool after each group: ${pools.join(', ')}`).toBe(1);
    expect(new Set(afterGroup.map((g) => g.bytes)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  }, 300_000);

  it('the CLI measures on it: --backend webgpu (software driver forced by VK_ICD_FILENAMES), AAC and LR equal to WASM', () => {
    const file = path.join(REPO, 'public/demo/synthetic-linear.npy');
    const run = (backend: string, env: NodeJS.ProcessEnv) =>
      JSON.parse(
        execFileSync(process.execPath, [path.join(REPO, 'bin/redundancy-lab.mjs'), 'measure', file, '--json', '--quiet', '--backend', backend, '--measures', 'aac,lr,nlr', '--nlr-dims', '2', '--epochs', '2'], {
          cwd: REPO,
          encoding: 'utf8',
          env: { ...process.env, ...env },
          maxBuffer: 64 * 1024 * 1024,
        }),
      ) as { backend: { name: string; detail: string }; aac: { value: number }; lr: { value: number }; nlr: { perDim: (number | null)[] } };
    const gpu = run('webgpu', { VK_ICD_FILENAMES: SWIFTSHADER_VULKAN_ICD, XDG_RUNTIME_DIR: '/tmp' });
    const wasm = run('wasm', {});
    expect(gpu.backend.name).toBe('webgpu');
    expect(gpu.backend.detail).toMatch(/SwiftShader/i);
    // AAC and LR are float64 on the CPU whatever the backend; NLR trains on the GPU
    expect(gpu.aac.value).toBe(wasm.aac.value);
    expect(gpu.lr.value).toBe(wasm.lr.value);
    const nlr = (r: typeof gpu) => r.nlr.perDim.filter((v): v is number => v !== null);
    expect(nlr(gpu)).toHaveLength(2);
    nlr(gpu).forEach((v, i) => expect(Math.abs(v - nlr(wasm)[i]), `NLR dim ${i}`).toBeLessThan(1e-4));
  }, 240_000);

  // last: it destroys the device
  it('a real device loss mid-NLR fails the run loudly; the heads finished before it stand, the rest train on WASM', async () => {
    const { train, test } = splits(300, 100, 1);
    const targets = [0, 1, 2, 3, 4, 5];
    const uninterrupted = await heldOutMlpR2(train, test, targets, SGD, { headsPerBatch: 2 });
    const device = (tf.backend() as unknown as { device: GPUDevice }).device;
    let lost = '';
    void device.lost.then((info) => (lost = info.reason));
    const finished: { position: number; r2: number }[] = [];
    const failed = await heldOutMlpR2(train, test, targets, SGD, {
      headsPerBatch: 2,
      onHeadsFinished: (group) => {
        group.positions.forEach((p, k) => finished.push({ position: p, r2: group.heldOutR2[k] }));
        if (finished.length === 2) device.destroy(); // the device dies after the first group of two
      },
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failed, 'the run after the loss throws: no numbers from a dead device').not.toBeNull();
    expect(lost).toBe('destroyed');
    expect(nodeGpuLost(), 'what the CLI says instead of an empty internal error').toMatch(/^destroyed/);
    expect(finished.map((f) => f.position), 'only the group finished before the loss').toEqual([0, 1]);
    finished.forEach((f) => expect(f.r2, `head ${f.position} as in the uninterrupted run`).toBe(uninterrupted.heldOutR2[f.position]));
    // the rest, on the next backend (what the app's worker does after a loss): the same numbers to 1e-4
    await selectNodeBackend('wasm');
    const rest = await heldOutMlpR2(train, test, targets.slice(2), SGD);
    rest.heldOutR2.forEach((r2, k) => expect(Math.abs(r2 - uninterrupted.heldOutR2[k + 2]), `head ${k + 2}`).toBeLessThan(1e-4));
  }, 240_000);
});
