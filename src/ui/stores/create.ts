/**
 * Builds the app's stores once (App.svelte) and wires them: each gets only the stores it uses, so a store
 * is tested with a fake client and no DOM.
 */
import type { BackendName } from '../../worker/api.ts';
import type { MeasureClient } from '../../worker/client.ts';
import type { ResultStore } from '../persist/resultStore.ts';
import { BackendStore } from './backend.svelte.ts';
import { DemoStore } from './demo.svelte.ts';
import { FilesStore } from './files.svelte.ts';
import { NoticeStore } from './notice.svelte.ts';
import { ProbeCache } from './probes.svelte.ts';
import { RunState } from './runState.svelte.ts';
import { RunsStore } from './runs.svelte.ts';
import { CompareStore } from './compare.svelte.ts';
import { SavedResultsStore } from './saved.svelte.ts';
import { SettingsStore } from './settings.svelte.ts';
import { ShardSets } from './shards.svelte.ts';
import type { PageUrl } from './url.ts';

/** The client's methods and callbacks the stores use (a test passes a fake). */
export type AppClient = Pick<
  MeasureClient,
  'openFile' | 'closeFile' | 'combineShards' | 'measure' | 'probe' | 'splitSpread' | 'compare' | 'cancel' | 'setBackend' | 'onBackend' | 'onBackendError' | 'onRecovered'
>;

export interface Stores {
  notice: NoticeStore;
  settings: SettingsStore;
  run: RunState;
  files: FilesStore;
  shards: ShardSets;
  probes: ProbeCache;
  saved: SavedResultsStore;
  runs: RunsStore;
  demo: DemoStore;
  backend: BackendStore;
  compare: CompareStore;
}

export interface StoreOptions {
  forced: BackendName | null;
  page: Pick<PageUrl, 'setBackend'>;
  openStore?: () => Promise<ResultStore>;
  fetch?: typeof fetch;
  baseURI?: () => string;
}

export function createStores(client: AppClient, options: StoreOptions): Stores {
  const notice = new NoticeStore();
  const settings = new SettingsStore();
  const run = new RunState(client, notice);
  const files = new FilesStore(client, run, notice);
  const shards = new ShardSets(client, files, run);
  const probes = new ProbeCache(files, settings);
  const backend = new BackendStore(client, options.forced, run, options.page);
  const saved = new SavedResultsStore({ files, settings, probes, notice, backendInfo: () => backend.info, openStore: options.openStore });
  const runs = new RunsStore({ client, files, settings, probes, saved, state: run, notice });
  const demo = new DemoStore({ files, runs, state: run, settings, notice, fetch: options.fetch, baseURI: options.baseURI });
  files.onOpened = (entry) => saved.attachSaved(entry);
  client.onRecovered = (message) => notice.info(message);
  const compare = new CompareStore({ client, files, state: run });
  return { notice, settings, run, files, shards, probes, saved, runs, demo, backend, compare };
}

/**
 * `window.redundancyLab`, for the console and the end-to-end tests: `run.active`, `client.injectFault(kind)`,
 * `files` (the entries, with their results), `settings`, and every store.
 */
export function debugHandle<C>(stores: Stores, client: C) {
  return {
    client,
    stores,
    get run(): RunState {
      return stores.run;
    },
    get files() {
      return stores.files.list;
    },
    get settings() {
      return stores.settings.current;
    },
  };
}
