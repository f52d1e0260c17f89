import * as tf from '@tensorflow/tfjs-core';
import { RedundancyLabError } from '../errors.ts';

export interface BackendLimits {
  /** the largest tensor (bytes) a measure should create on the current backend */
  maxTensorBytes: number;
  /** the largest single buffer the backend reports it can allocate (bytes) */
  maxBufferBytes: number;
  /** WebGPU: the most workgroups one dispatch may have along a dimension (65,535 by default); elsewhere no bound */
  maxWorkgroupsPerDimension: number;
}

const MiB = 1024 * 1024;

/**
 * Cap on any one tensor, whatever the device claims. WebGPU tensors over 1 GiB give wrong answers
 * silently (docs/performance.md, "WebGPU"); blocks of 512 MiB are large enough to keep any backend busy.
 */
export const TENSOR_BYTES_CAP = 512 * MiB;

interface GpuLimitsLike {
  maxStorageBufferBindingSize?: number;
  maxBufferSize?: number;
  maxComputeWorkgroupsPerDimension?: number;
}

/**
 * Size limits of the current tfjs backend (call after `selectBackend`):
 * - WebGPU: the device's maxStorageBufferBindingSize / maxBufferSize;
 * - WebGL: MAX_TEXTURE_SIZE² float32 elements (tfjs throws above that: 8192² ≈ 67M elements);
 * - WASM / CPU: 512 MiB.
 * Every value is capped at TENSOR_BYTES_CAP.
 */
export function backendLimits(): BackendLimits {
  const name = tf.getBackend();
  if (name === 'webgpu') {
    const device = (tf.backend() as unknown as { device?: { limits?: GpuLimitsLike } }).device;
    const binding = device?.limits?.maxStorageBufferBindingSize ?? 128 * MiB;
    const buffer = device?.limits?.maxBufferSize ?? 256 * MiB;
    const workgroups = device?.limits?.maxComputeWorkgroupsPerDimension ?? 65_535;
    return { maxTensorBytes: Math.min(binding, buffer, TENSOR_BYTES_CAP), maxBufferBytes: buffer, maxWorkgroupsPerDimension: workgroups };
  }
  if (name === 'webgl') {
    const side = tf.env().getNumber('WEBGL_MAX_TEXTURE_SIZE');
    const bytes = side * side * 4;
    return { maxTensorBytes: Math.min(bytes, TENSOR_BYTES_CAP), maxBufferBytes: bytes, maxWorkgroupsPerDimension: Infinity };
  }
  return { maxTensorBytes: TENSOR_BYTES_CAP, maxBufferBytes: TENSOR_BYTES_CAP, maxWorkgroupsPerDimension: Infinity };
}

/**
 * How many rows of a float32 matrix with `cols` columns fit in one tensor on the current backend.
 * `bytesPerRowFactor` > 1 reserves room for intermediates that grow with the block
 * (e.g. 2 when a block and its transposed copy live at once). Always ≥ 1.
 */
export function rowsPerBlock(cols: number, bytesPerRowFactor = 1): number {
  if (!(cols >= 1) || !(bytesPerRowFactor > 0)) {
    throw new RedundancyLabError('bad-option', `rowsPerBlock: cols must be ≥ 1 and bytesPerRowFactor > 0 (got ${cols}, ${bytesPerRowFactor})`);
  }
  const { maxTensorBytes } = backendLimits();
  return Math.max(1, Math.floor(maxTensorBytes / (cols * 4 * bytesPerRowFactor)));
}
