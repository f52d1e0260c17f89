/**
 * The stores reach components through Svelte context (set once in App.svelte), one typed key per store, so a
 * component names what it uses: `const files = getFiles();`.
 */
import { getContext, setContext } from 'svelte';
import type { Stores } from './create.ts';

const KEYS: { [K in keyof Stores]: symbol } = {
  notice: Symbol('notice'),
  settings: Symbol('settings'),
  run: Symbol('run'),
  files: Symbol('files'),
  shards: Symbol('shards'),
  probes: Symbol('probes'),
  saved: Symbol('saved'),
  runs: Symbol('runs'),
  demo: Symbol('demo'),
  backend: Symbol('backend'),
  compare: Symbol('compare'),
};

/** Call during App's initialisation. */
export function setStores(stores: Stores): void {
  for (const name of Object.keys(KEYS) as (keyof Stores)[]) setContext(KEYS[name], stores[name]);
}

function get<K extends keyof Stores>(name: K): Stores[K] {
  const store = getContext<Stores[K] | undefined>(KEYS[name]);
  if (!store) throw new Error(`no ${name} store in context: components run inside App.svelte`);
  return store;
}

export const getNotice = () => get('notice');
export const getSettings = () => get('settings');
export const getRun = () => get('run');
export const getFiles = () => get('files');
export const getShards = () => get('shards');
export const getSaved = () => get('saved');
export const getRuns = () => get('runs');
export const getDemo = () => get('demo');
export const getBackend = () => get('backend');
export const getCompare = () => get('compare');
