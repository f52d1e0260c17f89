/**
 * The core's public entry: everything the worker, the CLI, the Node entry (src/node) and the benchmarks use.
 * Code outside src/core imports the core only through this file or through lite.ts (npm run lint checks it);
 * unit tests may reach inside to test internals.
 */
// the page's part (types and rules), then what computes
export * from './lite.ts';
export { selectBackend } from './compute/backend.ts';
export { matmulRate } from './compute/matmulRate.ts';
export { blobByteSource } from './io/blobSource.ts';
export { bytesByteSource } from './io/byteRange.ts';
export { inMemoryArray } from './io/inMemory.ts';
export { readLabels } from './io/labels.ts';
export { openEmbeddingFile } from './io/open.ts';
export { concatenateShards } from './io/shards.ts';
export { measureArray } from './measure.ts';
export { blockAveragedAbsCorrelation } from './measures/correlationPreview.ts';
export { maxHeadsPerBatch } from './measures/mlpHeadsPerBatch.ts';
export { heldOutMlpR2 } from './measures/nlr.ts';
export { assignRows, splitMeans, splitScatter } from './measures/splitScatter.ts';
export { NotPositiveDefiniteError, choleskyInPlace, spdInverse } from './numerics/linalg.ts';
export { linalgKernel, linalgThreadCount, setLinalgKernel } from './numerics/linalgKernels.ts';
export { linalgThreadMain, linalgThreadSource, runStrips, startLinalgThreads, stopLinalgThreads, type LinalgThreadInit, type LinalgThreadSpawner } from './numerics/linalgThreads.ts';
export { sklearnTrainTestSplit } from './numerics/split.ts';
export { DEFAULT_PROBE_RUN, probeArray, probeRunFor } from './probe.ts';
export { splitResampling } from './study/splitResampling.ts';
export { studyModel } from './study/studyModel.ts';
export type { StudyModel, StudyModelOptions } from './study/studyModel.ts';
export { defaultEmbeddingArray, defaultLabelsArray } from './io/arrayChoice.ts';
export { gemmNT } from './numerics/linalgKernels.ts';
export { linearCkaMatrices, type CkaMatrices } from './measures/cka.ts';
export { partOf, partRange, rowRange } from './shard/ranges.ts';
export { decodeMoments, decodeRidge, encodeMoments, encodeRidge, mergeMoments, mergeNlrHeads, mergeRidgeSums, momentsPart, shardInputs, type MomentsPart } from './shard/partials.ts';
export type { RidgeRowSums, ShardedRun, SplitStatistics } from './measures/types.ts';
