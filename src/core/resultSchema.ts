/**
 * One schema per saved type — the measure settings, the backend, the reliability read-out, the measure result
 * and the probe result — from which the import validation is derived (`parseWith`), and against which the
 * hand-written interfaces are checked at compile time (the `Same<…>` assertions at the end: a field added to,
 * dropped from or retyped in either one fails `tsc`), so the type and its validation cannot drift apart.
 * (~350 lines: one schema per type, kept together so the whole saved format reads in one place.)
 *
 * Written with valibot rather than zod: valibot is separate functions a bundler tree-shakes (this file with the
 * valibot it uses is under 5 kB gzipped in the page, where zod's chained-method schemas bring the whole library),
 * and each schema takes a message function, which keeps our `path: expected …, found …` messages.
 *
 * JSON has no NaN: a measured number written as null reads back as NaN. Fields that older saves lack default as
 * those saves meant them (no reliability read-out: null; no probe fraction: 0.25; no protocol: corrected).
 */
import * as v from 'valibot';
import type { BackendInfo, BackendName } from './compute/backend.ts';
import type { BlockAveragedCorrelation } from './measures/correlationPreview.ts';
import type { ProbeResult } from './measures/linearProbe.ts';
import { TRAINING_STATES } from './measures/mlpTraining.ts';
import { WARNING_CODES, type FinishedNlrDims, type MeasureName, type MeasureResult, type MeasureSettings, type Reliability } from './measures/types.ts';
import type { LinalgKernel } from './numerics/linalgKernels.ts';

// ------------------------------------------------------------------ messages: `expected …, found …`

type Message = (issue: v.BaseIssue<unknown>) => string;

/** A value as an error message names it: `the string "many"`, `number 2`, `an array`, `null`. */
export function describeValue(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'string') return `the string ${JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x)}`;
  return typeof x === 'object' ? 'an object' : `${typeof x} ${String(x)}`;
}

export const expected =
  (what: string): Message =>
  (issue) =>
    `expected ${what}, found ${describeValue(issue.input)}`;

const anInteger: Message = (i) => `expected an integer, found ${String(i.input)}`;
const atLeast: Message = (i) => `expected at least ${String(i.requirement)}, found ${String(i.input)}`;
const atMost: Message = (i) => `expected at most ${String(i.requirement)}, found ${String(i.input)}`;
const moreThan: Message = (i) => `expected more than ${String(i.requirement)}, found ${String(i.input)}`;
const entries = (n: number, why: string) => `expected ${n} entries${why && ` (${why})`}`;

// ------------------------------------------------------------------ building blocks

const isPlainObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const plainObject = v.custom<Record<string, unknown>>(isPlainObject, expected('an object'));

/** An object with these fields (unknown fields dropped, output in this key order); a missing field reads as undefined. */
function fields<E extends v.ObjectEntries>(schemas: E) {
  // the object's own message only serves a missing key: say what the field's schema says about undefined
  return v.object(schemas, (issue) => {
    const key = issue.path?.at(-1)?.key;
    const schema = typeof key === 'string' ? schemas[key] : undefined;
    return (schema && v.safeParse(schema, undefined, { abortEarly: true }).issues?.[0].message) ?? 'missing';
  });
}

/** `fields`, refusing arrays (which are objects to JavaScript, never to us). */
const object = <E extends v.ObjectEntries>(schemas: E) => v.pipe(plainObject, fields(schemas));

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type WithoutNullish<T, K extends keyof T> = Simplify<Omit<T, K> & { [P in K]?: Exclude<T[P], null | undefined> }>;

/** The schema's output without these keys where they are null or undefined (optional fields, absent when unset). */
function omitNullish<S extends v.GenericSchema<unknown, object>, K extends keyof v.InferOutput<S> & string>(schema: S, keys: readonly K[]) {
  return v.pipe(
    schema,
    v.transform((o: v.InferOutput<S>): WithoutNullish<v.InferOutput<S>, K> => {
      const out = { ...o } as Record<string, unknown>;
      for (const k of keys) if (out[k] === null || out[k] === undefined) delete out[k];
      return out as WithoutNullish<v.InferOutput<S>, K>;
    }),
  );
}

/** Arrays whose length another field fixes: [path under the object, expected length, why]. */
type LengthRule<T> = (o: T) => [path: string[], length: number, why: string][];

function withLengths<S extends v.GenericSchema<unknown, object>>(schema: S, rule: LengthRule<v.InferOutput<S>>) {
  return v.pipe(
    schema,
    v.rawCheck<v.InferOutput<S>>(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      for (const [keys, length, why] of rule(dataset.value)) {
        let at: unknown = dataset.value;
        const path: v.IssuePathItem[] = [];
        for (const key of keys) {
          if (!isPlainObject(at)) break;
          path.push({ type: 'object', origin: 'value', input: at, key, value: at[key] });
          at = at[key];
        }
        if (path.length === keys.length && Array.isArray(at) && at.length !== length) {
          addIssue({ message: `${entries(length, why)}, found ${at.length}`, input: at, path: path as [v.IssuePathItem, ...v.IssuePathItem[]] });
          return;
        }
      }
    }),
  );
}

const text = v.string(expected('a string'));
const nullableText = v.nullish(text, null);
const aNumber = expected('a number');
const finite = v.pipe(v.number(aNumber), v.finite(aNumber));
const integer = (min: number) => v.pipe(finite, v.integer(anInteger), v.minValue(min, atLeast));
const count = integer(0);
const positive = v.pipe(finite, v.gtValue(0, moreThan));
const fraction = (max: number) => v.pipe(finite, v.maxValue(max, atMost), v.gtValue(0, moreThan));
/** A measured number: any number, and null (how JSON writes NaN and ±Infinity) reads back as NaN. */
const measured = v.pipe(v.nullable(v.number(aNumber)), v.transform((x) => x ?? Number.NaN));
/** A number that may be missing: null (or absent) stays null. */
const optionalMeasured = v.nullish(v.number(aNumber), null);
const list = <S extends v.GenericSchema>(item: S) => v.array(item, expected('an array'));
/** A per-dimension array (its length, d, is checked by the result: `withLengths`); null where not evaluated. */
const perDim = list(v.nullable(v.number(aNumber)));
function oneOf<const O extends readonly string[]>(options: O, what = options.length === 2 ? `${options[0]} or ${options[1]}` : `one of ${options.join(', ')}`) {
  return v.picklist(options, expected(what));
}

/** The parts records.ts builds its own schemas from (the file fingerprint, the file summary, the export document). */
export const schemaParts = { object, fields, omitNullish, text, nullableText, count, measured, list, oneOf, expected };

// ------------------------------------------------------------------ the schemas

const MEASURES = ['aac', 'lr', 'nlr'] as const satisfies readonly MeasureName[];

const nlrDimsSchema = v.pipe(
  plainObject,
  v.variant(
    'kind',
    [
      fields({ kind: v.literal('all') }),
      fields({ kind: v.literal('count'), count: integer(1) }),
      fields({ kind: v.literal('fraction'), fraction: fraction(1) }),
      fields({ kind: v.literal('list'), dims: list(count) }),
    ],
    expected('all, count, fraction or list'),
  ),
);

/** Measure settings, rebuilt in the app's key order (settings are compared as JSON) with measures in canonical order. */
export const measureSettingsSchema = omitNullish(
  object({
    measures: v.pipe(
      list(oneOf(MEASURES)),
      v.transform((ms) => MEASURES.filter((m) => ms.includes(m))),
    ),
    splitSeed: count,
    testFraction: fraction(0.99),
    ridgeAlphas: list(positive),
    nlrDims: nlrDimsSchema,
    nlrDimSeed: count,
    mlp: omitNullish(
      object({
        hidden: list(integer(1)),
        epochs: integer(1),
        learningRate: positive,
        batchSize: integer(1),
        optimizer: oneOf(['sgd', 'adam']),
        seed: count,
        // absent = a fixed number of epochs (the paper; results saved before early stopping existed)
        earlyStopping: v.nullish(object({ validationFraction: fraction(0.9), patience: integer(1) })),
      }),
      ['earlyStopping'],
    ),
    nlrRowCap: v.nullish(integer(2), null),
    // absent = the corrected protocol (results saved before the choice existed, and the presets)
    protocol: v.pipe(
      v.nullish(oneOf(['corrected', 'authors-script'])),
      v.transform((p): MeasureSettings['protocol'] => (p === 'authors-script' ? p : undefined)),
    ),
    // absent = decided from the file (authors-script only)
    authorsInput: v.optional(oneOf(['raw', 'standardised'])),
  }),
  ['protocol', 'authorsInput'],
);

const BACKEND_NAMES = ['webgpu', 'webgl', 'wasm', 'cpu'] as const satisfies readonly BackendName[];
const LINALG_KERNELS = ['wasm-simd', 'js'] as const satisfies readonly LinalgKernel[];

export const backendInfoSchema = omitNullish(
  object({
    name: oneOf(BACKEND_NAMES),
    detail: v.nullish(text, ''),
    skipped: v.nullish(list(object({ name: oneOf(BACKEND_NAMES), reason: text })), () => []),
    selfTestError: v.nullish(measured),
    float64Kernel: v.nullish(oneOf(LINALG_KERNELS)),
    float64Threads: v.nullish(integer(1)),
  }),
  ['selfTestError', 'float64Kernel', 'float64Threads'],
);

const band = v.nullish(
  v.pipe(
    list(measured),
    v.check((b) => b.length === 2, (i) => `${entries(2, 'low, high')}, found ${(i.input as unknown[]).length}`),
    v.transform((b): [number, number] => [b[0], b[1]]),
  ),
  null,
);

/** The reliability read-out (per-dim lengths: checked by the result). */
export const reliabilitySchema = object({
  dOverNTrain: measured,
  lrNull: optionalMeasured,
  lrNullBand: band,
  // saved before the null's LR was sampled: over every usable dim (not known here)
  lrNullDimCount: v.nullish(count, null),
  nlrNull: optionalMeasured,
  nlrNullBand: band,
  nlrNullDims: list(count),
  lrAdjusted: optionalMeasured,
  lrAdjustedPerDim: v.nullish(perDim, null),
  lrMedian: optionalMeasured,
  dimsBelowMinusOne: count,
  nlrTraining: v.nullish(object({ underTrained: count, overFitted: count, settled: count }), null),
  nlrEvaluated: v.nullable(count),
  // saved before warnings were graded: every one read as a warning
  warnings: list(object({ code: oneOf(WARNING_CODES), severity: v.nullish(oneOf(['info', 'warning']), 'warning'), message: text, measures: list(text) })),
});

/** extras.redundancyGroups (measures/redundancyGroups.ts); count and dimsInGroups must agree with the groups. */
const redundancyGroupsSchema = v.pipe(
  object({
    clustering: oneOf(['average-linkage-abs-r']),
    threshold: measured,
    linkMeasure: oneOf(['partial-correlation']),
    linkThreshold: optionalMeasured,
    links: v.nullish(count, null),
    count,
    dimsInGroups: count,
    shareOfDims: measured,
    groups: list(object({ dims: list(count), meanAbsR: measured, meanAbsPartialR: optionalMeasured, links: v.nullish(count, null) })),
  }),
  v.check((g) => g.count === g.groups.length, (i) => `count is ${String((i.input as { count: number }).count)} but there are ${(i.input as { groups: unknown[] }).groups.length} groups`),
  v.check(
    (g) => g.dimsInGroups === g.groups.reduce((s, x) => s + x.dims.length, 0),
    (i) => `dimsInGroups is ${String((i.input as { dimsInGroups: number }).dimsInGroups)} but the groups hold ${(i.input as { groups: { dims: unknown[] }[] }).groups.reduce((s, x) => s + x.dims.length, 0)} dims`,
  ),
);

const measureResultFields = {
  file: text,
  array: text,
  n: count,
  d: count,
  deadDims: list(count),
  splitDegenerateDims: list(count),
  // protocol 'authors-script' only (absent before the whole pipeline was reproduced)
  authorsScript: v.optional(object({ input: oneOf(['raw', 'standardised']), shiftedDims: list(count) })),
  nTrain: count,
  nTest: count,
  aac: v.nullish(object({ value: measured, meanAbsCorrPerDim: perDim }), null),
  lr: v.nullish(
    object({
      value: measured,
      perDim,
      alphaPerDim: perDim,
      topPredictors: v.nullish(list(v.nullable(list(object({ dim: count, coef: measured, partialCorr: measured })))), null),
    }),
    null,
  ),
  nlr: v.nullish(
    object({
      value: measured,
      perDim,
      minusLrPerDim: perDim,
      lrOnNlrDims: optionalMeasured,
      minusLr: optionalMeasured,
      evaluatedDims: list(count),
      // results saved before the training read-out (they judged the training loss alone) have none
      training: v.nullish(object({ underTrained: count, overFitted: count, settled: count }), null),
      trainingStatePerDim: v.nullish(list(v.nullable(oneOf(TRAINING_STATES))), null),
      scoredEpochPerDim: v.nullish(perDim, null),
      trainingMonitor: v.nullish(oneOf(['validation', 'held-out']), null),
      meanTrainLossByEpoch: list(measured),
      meanMonitorByEpoch: v.nullish(list(measured), () => []),
      gflop: measured,
      // a run cancelled mid-NLR kept the dims finished; this many were planned
      plannedDims: v.optional(count),
      reusedDims: v.optional(count),
    }),
    null,
  ),
  // results saved before the reliability read-out existed have none: the table says so
  reliability: v.nullish(reliabilitySchema, null),
  extras: object({
    inSampleR2: v.nullish(object({ value: measured, perDim }), null),
    rankMe: optionalMeasured,
    alphaReq: optionalMeasured, // null in results saved before it existed
    gaussianTotalCorrelation: optionalMeasured,
    minEigenvalue: optionalMeasured,
    covarianceEigenvalues: v.optional(v.nullable(list(measured))),
    eigenvalues: v.nullish(list(measured), null),
    redundancyGroups: v.nullish(redundancyGroupsSchema, null), // null in results saved before it existed
  }),
  settings: measureSettingsSchema,
  backend: backendInfoSchema,
  timingsMs: v.nullish(v.pipe(plainObject, v.record(v.string(), measured)), () => ({})),
  version: text,
  // cancelled after LR: what was finished was kept (absent on complete results)
  cancelled: v.optional(object({ during: oneOf(['nlr', 'null']) })),
  // handed over before NLR and the null baseline (never saved as final)
  provisional: v.optional(object({ awaiting: list(oneOf(['nlr', 'null'])) })),
};

/** Every per-dim array has one entry per dim. */
const perDimLengths: LengthRule<{ d: number }> = ({ d }) =>
  (
    [
      ['aac', 'meanAbsCorrPerDim'],
      ['lr', 'perDim'],
      ['lr', 'alphaPerDim'],
      ['lr', 'topPredictors'],
      ['nlr', 'perDim'],
      ['nlr', 'minusLrPerDim'],
      ['nlr', 'trainingStatePerDim'],
      ['nlr', 'scoredEpochPerDim'],
      ['reliability', 'lrAdjustedPerDim'],
      ['extras', 'inSampleR2', 'perDim'],
    ] as string[][]
  ).map((path) => [path, d, 'one per dim']);

export const measureResultSchema = withLengths(object(measureResultFields), perDimLengths);

export const correlationPreviewSchema = withLengths(object({ size: count, blockSize: integer(1), d: count, values: list(measured), clusterOrder: list(count) }), ({ size }) => [
  [['values'], size * size, 'size × size'],
  [['clusterOrder'], size, 'one per row'],
]);

/** The worker's RunResult: a measure result with its summary and (optionally) the heatmap preview. */
export const runResultSchema = omitNullish(
  withLengths(
    object({
      ...measureResultFields,
      summary: object({ nlrMinusLr: optionalMeasured, nlrMinusLrDims: count, wallMs: measured }),
      correlationPreview: v.nullish(correlationPreviewSchema),
      partialCorrelationPreview: v.nullish(correlationPreviewSchema),
    }),
    perDimLengths,
  ),
  ['correlationPreview', 'partialCorrelationPreview'],
);

const probeResultFields = {
  accuracy: v.pipe(finite, v.minValue(0, atLeast), v.maxValue(1, atMost)),
  majorityBaseline: measured,
  classes: count,
  lambda: measured,
  validationAccuracyByLambda: list(measured),
  trainAccuracy: measured,
  nTrain: count,
  nTest: count,
  settings: object({ lambdas: list(measured), steps: finite, learningRate: finite, validationFraction: finite }),
  labels: v.optional(object({ n: count, classes: count, sequence: text, histogram: text })),
};

export const probeResultSchema = object(probeResultFields);

/** The worker's ProbeRunResult: a probe result with where it ran. */
/** NLR heads a job finished before a reload or a cancel (saved with the partial result, to resume from): one entry per head. */
export const finishedNlrDimsSchema = v.pipe(
  object({
    dims: list(count),
    heldOutR2: list(measured),
    trainingState: list(oneOf(TRAINING_STATES)),
    scoredEpoch: list(count),
    lossByEpoch: list(list(measured)),
    monitorByEpoch: list(list(measured)),
  }),
  v.check((f) => [f.heldOutR2, f.trainingState, f.scoredEpoch, f.lossByEpoch, f.monitorByEpoch].every((a) => a.length === f.dims.length), expected('one entry per head in every list')),
);

export const probeRunResultSchema = object({
  ...probeResultFields,
  labelsSource: text,
  array: text,
  splitSeed: count,
  // probes saved before the split's fraction was recorded ran on 0.25 whatever the measurement used
  testFraction: v.optional(fraction(0.99), 0.25),
  backend: backendInfoSchema,
  wallMs: measured,
});

// ------------------------------------------------------------------ parsing

/** `lr.perDim[3]` from an issue's path, under `at` (`records[0].result`). */
function pathOf(at: string, path: readonly v.IssuePathItem[] = []): string {
  let out = at;
  for (const { key } of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out;
}

/**
 * `input` as the schema's output, or `fail(path, problem)` for the first thing wrong in it, e.g.
 * `fail('records[0].result.lr.perDim', 'expected 3 entries (one per dim), found 2')`.
 */
export function parseWith<S extends v.GenericSchema>(schema: S, input: unknown, at: string, fail: (path: string, problem: string) => never): v.InferOutput<S> {
  const parsed = v.safeParse(schema, input, { abortEarly: true });
  if (parsed.success) return parsed.output;
  const issue = parsed.issues[0];
  return fail(pathOf(at, issue.path), issue.message);
}

// ------------------------------------------------------------------ the types and the schemas cannot drift

/** `a?: T` and `a?: T | undefined` are one type here (no exactOptionalPropertyTypes): read both as `a?: T`, deeply. */
type Normal<T> = T extends readonly unknown[]
  ? { [K in keyof T]: Normal<T[K]> }
  : T extends object
    ? { [K in keyof T]: {} extends Pick<T, K> ? Normal<Exclude<T[K], undefined>> : Normal<T[K]> }
    : T;

/** true only when A and B are the same type (a field on one side only, optional on one side only, or wider, makes it false). */
export type Same<A, B> = (<T>() => T extends Normal<A> ? 1 : 2) extends <T>() => T extends Normal<B> ? 1 : 2 ? true : false;

const sameTypes: [
  Same<v.InferOutput<typeof measureSettingsSchema>, MeasureSettings>,
  Same<v.InferOutput<typeof backendInfoSchema>, BackendInfo>,
  Same<v.InferOutput<typeof reliabilitySchema>, Reliability>,
  Same<v.InferOutput<typeof measureResultSchema>, MeasureResult>,
  Same<v.InferOutput<typeof correlationPreviewSchema>, BlockAveragedCorrelation>,
  Same<v.InferOutput<typeof probeResultSchema>, ProbeResult>,
  Same<v.InferOutput<typeof finishedNlrDimsSchema>, FinishedNlrDims>,
] = [true, true, true, true, true, true, true];
void sameTypes;
