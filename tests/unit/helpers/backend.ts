import { selectNodeBackend } from '../../../src/node/backend.ts';
import type { BackendInfo } from '../../../src/core/compute/backend.ts';

/** Unit tests run on the WASM backend, as the CLI does. */
export function useTestBackend(): Promise<BackendInfo> {
  return selectNodeBackend('wasm');
}
