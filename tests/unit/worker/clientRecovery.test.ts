/**
 * The client's crash recovery, with a fake Worker that speaks comlink over a MessageChannel: a worker that
 * crashes mid-job is replaced by one on the next backend, which reopens the files from the kept File objects and
 * runs the job again; a job that ignores a cancel is stopped hard after a second. No browser needed.
 */
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { MeasureClient } from '../../../src/worker/client.ts';
import type { MeasureWorkerApi } from '../../../src/worker/measure.worker.ts';

type Behaviour = { crashOnMeasure?: boolean; hangOnMeasure?: boolean; headsBeforeCrash?: number[] };

/** A Worker whose other end is a fake API exposed with comlink; crash() fires the 'error' event a real crash fires. */
class FakeWorker extends EventTarget {
  terminated = false;
  readonly opened: string[] = [];
  /** the finished NLR dims the client handed back to this worker's measure (null: none) */
  resumedWith: number[] | null = null;
  private readonly port: MessagePort;
  constructor(behaviour: Behaviour, log: FakeWorker[]) {
    super();
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    log.push(this);
    let backend = 'wasm';
    const api: Partial<Record<keyof MeasureWorkerApi, unknown>> = {
      init: async (force?: string) => {
        backend = force ?? 'wasm';
        return { name: backend, detail: 'fake', skipped: [] };
      },
      openFile: async (file: File, id: string) => {
        this.opened.push(`${id}:${file.size} bytes`); // Node clones a File as a Blob: its size survives, its name not
        return { id, name: file.name ?? "emb.npy", byteLength: file.size, format: 'npy', arrays: [], defaultEmbedding: '', defaultLabels: null };
      },
      measure: async (fileId: string, _array: string, _settings: unknown, _progress: unknown, onHeads?: (h: unknown) => Promise<void>, resume?: { dims: number[] }) => {
        this.resumedWith = resume?.dims ?? null;
        if (behaviour.headsBeforeCrash && onHeads) {
          const dims = behaviour.headsBeforeCrash;
          await onHeads({ dims, heldOutR2: dims.map((d) => d / 10), trainingState: dims.map(() => 'settled'), scoredEpoch: dims.map(() => 2), lossByEpoch: dims.map(() => [1, 0.5]), monitorByEpoch: dims.map(() => [1, 0.6]) });
        }
        if (behaviour.crashOnMeasure) {
          setTimeout(() => this.crash('out of memory'), 10);
          return new Promise(() => undefined);
        }
        if (behaviour.hangOnMeasure) return new Promise(() => undefined);
        return Promise.resolve({ file: fileId, backendThatRan: backend });
      },
      cancel: () => undefined,
    };
    Comlink.expose(api, port2 as unknown as Comlink.Endpoint);
    port1.start();
  }
  postMessage(message: unknown, transfer?: Transferable[]) {
    if (!this.terminated) this.port.postMessage(message, transfer ?? []);
  }
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null) {
    if (type === 'message') this.port.addEventListener('message', listener as EventListener);
    else super.addEventListener(type, listener);
  }
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null) {
    if (type === 'message') this.port.removeEventListener('message', listener as EventListener);
    else super.removeEventListener(type, listener);
  }
  terminate() {
    this.terminated = true;
    this.port.close();
  }
  crash(message: string) {
    this.dispatchEvent(Object.assign(new Event('error'), { message }));
  }
}

const clients: MeasureClient[] = [];
afterEach(() => clients.splice(0).forEach((c) => c.dispose()));

function clientWith(behaviours: Behaviour[], force?: 'wasm'): { client: MeasureClient; workers: FakeWorker[] } {
  const workers: FakeWorker[] = [];
  const client = new MeasureClient(force, undefined, () => new FakeWorker(behaviours[workers.length] ?? {}, workers) as unknown as Worker);
  clients.push(client);
  return { client, workers };
}

const settings = {} as never;

describe('MeasureClient crash recovery (fake Worker)', () => {
  it('a crash mid-job: a fresh worker on the next backend reopens the file and runs the job again, and says so', async () => {
    const { client, workers } = clientWith([{ crashOnMeasure: true }, {}], 'wasm');
    const recovered: string[] = [];
    client.onRecovered = (m) => recovered.push(m);
    const id = (await client.openFile(new File([new Uint8Array(8)], 'emb.npy'))).id;
    const result = (await client.measure(id, '', settings)) as unknown as { file: string; backendThatRan: string };
    expect(workers).toHaveLength(2);
    expect(workers[0].terminated).toBe(true);
    expect(workers[1].opened).toEqual([`${id}:8 bytes`]); // reopened from the File the client kept
    expect(result).toEqual({ file: id, backendThatRan: 'cpu' });
    expect(recovered).toEqual([expect.stringMatching(/worker crashed \(out of memory\) on WASM; restarted on CPU and ran the job again/)]);
  });

  it('NLR heads finished before a crash are handed to the rerun, not trained again', async () => {
    const { client, workers } = clientWith([{ crashOnMeasure: true, headsBeforeCrash: [0, 3] }, {}], 'wasm');
    const id = (await client.openFile(new File([new Uint8Array(8)], 'emb.npy'))).id;
    await client.measure(id, '', settings);
    expect(workers[0].resumedWith).toBeNull();
    expect(workers[1].resumedWith).toEqual([0, 3]);
  });

  it('a job that ignores cancel is stopped hard after a second; the next job runs in a fresh worker', async () => {
    const { client, workers } = clientWith([{ hangOnMeasure: true }, {}], 'wasm');
    const id = (await client.openFile(new File([new Uint8Array(8)], 'emb.npy'))).id;
    const running = client.measure(id, '', settings);
    const outcome = running.then(
      () => 'finished',
      (e: { kind?: string }) => e.kind,
    );
    await new Promise((r) => setTimeout(r, 20));
    const t0 = Date.now();
    await client.cancel();
    expect(await outcome).toBe('cancelled');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(workers[0].terminated).toBe(true);
    const next = (await client.measure(id, '', settings)) as unknown as { backendThatRan: string };
    expect(next.backendThatRan).toBe('wasm');
    expect(workers).toHaveLength(2);
  });
});
