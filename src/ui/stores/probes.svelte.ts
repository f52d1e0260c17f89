/**
 * Which files have been probed for their current embedding, labels and split: Run probes only those that
 * have not (a probe that failed counts as done until one of them changes).
 */
import type { FileEntry } from './fileEntry.svelte.ts';
import type { FilesStore } from './files.svelte.ts';
import type { SettingsStore } from './settings.svelte.ts';

export class ProbeCache {
  private readonly probedKey = new WeakMap<FileEntry, string>();

  constructor(
    private readonly files: Pick<FilesStore, 'labelsOf'>,
    private readonly settings: SettingsStore,
  ) {}

  /** What a probe of this file depends on; null when it has no labels. */
  key(f: FileEntry): string | null {
    const labels = this.files.labelsOf(f);
    const s = this.settings.current;
    return labels ? JSON.stringify([f.embedding, labels.source, s.splitSeed, s.testFraction]) : null;
  }

  needsProbe(f: FileEntry): boolean {
    const key = this.key(f);
    return this.settings.probeEnabled && key !== null && this.probedKey.get(f) !== key;
  }

  isProbed(f: FileEntry, key: string): boolean {
    return this.probedKey.get(f) === key;
  }

  markProbed(f: FileEntry, key: string): void {
    this.probedKey.set(f, key);
  }
}
