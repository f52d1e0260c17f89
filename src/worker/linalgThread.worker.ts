/**
 * One helper thread of the float64 kernel (core/numerics/linalgThreads.ts), started by the compute worker
 * where the page is cross-origin isolated: the first message carries the shared memory and the kernel.
 */
import { linalgThreadMain, runStrips, type LinalgThreadInit } from '../core/thread.ts';

self.onmessage = (event: MessageEvent<LinalgThreadInit>) => {
  self.onmessage = null;
  linalgThreadMain(event.data, () => self.postMessage('ready'), runStrips);
};
