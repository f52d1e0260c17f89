import { describe, expect, it } from 'vitest';
import type { BackendInfo } from '../../../src/worker/api.ts';
import { BACKENDS, isBackendName } from '../../../src/ui/stores/backend.svelte.ts';
import { jobFailure } from '../../../src/ui/stores/jobError.ts';
import { flush, jobError } from './fakes.ts';
import { makeApp, npy, settle } from './setup.ts';

describe('the backend', () => {
  it('names', () => {
    expect(BACKENDS).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect([isBackendName('wasm'), isBackendName('cuda'), isBackendName(null)]).toEqual([true, false, false]);
  });

  it('the badge follows the worker: starting, chosen, failed', () => {
    const app = makeApp();
    expect([app.backend.starting, app.backend.info, app.backend.forced]).toEqual([true, null, null]);
    const info = { name: 'wasm', skipped: [] } as unknown as BackendInfo;
    app.client.onBackend!(info);
    expect([app.backend.starting, app.backend.info]).toEqual([false, info]);
    app.client.onBackendError!(jobError('backend', 'no backend passed its self-test') as never);
    expect([app.backend.starting, app.backend.error]).toEqual([false, 'no backend passed its self-test']);
  });

  it('switching cancels a run first, resets the badge, rewrites the URL and restarts the worker', async () => {
    const app = makeApp();
    await app.files.addFiles([npy('a.npy')]);
    app.client.onBackend!({ name: 'webgl' } as BackendInfo);
    app.client.manual = true;
    const running = app.runs.runAll();
    await flush();
    await app.backend.setBackend('cpu');
    await running;
    expect(app.client.log.slice(-1)).toEqual(['cancel']);
    expect(app.files.list[0].status).toBe('cancelled');
    expect([app.backend.forced, app.backend.info, app.backend.starting, app.backend.error]).toEqual(['cpu', null, true, null]);
    expect(app.page.setBackend).toHaveBeenCalledWith('cpu');
    expect(app.client.backendsSet).toEqual(['cpu']);
    await app.backend.setBackend(null);
    expect(app.page.setBackend).toHaveBeenLastCalledWith(null);
    expect(app.client.backendsSet).toEqual(['cpu', undefined]);
  });

  it('a job recovered on another backend is one notice', () => {
    const app = makeApp();
    app.client.onRecovered!('the worker crashed on WEBGPU; restarted on WEBGL and ran the job again.');
    expect(app.notice.current).toEqual({ text: 'the worker crashed on WEBGPU; restarted on WEBGL and ran the job again.', tone: 'info' });
  });
});

describe('jobFailure', () => {
  it('keeps a job error’s kind and message; anything else is unexpected', () => {
    expect(jobFailure(jobError('cancelled', 'cancelled by the user'))).toEqual({ kind: 'cancelled', message: 'cancelled by the user' });
    expect(jobFailure({ kind: 'bad-shape', message: 'x' })).toEqual({ kind: 'bad-shape', message: 'x' });
    expect(jobFailure(new TypeError('oops'))).toEqual({ kind: 'internal', message: 'unexpected error: oops' });
    expect(jobFailure('text')).toEqual({ kind: 'internal', message: 'unexpected error: text' });
  });
});

describe('the demo', () => {
  const manifest = {
    files: [
      { file: 'layer1.npy', role: 'embedding', title: 'L1', description: 'first layer' },
      { file: 'layer2.npy', role: 'embedding', title: 'L2', description: 'second layer' },
      { file: 'labels.npy', role: 'labels', title: 'labels', description: 'labels' },
    ],
  };
  function fakeFetch(missing: string | null = null) {
    const urls: string[] = [];
    const fetch = (async (input: URL) => {
      urls.push(String(input));
      if (String(input).endsWith('manifest.json')) return new Response(JSON.stringify(manifest));
      if (missing && String(input).endsWith(missing)) return new Response('', { status: 404 });
      return new Response(new Uint8Array(8));
    }) as unknown as typeof globalThis.fetch;
    return { fetch, urls };
  }

  it('loads the embeddings as demo files, then measures a first look without NLR and then with the Quick preset', async () => {
    const { fetch, urls } = fakeFetch();
    const app = makeApp({ fetch });
    app.settings.applyPreset('paper');
    const measured: string[][] = [];
    const measure = app.client.measure.bind(app.client);
    app.client.measure = (id, array, settings, onProgress) => (measured.push([...settings.measures]), measure(id, array, settings, onProgress));
    await app.demo.load({ autoRun: true });
    expect(urls).toEqual(['http://app.test/demo/manifest.json', 'http://app.test/demo/layer1.npy', 'http://app.test/demo/layer2.npy']);
    expect(app.files.list.map((f) => [f.name, f.demo, f.description])).toEqual([
      ['layer1.npy', true, 'first layer'],
      ['layer2.npy', true, 'second layer'],
    ]);
    expect(app.settings.preset).toBe('quick');
    expect(measured).toEqual([['aac', 'lr'], ['aac', 'lr'], ['aac', 'lr', 'nlr'], ['aac', 'lr', 'nlr']]);
    expect(app.demo.loading).toBe(false);
    await app.demo.load({ autoRun: false });
    expect(app.files.list).toHaveLength(2); // already there
  });

  it('with a link’s settings the files wait for Run', async () => {
    const app = makeApp({ fetch: fakeFetch().fetch });
    app.settings.current.splitSeed = 4;
    await app.demo.load({ autoRun: true, keepSettings: true });
    await settle();
    expect(app.files.list.map((f) => f.status)).toEqual(['ready', 'ready']);
    expect(app.settings.current.splitSeed).toBe(4);
  });

  it('a download failure is one notice', async () => {
    const app = makeApp({ fetch: fakeFetch('layer1.npy').fetch });
    await app.demo.load({ autoRun: true });
    expect(app.notice.current).toEqual({ text: 'Could not load the demo files: demo file layer1.npy: HTTP 404', tone: 'error' });
    expect(app.files.list).toEqual([]);
    expect(app.demo.loading).toBe(false);
  });

  it('a file after the first that fails to download is one notice; the files that came are measured', async () => {
    const app = makeApp({ fetch: fakeFetch('layer2.npy').fetch });
    await app.demo.load({ autoRun: true });
    expect(app.notice.current).toEqual({ text: 'Could not load the demo file layer2.npy: demo file layer2.npy: HTTP 404', tone: 'error' });
    expect(app.files.list.map((f) => [f.name, f.status])).toEqual([['layer1.npy', 'done']]);
    expect(app.demo.loading).toBe(false);
  });
});
