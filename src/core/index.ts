/**
 * The core's public entry: everything the worker, the CLI, the Node entry (src/node) and the benchmarks use.
 * Code outside src/core imports the core only through this file or through lite.ts (npm run lint checks it);
 * unit tests may reach inside to test internals.
 */
export { selectBackend } from './compute/backend.ts';
export type { BackendInfo, BackendName } from './compute/backend.ts';
export { matmulRate } from './compute/matmulRate.ts';
export { CancelledError, RedundancyLabError, isRedundancyLabError } from './errors.ts';
export type { ErrorKind } from './errors.ts';
export { blobByteSource } from './io/blobSource.ts';
export { bytesByteSource } from './io/byteRange.ts';
export { inMemoryArray } from './io/inMemory.ts';
export { looksLikeLabels, readLabels } from './io/labels.ts';
export { openEmbeddingFile } from './io/open.ts';
export { concatenateShards } from './io/shards.ts';
export type { ArrayHandle, ByteSource, FileFormat, Matrix, OpenedFile } from './io/types.ts';
export { measureArray } from './measure.ts';
export { blockAveragedAbsCorrelation } from './measures/correlationPreview.ts';
export type { BlockAveragedCorrelation } from './measures/correlationPreview.ts';
export type { ProbeResult } from './measures/linearProbe.ts';
export { maxHeadsPerBatch } from './measures/mlpHeadsPerBatch.ts';
export { heldOutMlpR2 } from './measures/nlr.ts';
export type { NlrHeadsResult } from './measures/nlr.ts';
export { WARNING_CODES, bothAtNull } from './measures/reliability.ts';
export type { Reliability, ReliabilityWarning, WarningCode } from './measures/reliability.ts';
export { assignRows, splitMeans, splitScatter } from './measures/splitScatter.ts';
export { PAPER_SETTINGS, SPECTRUM_MAX_D } from './measures/types.ts';
export type { MeasureName, MeasureResult, MeasureSettings, MlpSettings, NlrDimSelection, PerDim, Progress } from './measures/types.ts';
export { NotPositiveDefiniteError, choleskyInPlace, spdInverse } from './numerics/linalg.ts';
export { linalgKernel, setLinalgKernel } from './numerics/linalgKernels.ts';
export type { LinalgKernel } from './numerics/linalgKernels.ts';
export { sklearnTrainTestSplit } from './numerics/split.ts';
export { DEFAULT_PRESET, PRESETS, PRESET_NAMES, copySettings, presetOf, sameSettings } from './presets.ts';
export type { PresetName } from './presets.ts';
export { DEFAULT_PROBE_RUN, probeArray, probeRunFor } from './probe.ts';
export type { MeasureSplit } from './probe.ts';
export { tagFromFileName } from './study/fileTag.ts';
export type { FileTag } from './study/fileTag.ts';
export { leastSquaresLine } from './study/modelCorrelation.ts';
export type { ModelCorrelation } from './study/modelCorrelation.ts';
export { splitResampling } from './study/splitResampling.ts';
export type { SplitSpread } from './study/splitResampling.ts';
export { STUDY_MEASURES, studyCorrelations, studyCsv, studyRow, studyWarnings } from './study/studyTable.ts';
export type { StudyMeasure, StudyRow } from './study/studyTable.ts';
export { VERSION } from './version.ts';
export { studyModel } from './study/studyModel.ts';
export type { StudyModel, StudyModelOptions } from './study/studyModel.ts';
