/**
 * Saved results in IndexedDB, one record per (file fingerprint, array, settings) — results only, never the
 * embeddings. Plain IndexedDB (one object store, a handful of calls) rather than a wrapper package: no
 * dependency for ~60 lines, and every failure (private mode, quota, a blocked upgrade) surfaces as a rejected
 * promise the caller turns into a one-line note.
 */
import type { SavedRecord } from './records.ts';

const DB_NAME = 'redundancy-lab';
const DB_VERSION = 1;
const STORE = 'results';

export interface ResultStore {
  /** every saved record, newest first */
  list(): Promise<SavedRecord[]>;
  put(records: SavedRecord[]): Promise<void>;
  remove(id: string): Promise<void>;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

/** Opens (creating if needed) the store. Rejects where IndexedDB is missing or refused, within 5 s at most. */
/** Number arrays at least this long are stored as Float64Array (the heatmaps' 512 × 512 previews, spectra). */
const PACK_MIN_LENGTH = 256;

/**
 * The record as IndexedDB keeps it: long arrays of numbers as Float64Array. IndexedDB copies a record by structured
 * clone on the page's main thread, element by element for a plain array — a measured result's two 262,144-value
 * previews took ~0.2 s of it per result in headless Chromium, with the charts drawing meanwhile; a typed array is
 * copied whole (~10× faster, measured with structuredClone). Results hold no typed arrays of their own, so
 * unpackRecord turns every Float64Array back into a plain array: list() gives back exactly what put() was given.
 */
export function packRecord<T>(value: T): T {
  if (ArrayBuffer.isView(value)) return value; // none in a result today; never walked as an object
  if (Array.isArray(value)) {
    if (value.length >= PACK_MIN_LENGTH && value.every((v) => typeof v === 'number')) return Float64Array.from(value as number[]) as unknown as T;
    return value.map(packRecord) as unknown as T;
  }
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, packRecord(v)])) as T;
  return value;
}

export function unpackRecord<T>(value: T): T {
  if (value instanceof Float64Array) return Array.from(value) as unknown as T;
  if (Array.isArray(value)) return value.map(unpackRecord) as unknown as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unpackRecord(v)])) as T;
  return value;
}

export async function openResultStore(factory: IDBFactory | undefined = globalThis.indexedDB): Promise<ResultStore> {
  if (!factory) throw new Error('IndexedDB is not available in this browser');
  const open = factory.open(DB_NAME, DB_VERSION);
  open.onupgradeneeded = () => {
    if (!open.result.objectStoreNames.contains(STORE)) open.result.createObjectStore(STORE, { keyPath: 'id' });
  };
  const db = await Promise.race([
    request(open),
    new Promise<never>((_, reject) => {
      open.onblocked = () => reject(new Error('the database is blocked by another tab'));
      setTimeout(() => reject(new Error('the database did not open in 5 s')), 5_000);
    }),
  ]);
  db.onversionchange = () => db.close();

  return {
    async list() {
      const tx = db.transaction(STORE, 'readonly');
      const all = ((await request(tx.objectStore(STORE).getAll())) as SavedRecord[]).map(unpackRecord);
      return all.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
    },
    async put(records) {
      const tx = db.transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      for (const r of records) store.put(packRecord(r));
      await done(tx);
    },
    async remove(id) {
      const tx = db.transaction(STORE, 'readwrite');
      tx.objectStore(STORE).delete(id);
      await done(tx);
    },
  };
}
