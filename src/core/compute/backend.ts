// CONTRACT STUB — implemented by the compute helper. Signatures are fixed.
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  /** e.g. adapter name, "SIMD, 1 thread" */
  detail: string;
  /** faster backends that were skipped, and why */
  skipped: { name: BackendName; reason: string }[];
}
