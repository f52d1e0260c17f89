/** The demo files (public/demo/, listed in its manifest.json), loaded on first open or with "Try the demo". */
import { copySettings } from '../../core/lite.ts';
import type { FilesStore } from './files.svelte.ts';
import type { NoticeStore } from './notice.svelte.ts';
import type { RunState } from './runState.svelte.ts';
import type { RunsStore } from './runs.svelte.ts';
import type { SettingsStore } from './settings.svelte.ts';

interface DemoManifestEntry {
  file: string;
  role: 'embedding' | 'labels';
  title: string;
  description: string;
}

export interface DemoDeps {
  files: FilesStore;
  runs: Pick<RunsStore, 'runAll'>;
  state: Pick<RunState, 'active'>;
  settings: SettingsStore;
  notice: NoticeStore;
  fetch?: typeof fetch;
  /** the page's base URL (the demo folder is next to index.html) */
  baseURI?: () => string;
}

export class DemoStore {
  loading = $state(false);

  constructor(private readonly deps: DemoDeps) {}

  /** Loads the demo files; `autoRun` measures them with the Quick preset (unless `keepSettings`: then they wait for Run). */
  async load(options: { autoRun: boolean; keepSettings?: boolean }): Promise<void> {
    const { files, runs, state, settings, notice } = this.deps;
    const get = this.deps.fetch ?? ((input: URL) => fetch(input));
    if (this.loading) return;
    this.loading = true;
    try {
      const base = new URL('demo/', (this.deps.baseURI ?? (() => document.baseURI))());
      const manifest = (await (await get(new URL('manifest.json', base))).json()) as { files: DemoManifestEntry[] };
      const wanted = manifest.files.filter((f) => f.role === 'embedding' && !files.list.some((e) => e.demo && e.name === f.file));
      const blobs = await Promise.all(
        wanted.map(async (f) => {
          const response = await get(new URL(f.file, base));
          if (!response.ok) throw new Error(`demo file ${f.file}: HTTP ${response.status}`);
          return new File([await response.blob()], f.file, { type: 'application/octet-stream' });
        }),
      );
      await files.addFiles(blobs, { demo: true, descriptions: wanted.map((f) => f.description) });
    } catch (e) {
      notice.error(`Could not load the demo files: ${e instanceof Error ? e.message : String(e)}`);
      return;
    } finally {
      this.loading = false;
    }
    if (options.autoRun && !options.keepSettings && !state.active) {
      settings.applyPreset('quick');
      // a first look in seconds: AAC, LR (and the probe) for every file; then NLR, the slow part — one job, one bar
      const firstLook = { ...copySettings(settings.current), measures: settings.current.measures.filter((m) => m !== 'nlr') };
      await runs.runAll({ firstLook });
    }
  }
}
