/** A wired app (every store) over the fake client and an in-memory saved-results store. */
import { vi } from 'vitest';
import { createStores } from '../../../src/ui/stores/create.ts';
import { FakeClient, MemoryStore, flush } from './fakes.ts';

export function makeApp(options: { fetch?: typeof fetch; store?: MemoryStore } = {}) {
  const client = new FakeClient();
  const store = options.store ?? new MemoryStore();
  const page = { setBackend: vi.fn() };
  const stores = createStores(client, { forced: null, page, openStore: async () => store, fetch: options.fetch, baseURI: () => 'http://app.test/' });
  return { client, store, page, ...stores };
}

/** A file whose bytes depend on its name (same name, same fingerprint). */
export function npy(name: string, bytes = 32): File {
  return new File([new Uint8Array(bytes).fill(name.length)], name);
}

export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await flush();
}
