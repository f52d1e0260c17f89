import type { BackendName } from '../../worker/api.ts';

export const BACKENDS: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export function isBackendName(v: string | null): v is BackendName {
  return v !== null && (BACKENDS as string[]).includes(v);
}
