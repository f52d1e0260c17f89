import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { isSoftwareWebGl, isSoftwareWebGpu, selectBackend } from '../../../src/core/compute/backend.ts';
import { nodeWasmFolder, selectNodeBackend } from '../../../src/node/backend.ts';
import { referenceMatMul, runSelfTest } from '../../../src/core/compute/selfTest.ts';
import { isRedundancyLabError } from '../../../src/core/errors.ts';

describe('selectBackend in Node', () => {
  it('picks WASM and says why WebGPU and WebGL were skipped', async () => {
    const info = await selectNodeBackend();
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.detail).toMatch(/^WASM — (SIMD|no SIMD), \d+ threads?$/);
    expect(info.skipped.map((s) => s.name)).toEqual(['webgpu', 'webgl']);
    for (const s of info.skipped) expect(s.reason).toMatch(/not available/);
    expect(info.selfTestError).toBeLessThan(1e-5);
  });

  it('finds the .wasm binaries in node_modules', async () => {
    const { existsSync } = await import('node:fs');
    expect(existsSync(`${nodeWasmFolder()}tfjs-backend-wasm-simd.wasm`)).toBe(true);
  });

  it('force "cpu" gives the CPU backend, self-tested, with nothing skipped', async () => {
    const info = await selectNodeBackend('cpu');
    expect(info).toMatchObject({ name: 'cpu', skipped: [] });
    expect(tf.getBackend()).toBe('cpu');
    expect(info.selfTestError).toBeLessThan(1e-5);
    // and back to WASM (already initialised)
    expect((await selectNodeBackend('wasm')).name).toBe('wasm');
  });

  it('force of an unavailable backend throws a backend error', async () => {
    for (const force of ['webgl', 'webgpu'] as const) {
      const error = await selectNodeBackend(force).then(() => null, (e: unknown) => e);
      expect(isRedundancyLabError(error) && error.kind).toBe('backend');
      expect(String(error)).toMatch(force === 'webgl' ? /WebGL backend was requested/ : /WebGPU backend was requested/);
    }
    expect(tf.getBackend()).toBe('wasm');
  });

  it('rejects an unknown backend name', async () => {
    const error = await selectBackend({ force: 'tpu' as never }).then(() => null, (e: unknown) => e);
    expect(isRedundancyLabError(error) && error.kind).toBe('bad-option');
  });
});

describe('software GPU detection', () => {
  const nav = globalThis as { navigator?: unknown };
  const original = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  afterAll(() => {
    if (original) Object.defineProperty(globalThis, 'navigator', original);
    else delete nav.navigator;
  });

  it('a SwiftShader fallback WebGPU adapter is skipped with the reason', async () => {
    Object.defineProperty(globalThis, 'navigator', {
      configurable: true,
      value: { gpu: { requestAdapter: async () => ({ info: { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true } }) } },
    });
    const info = await selectNodeBackend();
    expect(info.name).toBe('wasm');
    expect(info.skipped[0].name).toBe('webgpu');
    expect(info.skipped[0].reason).toMatch(/software \(fallback\) adapter "google \/ swiftshader"/);
  });

  it('recognises software renderers and adapters', () => {
    expect(isSoftwareWebGl('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareWebGl('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareWebGl('ANGLE (NVIDIA, NVIDIA GeForce RTX 3080 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe(false);
    expect(isSoftwareWebGl('Apple M2')).toBe(false);
    expect(isSoftwareWebGpu({ isFallbackAdapter: true }, undefined)).toBe(true);
    expect(isSoftwareWebGpu({}, { vendor: 'google', architecture: 'swiftshader' })).toBe(true);
    expect(isSoftwareWebGpu({}, { vendor: 'nvidia', architecture: 'ampere' })).toBe(false);
  });
});

describe('numeric self-test', () => {
  it('the float64 reference is a correct matMul', () => {
    const a = Float32Array.of(1, 2, 3, 4, 5, 6); // 2×3
    const b = Float32Array.of(7, 8, 9, 10, 11, 12); // 3×2
    expect(Array.from(referenceMatMul(a, b, 2, 3, 2))).toEqual([58, 64, 139, 154]);
  });

  it('WASM and CPU agree with float64 to well within the tolerance', async () => {
    for (const name of ['wasm', 'cpu'] as const) {
      await selectNodeBackend(name);
      const result = await runSelfTest();
      expect(result.passed).toBe(true);
      expect(result.matMulRelError).toBeLessThan(1e-5);
      expect(result.sumRelError).toBeLessThan(1e-4);
    }
    await selectNodeBackend('wasm');
  });
});
