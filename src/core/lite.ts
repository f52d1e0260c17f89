/**
 * The part of the core's public API that needs no compute backend (no tfjs): settings presets, the reliability
 * and study rules, and every public type. The UI imports the core only through this file (npm run lint checks
 * it), so the page's main bundle never pulls in a backend; the computing itself happens in the worker.
 */
export type { BackendInfo, BackendName } from './compute/backend.ts';
export type { ErrorKind } from './errors.ts';
export { CancelledError, RedundancyLabError, isRedundancyLabError } from './errors.ts';
export type { ArrayHandle, ByteSource, FileFormat, Matrix, OpenedFile } from './io/types.ts';
export type { BlockAveragedCorrelation } from './measures/correlationPreview.ts';
export type { ProbeResult } from './measures/linearProbe.ts';
export type { RedundancyGroup, RedundancyGroups } from './measures/redundancyGroups.ts';
export { groupMeans, groupOfDim } from './measures/redundancyGroups.ts';
export type { NlrHeadsResult } from './measures/nlr.ts';
export { WARNING_CODES, bothAtNull } from './measures/reliability.ts';
export { TRAINING_STATES, describeMlpSchedule, trainingSummary } from './measures/mlpTraining.ts';
export type { TrainingCounts, TrainingState } from './measures/mlpTraining.ts';
export type { Reliability, ReliabilityWarning, WarningCode } from './measures/reliability.ts';
export { PAPER_SETTINGS, SPECTRUM_MAX_D } from './measures/types.ts';
export type { FinishedNlrDims, MeasureName, MeasureResult, MeasureSettings, MlpSettings, NlrDimSelection, PerDim, Progress, WarningSeverity } from './measures/types.ts';
export type { LinalgKernel } from './numerics/linalgKernels.ts';
export { DEFAULT_PRESET, PRESETS, PRESET_NAMES, copySettings, presetOf, sameSettings } from './presets.ts';
export type { PresetName } from './presets.ts';
export type { MeasureSplit } from './probe.ts';
export { backendInfoSchema, correlationPreviewSchema, describeValue, finishedNlrDimsSchema, measureResultSchema, measureSettingsSchema, parseWith, probeResultSchema, probeRunResultSchema, reliabilitySchema, runResultSchema, schemaParts } from './resultSchema.ts';
export type { Same } from './resultSchema.ts';
export { tagAxis, tagFromFileName } from './study/fileTag.ts';
export type { FileTag, TagAxis, TaggedModel } from './study/fileTag.ts';
export { leastSquaresLine } from './study/modelCorrelation.ts';
export type { ModelCorrelation } from './study/modelCorrelation.ts';
export type { SplitSpread } from './study/splitResampling.ts';
export { STUDY_MEASURES, studyCorrelations, studyCsv, studyRow, studyWarnings } from './study/studyTable.ts';
export type { StudyMeasure, StudyRow } from './study/studyTable.ts';
export { toCsv } from './csv.ts';
export type { Cell } from './csv.ts';
export { isLabelsArray } from './io/arrayChoice.ts';
export type { ArrayShapeInfo } from './io/arrayChoice.ts';
export { REPORT_CSP, lrVsNlrReading, reportHtml } from './report/report.ts';
export type { ReportFile, ReportInput, ReportStudy } from './report/report.ts';
export { reportNumber } from './report/format.ts';
export { escapeHtml } from './report/html.ts';
export type { StudyCorrelations } from './study/studyTable.ts';
export { EFFICIENCY, TYPICAL_RATES, emptyWork, jobSeconds, measureSeconds, measureWork, mlpFlopCount, nlrDimsWithin, nlrHeadCount, nlrRowCapWithin, nlrRows, probeSeconds, probeWork, stageSeconds, totalWork, workSeconds } from './estimate.ts';
export type { MachineRates, MeasureCostOptions, Shape, Work, WorkByStage } from './estimate.ts';
export { lrVsNlrCaption } from './measures/reliability.ts';
export { naturalCompare, orderShards, shardName, shardSetName, suggestShardGroups } from './io/shardNames.ts';
export type { ShardGroup, ShardName } from './io/shardNames.ts';
export { VERSION } from './version.ts';
export { ALPHA_REQ_RANKS, alphaReqFit, alphaReqLine, explainedVarianceSpectrum, type AlphaReqFit, type ExplainedVarianceSpectrum } from './numerics/alphaReq.ts';
