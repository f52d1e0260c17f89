/**
 * The core's third entry, for the float64 kernel's helper threads: the kernel and its thread loop only, so a
 * helper worker loads kilobytes, not the whole core with tfjs.
 */
export { linalgThreadMain, runStrips, type LinalgThreadInit } from './numerics/linalgThreads.ts';
