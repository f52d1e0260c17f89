import { describe, expect, it } from 'vitest';
import type { ProbeRunResult, RunResult } from '../../../src/worker/api.ts';
import { EXPORT_FORMAT, parseResult, parseResultsExport, parseSettings, recordId, resultsExport, settingsSummary, ValidationError, type SavedRecord } from '../../../src/ui/persist/records.ts';
import { QUICK_SETTINGS, copySettings } from '../../../src/core/presets.ts';
import { PAPER_SETTINGS } from '../../../src/core/measures/types.ts';

// float64Kernel: the import validator used to drop it silently
const backend = { name: 'wasm' as const, detail: 'SIMD, 1 thread', skipped: [{ name: 'webgpu' as const, reason: 'no adapter' }], float64Kernel: 'wasm-simd' as const };

function result(): RunResult {
  const settings = copySettings(QUICK_SETTINGS);
  return {
    file: 'synthetic-linear.npy',
    array: '',
    n: 2000,
    d: 3,
    deadDims: [],
    splitDegenerateDims: [],
    nTrain: 1500,
    nTest: 500,
    aac: { value: 0.41, meanAbsCorrPerDim: [0.4, 0.41, 0.42] },
    lr: { value: 0.8, perDim: [0.7, 0.8, 0.9], alphaPerDim: [1, 0.1, 10], topPredictors: [[{ dim: 2, coef: 0.5, partialCorr: 0.4 }], null, [{ dim: 0, coef: -0.2, partialCorr: -0.1 }]] },
    nlr: {
      value: 0.85,
      perDim: [0.8, null, 0.9],
      minusLrPerDim: [0.1, null, 0],
      lrOnNlrDims: 0.8,
      minusLr: 0.05,
      evaluatedDims: [0, 2],
      training: { underTrained: 1, overFitted: 0, settled: 1 },
      trainingStatePerDim: ['settled', null, 'under-trained'],
      scoredEpochPerDim: [3, null, 3],
      trainingMonitor: 'held-out',
      meanTrainLossByEpoch: [1, 0.5, 0.4],
      meanMonitorByEpoch: [1, 0.6, 0.5],
      gflop: 0.01,
    },
    reliability: {
      dOverNTrain: 0.002,
      lrNull: -0.001,
      lrNullBand: [-0.021, 0.019],
      lrNullDimCount: 3,
      nlrNull: -0.01,
      nlrNullBand: [-0.03, 0.01],
      nlrNullDims: [0, 2],
      lrAdjusted: 0.79,
      lrAdjustedPerDim: [0.7, 0.8, 0.87],
      lrMedian: 0.8,
      dimsBelowMinusOne: 0,
      nlrTraining: { underTrained: 1, overFitted: 0, settled: 1 },
      nlrEvaluated: 2,
      warnings: [{ code: 'nlr-not-converged', severity: 'warning', message: '1 of 2 NLR MLPs settled', measures: ['nlr', 'nlrMinusLr'] }],
    },
    extras: { inSampleR2: { value: 0.82, perDim: [0.8, 0.82, 0.84] }, rankMe: 2.1, alphaReq: 1.1, gaussianTotalCorrelation: 0.9, minEigenvalue: 0.05, eigenvalues: [2, 0.95, 0.05],
      redundancyGroups: {
        clustering: 'average-linkage-abs-r',
        threshold: 0.5,
        linkMeasure: 'partial-correlation',
        linkThreshold: 0.09,
        links: 1,
        count: 1,
        dimsInGroups: 2,
        shareOfDims: 2 / 3,
        groups: [{ dims: [0, 2], meanAbsR: 0.6, meanAbsPartialR: 0.4, links: 1 }],
      },
    },
    settings,
    backend,
    timingsMs: { total: 120 },
    version: '0.1.0',
    summary: { nlrMinusLr: 0.05, nlrMinusLrDims: 2, wallMs: 130 },
    correlationPreview: { size: 2, blockSize: 2, d: 3, values: [1, 0.5, 0.5, 1], clusterOrder: [1, 0] },
  };
}

const probe: ProbeRunResult = {
  accuracy: 0.9,
  majorityBaseline: 0.1,
  classes: 10,
  lambda: 0.001,
  validationAccuracyByLambda: [0.8, 0.9],
  trainAccuracy: 0.95,
  nTrain: 1500,
  nTest: 500,
  settings: { lambdas: [1e-3, 1e-2], steps: 200, learningRate: 0.05, validationFraction: 0.2 },
  labelsSource: "array 'labels'",
  array: '',
  splitSeed: 42,
  testFraction: 0.3,
  backend,
  wallMs: 20,
};

function record(): SavedRecord {
  const r = result();
  const fingerprint = { name: 'synthetic-linear.npy', size: 256128, sha256: 'a'.repeat(64) };
  return {
    id: recordId(fingerprint, r.array, r.settings),
    fingerprint,
    savedAt: '2025-01-02T03:04:05.000Z',
    array: r.array,
    labels: null,
    summary: { name: 'synthetic-linear.npy', byteLength: 256128, format: 'npy', arrays: [{ name: '', shape: [2000, 3], dtype: 'float32', rows: 2000, cols: 3 }], defaultEmbedding: '', defaultLabels: null },
    result: r,
    probe,
    nlrFinished: null,
    studyChoices: null,
    appVersion: '0.1.0',
  };
}

function exported(records = [record()]): string {
  return JSON.stringify(resultsExport(records, { appVersion: '0.1.0', userAgent: 'test', backend, now: new Date('2025-02-03T00:00:00Z') }));
}

function errorOf(text: string): ValidationError {
  try {
    parseResultsExport(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

/** The exported document with one change made to its JSON. */
function edited(change: (doc: { records: Record<string, any>[] } & Record<string, unknown>) => void): string {
  const doc = JSON.parse(exported());
  change(doc);
  return JSON.stringify(doc);
}

describe('the Export all file', () => {
  it('round-trips: what is exported is what is imported', () => {
    const doc = parseResultsExport(exported());
    expect(doc.format).toBe(EXPORT_FORMAT);
    expect(doc.backend).toEqual(backend);
    expect(doc.records).toEqual([record()]);
  });

  it('a record cut short keeps its finished NLR heads (to resume from); lists of unequal length are refused', () => {
    const r = { ...record(), nlrFinished: { dims: [3, 1], heldOutR2: [0.5, Number.NaN], trainingState: ['settled', 'under-trained'], scoredEpoch: [7, 9], lossByEpoch: [[1, 0.4], [1, 0.6]], monitorByEpoch: [[0.9, 0.5], [0.9, 0.7]] } } as SavedRecord;
    const doc = parseResultsExport(exported([r]));
    expect(doc.records[0].nlrFinished).toEqual(r.nlrFinished);
    const short = JSON.parse(exported([r]));
    short.records[0].nlrFinished.scoredEpoch = [7];
    expect(errorOf(JSON.stringify(short)).message).toMatch(/records\[0\]\.nlrFinished.*one entry per head/);
    const badState = JSON.parse(exported([r]));
    badState.records[0].nlrFinished.trainingState = ['settled', 'bored'];
    expect(errorOf(JSON.stringify(badState)).path).toBe('records[0].nlrFinished.trainingState[1]');
  });

  it('a row’s study choices (left out, typed tag and accuracy) round-trip; a non-boolean inStudy is refused by path', () => {
    const choices = { inStudy: false, tag: '3', accuracy: '71.5%' };
    expect(parseResultsExport(exported([{ ...record(), studyChoices: choices }])).records[0].studyChoices).toEqual(choices);
    expect(parseResultsExport(exported()).records[0].studyChoices).toBeNull();
    expect(errorOf(edited((d) => (d.records[0].studyChoices = { inStudy: 'no', tag: '', accuracy: '' }))).message).toMatch(/records\[0\]\.studyChoices\.inStudy/);
  });

  it('NaN written as null reads back as NaN (JSON has no NaN)', () => {
    const r = record();
    r.result.lr!.value = Number.NaN;
    r.result.extras.rankMe = null;
    const doc = parseResultsExport(exported([r]));
    expect(doc.records[0].result.lr!.value).toBeNaN();
    expect(doc.records[0].result.extras.rankMe).toBeNull();
  });

  it('recomputes the record id instead of trusting it', () => {
    const doc = parseResultsExport(edited((d) => (d.records[0].id = 'forged')));
    expect(doc.records[0].id).toBe(record().id);
  });

  it('settings come back in the app’s key order', () => {
    const doc = parseResultsExport(
      edited((d) => {
        const s = d.records[0].result.settings;
        d.records[0].result.settings = Object.fromEntries(Object.entries(s).reverse());
      }),
    );
    expect(JSON.stringify(doc.records[0].result.settings)).toBe(JSON.stringify(QUICK_SETTINGS));
  });

  it('says what is wrong and where', () => {
    const cases: [string, RegExp][] = [
      ['{not json', /^the file: not JSON/],
      ['[]', /^the file: expected an object, found an array/],
      [JSON.stringify({ tool: 'Redundancy Lab', files: [] }), /^format: expected "redundancy-lab-results".*Whole run as JSON/],
      [edited((d) => (d.formatVersion = 2)), /^formatVersion: expected 1, found number 2/],
      [edited((d) => delete (d as Record<string, unknown>).records), /^records: expected an array, found undefined/],
      [edited((d) => (d.records[0].fingerprint.sha256 = 'xyz')), /^records\[0\]\.fingerprint\.sha256: expected 64 lower-case hex digits/],
      [edited((d) => (d.records[0].result.n = 'many')), /^records\[0\]\.result\.n: expected a number, found the string "many"/],
      [edited((d) => d.records[0].result.lr.perDim.pop()), /^records\[0\]\.result\.lr\.perDim: expected 3 entries \(one per dim\), found 2/],
      [edited((d) => (d.records[0].result.aac.meanAbsCorrPerDim[1] = 'x')), /^records\[0\]\.result\.aac\.meanAbsCorrPerDim\[1\]: expected a number/],
      [edited((d) => (d.records[0].result.settings.measures = ['aac', 'foo'])), /^records\[0\]\.result\.settings\.measures\[1\]: expected one of aac, lr, nlr/],
      [edited((d) => (d.records[0].result.backend.name = 'tpu')), /^records\[0\]\.result\.backend\.name: expected one of webgpu/],
      [edited((d) => (d.records[0].savedAt = 'yesterday')), /^records\[0\]\.savedAt: expected a date/],
      [edited((d) => (d.records[0].probe.accuracy = 1.5)), /^records\[0\]\.probe\.accuracy: expected at most 1/],
      [edited((d) => (d.records[0].result.correlationPreview.values = [1])), /^records\[0\]\.result\.correlationPreview\.values: expected 4 entries/],
      [edited((d) => d.records.push(null as unknown as Record<string, unknown>)), /^records\[1\]: expected an object, found null/],
      [edited((d) => (d.records[0].result.extras.redundancyGroups.count = 2)), /^records\[0\]\.result\.extras\.redundancyGroups: count is 2 but there are 1 groups/],
      [edited((d) => (d.records[0].result.extras.redundancyGroups.groups[0].dims = [0])), /^records\[0\]\.result\.extras\.redundancyGroups: dimsInGroups is 2 but the groups hold 1 dims/],
      [edited((d) => (d.records[0].result.extras.redundancyGroups.linkMeasure = 'coef')), /^records\[0\]\.result\.extras\.redundancyGroups\.linkMeasure: expected one of partial-correlation, found the string "coef"/],
    ];
    for (const [text, message] of cases) expect(errorOf(text).message, text.slice(0, 80)).toMatch(message);
  });

  it('a record may have no probe, no summary and no heatmap preview', () => {
    const doc = parseResultsExport(
      edited((d) => {
        d.records[0].probe = null;
        d.records[0].summary = null;
        delete d.records[0].result.correlationPreview;
        d.records[0].result.nlr = null;
      }),
    );
    expect(doc.records[0].probe).toBeNull();
    expect(doc.records[0].summary).toBeNull();
    expect(doc.records[0].result.correlationPreview).toBeUndefined();
    expect(doc.records[0].result.nlr).toBeNull();
  });
});

describe('one schema per saved type', () => {
  it('old saves: missing optional fields default as those saves meant them', () => {
    const doc = parseResultsExport(
      edited((d) => {
        const r = d.records[0];
        delete r.result.reliability;
        delete r.result.extras.redundancyGroups;
        delete r.result.nlr.lrOnNlrDims;
        delete r.result.nlr.minusLr;
        delete r.result.timingsMs;
        delete r.result.backend.float64Kernel;
        delete r.result.backend.skipped;
        delete r.result.backend.detail;
        delete r.probe.testFraction;
        delete r.appVersion;
        delete d.appVersion;
        d.backend = null;
      }),
    );
    const r = doc.records[0];
    expect(r.result.reliability).toBeNull();
    expect(r.result.extras.redundancyGroups).toBeNull();
    expect(r.result.nlr!.lrOnNlrDims).toBeNull();
    expect(r.result.nlr!.minusLr).toBeNull();
    expect(r.result.timingsMs).toEqual({});
    expect(r.result.backend).toStrictEqual({ name: 'wasm', detail: '', skipped: [] });
    expect(r.probe!.testFraction).toBe(0.25);
    expect(r.appVersion).toBe('unknown');
    expect(doc.appVersion).toBe('unknown');
    expect(doc.backend).toBeNull();
  });

  it('protocol: absent, null or "corrected" = the corrected protocol (no key); "authors-script" is kept', () => {
    for (const protocol of [undefined, null, 'corrected']) {
      const doc = parseResultsExport(edited((d) => (d.records[0].result.settings.protocol = protocol)));
      expect('protocol' in doc.records[0].result.settings).toBe(false);
    }
    const doc = parseResultsExport(edited((d) => (d.records[0].result.settings.protocol = 'authors-script')));
    expect(doc.records[0].result.settings.protocol).toBe('authors-script');
    expect(doc.records[0].id).toBe(recordId(doc.records[0].fingerprint, '', doc.records[0].result.settings));
  });

  it('null optional fields are left out, unknown fields dropped, a non-string "unusable" dropped', () => {
    const doc = parseResultsExport(
      edited((d) => {
        const r = d.records[0];
        r.result.correlationPreview = null;
        r.result.backend.float64Kernel = null;
        r.result.backend.selfTestError = null;
        r.result.surprise = 1;
        r.summary.arrays[0].unusable = 3;
        r.summary.arrays.push({ name: 'ids', shape: [2000], dtype: 'str', rows: 2000, cols: 1, unusable: 'strings' });
      }),
    );
    const r = doc.records[0];
    expect('correlationPreview' in r.result).toBe(false);
    expect(r.result.backend).toStrictEqual({ name: 'wasm', detail: 'SIMD, 1 thread', skipped: [{ name: 'webgpu', reason: 'no adapter' }] });
    expect('surprise' in r.result).toBe(false);
    expect('unusable' in r.summary!.arrays[0]).toBe(false);
    expect(r.summary!.arrays[1].unusable).toBe('strings');
  });

  it('measures come back deduplicated in canonical order', () => {
    const doc = parseResultsExport(edited((d) => (d.records[0].result.settings.measures = ['nlr', 'aac', 'nlr'])));
    expect(doc.records[0].result.settings.measures).toEqual(['aac', 'nlr']);
  });

  it('names the path and the problem for each kind of check', () => {
    const cases: [string, RegExp][] = [
      [edited((d) => delete d.records[0].result.n), /^records\[0\]\.result\.n: expected a number, found undefined$/],
      [edited((d) => (d.records[0].result.n = 1.5)), /^records\[0\]\.result\.n: expected an integer, found 1\.5$/],
      [edited((d) => (d.records[0].result.nTrain = -1)), /^records\[0\]\.result\.nTrain: expected at least 0, found -1$/],
      [edited((d) => (d.records[0].result = [])), /^records\[0\]\.result: expected an object, found an array$/],
      [edited((d) => (d.records[0].result.settings.testFraction = 0)), /^records\[0\]\.result\.settings\.testFraction: expected more than 0, found 0$/],
      [edited((d) => (d.records[0].result.settings.nlrDims = { kind: 'some' })), /^records\[0\]\.result\.settings\.nlrDims\.kind: expected all, count, fraction or list, found the string "some"$/],
      [edited((d) => (d.records[0].result.settings.nlrDims = { kind: 'count', count: 0 })), /^records\[0\]\.result\.settings\.nlrDims\.count: expected at least 1, found 0$/],
      [edited((d) => (d.records[0].result.settings.mlp.optimizer = 'rmsprop')), /^records\[0\]\.result\.settings\.mlp\.optimizer: expected sgd or adam, found the string "rmsprop"$/],
      [edited((d) => (d.records[0].result.settings.protocol = 'paper')), /^records\[0\]\.result\.settings\.protocol: expected corrected or authors-script/],
      [edited((d) => (d.records[0].result.backend.float64Kernel = 'gpu')), /^records\[0\]\.result\.backend\.float64Kernel: expected wasm-simd or js, found the string "gpu"$/],
      [edited((d) => (d.records[0].result.timingsMs.total = 'slow')), /^records\[0\]\.result\.timingsMs\.total: expected a number/],
      [edited((d) => (d.records[0].result.nlr.trainingStatePerDim[0] = 'yes')), /^records\[0\]\.result\.nlr\.trainingStatePerDim\[0\]: expected /],
      [edited((d) => d.records[0].result.nlr.trainingStatePerDim.pop()), /^records\[0\]\.result\.nlr\.trainingStatePerDim: expected 3 entries \(one per dim\), found 2$/],
      [edited((d) => d.records[0].result.reliability.lrAdjustedPerDim.push(1)), /^records\[0\]\.result\.reliability\.lrAdjustedPerDim: expected 3 entries \(one per dim\), found 4$/],
      [edited((d) => d.records[0].result.extras.inSampleR2.perDim.pop()), /^records\[0\]\.result\.extras\.inSampleR2\.perDim: expected 3 entries/],
      [edited((d) => d.records[0].result.reliability.lrNullBand.push(0)), /^records\[0\]\.result\.reliability\.lrNullBand: expected 2 entries/],
      [edited((d) => (d.records[0].result.reliability.warnings[0].code = 'odd')), /^records\[0\]\.result\.reliability\.warnings\[0\]\.code: expected one of high-d-over-n/],
      [edited((d) => d.records[0].result.correlationPreview.clusterOrder.pop()), /^records\[0\]\.result\.correlationPreview\.clusterOrder: expected 2 entries/],
      [edited((d) => (d.records[0].result.backend.skipped[0].name = 'tpu')), /^records\[0\]\.result\.backend\.skipped\[0\]\.name: expected one of webgpu/],
      [edited((d) => (d.records[0].probe.testFraction = null)), /^records\[0\]\.probe\.testFraction: expected a number, found null$/],
      [edited((d) => (d.records[0].summary.arrays[0].rows = 'x')), /^records\[0\]\.summary\.arrays\[0\]\.rows: expected a number/],
      [edited((d) => (d.records[0].fingerprint.size = true)), /^records\[0\]\.fingerprint\.size: expected a number, found boolean true$/],
    ];
    for (const [text, message] of cases) expect(errorOf(text).message, text.slice(0, 80)).toMatch(message);
  });

  it('parseSettings and parseResult take any path prefix', () => {
    expect(() => parseSettings({ ...QUICK_SETTINGS, splitSeed: -1 }, 'hash.settings')).toThrow(/^hash\.settings\.splitSeed: expected at least 0, found -1$/);
    expect(parseResult(JSON.parse(JSON.stringify(result())))).toEqual(result());
    expect(() => parseResult(null)).toThrow(/^result: expected an object, found null$/);
  });
});

describe('settingsSummary', () => {
  it('names presets and describes edited settings', () => {
    expect(settingsSummary(QUICK_SETTINGS)).toBe('Quick: AAC + LR + NLR');
    expect(settingsSummary(PAPER_SETTINGS)).toBe('Paper protocol: AAC + LR + NLR');
    const s = copySettings(QUICK_SETTINGS);
    s.measures = ['aac', 'lr'];
    expect(settingsSummary(s)).toBe('custom: AAC + LR, split seed 0, test 0.25');
  });
});

describe('openResultStore', () => {
  it('rejects (never throws synchronously) where IndexedDB is missing or refuses to open', async () => {
    const { openResultStore } = await import('../../../src/ui/persist/resultStore.ts');
    await expect(openResultStore(undefined)).rejects.toThrow(/IndexedDB is not available/);
    const refusing = {
      open() {
        const req = { error: new Error('The operation is insecure.') } as unknown as IDBOpenDBRequest;
        setTimeout(() => req.onerror?.(new Event('error')), 0);
        return req;
      },
    } as unknown as IDBFactory;
    await expect(openResultStore(refusing)).rejects.toThrow(/insecure/);
  });
});

describe('the record as IndexedDB keeps it (packRecord / unpackRecord)', () => {
  it('long number arrays go in as Float64Array and come back as the same plain arrays, through a structured clone', async () => {
    const { packRecord, unpackRecord } = await import('../../../src/ui/persist/resultStore.ts');
    const r = record();
    const values = Array.from({ length: 512 * 512 }, (_, i) => (i % 97 === 0 ? -0 : Math.sin(i) * 1e-300 + Math.cos(i)));
    const withPreview = { ...r, result: { ...r.result, correlationPreview: { size: 512, blockSize: 1, d: 512, values, clusterOrder: Array.from({ length: 512 }, (_, i) => 511 - i) } } } as SavedRecord;
    const packed = packRecord(withPreview) as unknown as { result: { correlationPreview: { values: unknown; clusterOrder: unknown }; lr: { perDim: unknown } } };
    expect(packed.result.correlationPreview.values).toBeInstanceOf(Float64Array);
    expect(packed.result.correlationPreview.clusterOrder).toBeInstanceOf(Float64Array);
    expect(Array.isArray(packed.result.lr.perDim)).toBe(true); // short arrays, and arrays with nulls, stay as they are
    const back = unpackRecord(structuredClone(packed)) as unknown as SavedRecord;
    expect(back).toStrictEqual(withPreview);
    expect(Object.is((back.result as RunResult).correlationPreview!.values[0], -0)).toBe(true);
  });
});
