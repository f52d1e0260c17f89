/**
 * redundancy-lab study DIR | FILE... | --layers FILE.npz [--labels labels.npy] [--out study.csv] [--json] + measure flags
 * Measures every model, computes its linear-probe accuracy when labels exist, writes the table.
 */
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isLabelsArray, isRedundancyLabError, RedundancyLabError, studyCorrelations, studyCsv, studyModel, studyWarnings, type BackendInfo, type ReportFile, type StudyRow, type ArrayHandle, type OpenedFile } from '../../core/index.ts';
import { parsePositiveInt, settingsFromFlags, type MeasureFlags } from '../options.ts';
import { formatStudyTable, presetLine, presetName } from '../format.ts';
import { findLabels, openFile, pickArray } from '../openArray.ts';
import { CliProgress } from '../progress.ts';
import { writeReport } from '../report.ts';

const EMBEDDING_FILE = /\.(npy|npz|pt|pth|safetensors|csv|tsv|txt|parquet)$/i;

export interface StudyFlags extends MeasureFlags {
  array?: string;
  labels?: string;
  'labels-array'?: string;
  out?: string;
  json?: boolean;
  /** re-measure LR/NLR on k split seeds for a 95% interval per model */
  splits?: string;
  /** the table as CSV on stdout instead of the readable one */
  csv?: boolean;
  /** also write the static HTML report here */
  report?: string;
  /** measure each 2-D array of the one FILE as a model (the layers of one .npz) */
  layers?: boolean;
}

/** One model of the study: a file's chosen array, or (with --layers) one array of the file. */
interface StudyInput {
  file: string;
  opened: OpenedFile;
  array: ArrayHandle;
  /** the row's name: the file's, or `file.npz › array` */
  name: string;
}

/** With --layers: every 2-D, more-than-one-column array of the one file, labels arrays left out. */
function layerInputs(file: string, opened: OpenedFile): StudyInput[] {
  const layers = opened.arrays.filter((a) => a.shape.length >= 2 && a.cols > 1 && !isLabelsArray(a));
  if (layers.length === 0) {
    const names = opened.arrays.map((a) => `'${a.name}' (${a.shape.join('×')})`).join(', ');
    throw new RedundancyLabError('bad-shape', `--layers: no 2-D array to measure; the file holds ${names || 'no arrays'}`, opened.fileName);
  }
  return layers.map((array) => ({ file, opened, array, name: `${opened.fileName} › ${array.name}` }));
}

/** The models must have seen the same samples: one N for all, else a refusal naming each file and its N. */
function checkSameRows(inputs: StudyInput[]): void {
  const ns = new Set(inputs.map((x) => x.array.rows));
  if (ns.size <= 1) return;
  const list = inputs.map((x) => `${x.name}: N = ${x.array.rows}`).join(', ');
  throw new RedundancyLabError('bad-shape', `the models do not share N (${list}); a study compares models on the same samples — measure files of one N together, or pass only those`);
}

/** Files named, and the embedding files inside folders named (sorted), minus the labels file. */
async function expandInputs(inputs: string[], labelsPath?: string): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    if (!info) throw new RedundancyLabError('bad-option', 'no such file or folder', input);
    if (info.isDirectory()) {
      const names = (await readdir(input)).filter((n) => EMBEDDING_FILE.test(n)).sort();
      files.push(...names.map((n) => path.join(input, n)));
    } else files.push(input);
  }
  const labels = labelsPath ? path.resolve(labelsPath) : null;
  return files.filter((f) => path.resolve(f) !== labels && !/(^|[^a-z])labels?\.[a-z]+$/i.test(path.basename(f)));
}

export async function studyCommand(inputs: string[], flags: StudyFlags, backend: BackendInfo): Promise<void> {
  const { settings, preset } = settingsFromFlags(flags);
  const files = await expandInputs(inputs, flags.labels);
  if (files.length === 0) throw new RedundancyLabError('bad-option', `no embedding files in ${inputs.join(', ')}`);
  const rows: StudyRow[] = [];
  const results: ReportFile[] = [];
  const splits = flags.splits === undefined ? 0 : parsePositiveInt('--splits', flags.splits, 2);
  const progress = CliProgress.forStderr(!flags.quiet);
  // a bad file is reported with its message and the others are measured (as in the app)
  const skipped: { file: string; message: string }[] = [];
  const fail = (file: string, e: unknown) => {
    if (!isRedundancyLabError(e)) throw e;
    progress?.clear();
    const message = e.message.startsWith(path.basename(file)) ? e.message : `${path.basename(file)}: ${e.message}`;
    skipped.push({ file, message });
    process.stderr.write(`redundancy-lab: not measured: ${message}\n`);
  };
  if (flags.layers) {
    if (files.length !== 1) throw new RedundancyLabError('bad-option', `--layers measures the arrays of one file, got ${files.length} files`);
    if (flags.array !== undefined) throw new RedundancyLabError('bad-option', '--layers measures every array; leave out --array');
  }
  const models: StudyInput[] = [];
  for (const file of files) {
    try {
      const opened = await openFile(file);
      if (flags.layers) models.push(...layerInputs(file, opened));
      else models.push({ file, opened, array: pickArray(opened, flags.array), name: opened.fileName });
    } catch (e) {
      if (flags.layers) throw e;
      fail(file, e);
    }
  }
  checkSameRows(models);
  for (const [i, { file, opened, array, name }] of models.entries()) {
    try {
      const onProgress = progress ? (p: { fraction: number; message: string }) => progress.listener({ fraction: (i + p.fraction) / models.length, message: `${name}: ${p.message}` }) : undefined;
      const found = await findLabels(opened, array.rows, flags.labels, flags['labels-array']);
      const model = await studyModel(array, name, settings, { backend, onProgress, labels: found?.labels ?? null, splits });
      rows.push(model.row);
      results.push({ name, result: model.result, preset: presetName(preset) });
    } catch (e) {
      fail(file, e);
    }
  }
  progress?.clear();
  if (rows.length === 0) {
    throw new RedundancyLabError('bad-option', `no file could be measured (${skipped.length}): ${skipped.map((s) => s.message).join('; ')}`);
  }
  const correlations = studyCorrelations(rows);
  const warnings = studyWarnings(rows);
  if (flags.out) await writeFile(flags.out, flags.out.endsWith('.json') ? JSON.stringify({ rows, skipped, correlations, warnings, settings, preset, backend }, null, 2) : studyCsv(rows));
  if (flags.json) process.stdout.write(`${JSON.stringify({ rows, skipped, correlations, warnings, settings, preset, backend }, null, 2)}\n`);
  else if (flags.csv) process.stdout.write(studyCsv(rows));
  else process.stdout.write(`${presetLine(preset)}\n\n${formatStudyTable(rows, correlations, warnings, settings.splitSeed)}\n${skipped.map((x) => `not measured: ${x.message}\n`).join('')}${flags.out ? `\nwritten: ${flags.out}\n` : ''}`);
  if (flags.report) await writeReport(flags.report, { files: results, study: { rows, correlations, warnings } }, flags.quiet);
}
