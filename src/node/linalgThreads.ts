/**
 * The float64 kernel's helper threads in Node: node:worker_threads running core's linalgThreadSource. They
 * are unref'd, so a finished command exits without stopping them.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { linalgThreadSource, startLinalgThreads, type LinalgThreadSpawner } from '../core/index.ts';

const spawnNodeThread: LinalgThreadSpawner = (init) =>
  new Promise((resolve, reject) => {
    const worker = new Worker(linalgThreadSource, { eval: true, workerData: init });
    worker.unref();
    worker.once('error', reject);
    worker.once('message', () => resolve({ terminate: () => void worker.terminate() }));
  });

/** The cores Node may use (os.availableParallelism: the CPU affinity mask, cgroup limits aside). */
export function nodeCores(): number {
  return availableParallelism();
}

/** `threads` float64 threads (default: every core); returns the count in use. */
export function startNodeLinalgThreads(threads: number = nodeCores()): Promise<number> {
  return startLinalgThreads(threads, spawnNodeThread);
}
