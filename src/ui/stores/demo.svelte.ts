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
  /** from the manifest to the last demo file listed (the files after the first arrive while it is measured) */
  #busy = false;

  constructor(private readonly deps: DemoDeps) {}

  /**
   * Loads the demo files; `autoRun` measures them with the Quick preset (unless `keepSettings`: then they wait for
   * Run). A run fetches them one after another in the manifest's order, each while the one before is measured, so
   * the first numbers come after the first (small) file, not after all of the demo data.
   */
  async load(options: { autoRun: boolean; keepSettings?: boolean }): Promise<void> {
    const { files, runs, state, settings, notice } = this.deps;
    const get = this.deps.fetch ?? ((input: URL) => fetch(input));
    if (this.loading || this.#busy) return;
    this.loading = true;
    this.#busy = true;
    const run = options.autoRun && !options.keepSettings && !state.active;
    const base = new URL('demo/', (this.deps.baseURI ?? (() => document.baseURI))());
    const fetchFile = async (f: DemoManifestEntry) => {
      const response = await get(new URL(f.file, base));
      if (!response.ok) throw new Error(`demo file ${f.file}: HTTP ${response.status}`);
      return new File([await response.blob()], f.file, { type: 'application/octet-stream' });
    };
    let rest: DemoManifestEntry[] = [];
    const ownFiles = () => files.list.some((e) => !e.demo);
    try {
      try {
        const manifest = (await (await get(new URL('manifest.json', base))).json()) as { files: DemoManifestEntry[] };
        const wanted = manifest.files.filter((f) => f.role === 'embedding' && !files.list.some((e) => e.demo && e.name === f.file));
        const now = run ? wanted.slice(0, 1) : wanted;
        rest = wanted.slice(now.length);
        const blobs = await Promise.all(now.map(fetchFile));
        // the first visit's demo makes way for the user's own files, even those that came while it downloaded
        if (run && ownFiles()) return;
        await files.addFiles(blobs, { demo: true, descriptions: now.map((f) => f.description) });
      } catch (e) {
        notice.error(`Could not load the demo files: ${e instanceof Error ? e.message : String(e)}`);
        return;
      } finally {
        this.loading = false;
      }
      // (own files that came while the demo file opened have removed it): no run, and the user's settings stay
      if (!run || ownFiles()) {
        rest = [];
        return;
      }
      // the next demo file, listed (false: none after it); nothing once the user's files have replaced the demo
      const next = async (): Promise<boolean> => {
        const f = rest.shift();
        if (!f || !files.list.some((e) => e.demo)) {
          rest = [];
          return false;
        }
        try {
          await files.addFiles([await fetchFile(f)], { demo: true, descriptions: [f.description] });
        } catch (e) {
          notice.error(`Could not load the demo file ${f.file}: ${e instanceof Error ? e.message : String(e)}`);
        }
        return rest.length > 0;
      };
      settings.applyPreset('quick');
      // a first look in seconds: AAC, LR (and the probe) for every file; then NLR, the slow part — one job, one bar
      const firstLook = { ...copySettings(settings.current), measures: settings.current.measures.filter((m) => m !== 'nlr') };
      await runs.runAll({ firstLook, more: next });
      // a run cancelled before every file came: the rest are listed all the same, for Run
      while (rest.length) await next();
    } finally {
      this.#busy = false;
    }
  }
}
