/** Turns `measure` flags into MeasureSettings; every bad value is a one-line 'bad-option' error. */
import { copySettings, DEFAULT_PRESET, PRESET_NAMES, PRESETS, RedundancyLabError, type MeasureName, type MeasureSettings, type NlrDimSelection, type PresetName } from '../core/index.ts';

const MEASURES: MeasureName[] = ['aac', 'lr', 'nlr'];

export function parseMeasures(text: string): MeasureName[] {
  const names = text.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = names.filter((m) => !MEASURES.includes(m as MeasureName));
  if (bad.length || names.length === 0) {
    throw new RedundancyLabError('bad-option', `--measures: unknown measure '${bad.join(',') || text}'; use a comma list of aac, lr, nlr`);
  }
  return [...new Set(names)] as MeasureName[];
}

/** `all` | a fraction in (0,1) like `0.2` | a count like `64` | an explicit list like `3,17,42` (or `17,` for one dim). */
export function parseNlrDims(text: string): NlrDimSelection {
  const t = text.trim();
  if (t === 'all') return { kind: 'all' };
  if (t.includes(',')) {
    const parts = t.split(',').map((s) => s.trim()).filter(Boolean);
    const dims = parts.map(Number);
    if (dims.length === 0 || dims.some((x) => !Number.isInteger(x) || x < 0)) {
      throw new RedundancyLabError('bad-option', `--nlr-dims: '${text}' is not a list of dimension indices (e.g. 3,17,42)`);
    }
    return { kind: 'list', dims };
  }
  const x = Number(t);
  if (Number.isInteger(x) && x >= 1) return { kind: 'count', count: x };
  if (x > 0 && x < 1) return { kind: 'fraction', fraction: x };
  throw new RedundancyLabError('bad-option', `--nlr-dims: '${text}' is not 'all', a fraction like 0.2, a count like 64, or a list like 3,17,42`);
}

export function parsePositiveInt(flag: string, text: string, min = 1): number {
  const x = Number(text);
  if (!Number.isInteger(x) || x < min) throw new RedundancyLabError('bad-option', `${flag}: '${text}' must be an integer ≥ ${min}`);
  return x;
}

export interface MeasureFlags {
  /** no progress lines on stderr */
  quiet?: boolean;
  preset?: string;
  protocol?: string;
  'authors-input'?: string;
  measures?: string;
  'nlr-dims'?: string;
  epochs?: string;
  seed?: string;
  optimizer?: string;
  'nlr-rows'?: string;
}

/** Which preset the settings start from, and the flags that edited it (named in the CLI's output). */
export interface PresetUse {
  base: PresetName;
  edited: string[];
}

export function parsePreset(text: string | undefined): PresetName {
  if (text === undefined) return DEFAULT_PRESET;
  if (!(PRESET_NAMES as readonly string[]).includes(text)) {
    throw new RedundancyLabError('bad-option', `--preset: '${text}' is not a preset; use ${PRESET_NAMES.join(' or ')} (the app's presets; default ${DEFAULT_PRESET})`);
  }
  return text as PresetName;
}

/** The preset's settings (the app's default preset unless --preset), edited by the other flags. */
export function settingsFromFlags(flags: MeasureFlags): { settings: MeasureSettings; preset: PresetUse } {
  const base = parsePreset(flags.preset);
  const preset = PRESETS[base].settings;
  const s = copySettings(preset);
  const edited: string[] = [];
  const seed = flags.seed === undefined ? undefined : parsePositiveInt('--seed', flags.seed, 0);
  if (seed !== undefined && seed > 0xffffffff) throw new RedundancyLabError('bad-option', `--seed: ${seed} must be below 2^32 (NumPy's limit)`);
  const optimizer = flags.optimizer ?? preset.mlp.optimizer;
  if (optimizer !== 'sgd' && optimizer !== 'adam') throw new RedundancyLabError('bad-option', `--optimizer: '${optimizer}' must be sgd (the paper) or adam`);
  if (flags.measures) s.measures = parseMeasures(flags.measures);
  if (seed !== undefined) {
    s.splitSeed = seed;
    s.nlrDimSeed = seed;
    s.mlp.seed = seed;
  }
  if (flags['nlr-dims']) s.nlrDims = parseNlrDims(flags['nlr-dims']);
  if (flags.protocol !== undefined) {
    if (flags.protocol !== 'corrected' && flags.protocol !== 'authors-script') {
      throw new RedundancyLabError('bad-option', `--protocol: '${flags.protocol}' must be corrected (the default) or authors-script (the released script's quirks, to match a published number)`);
    }
    if (flags.protocol === 'authors-script') s.protocol = 'authors-script';
  }
  const authorsInput = flags['authors-input'];
  if (authorsInput !== undefined) {
    if (authorsInput !== 'auto' && authorsInput !== 'raw' && authorsInput !== 'standardised') {
      throw new RedundancyLabError('bad-option', `--authors-input: '${authorsInput}' must be auto (the default), raw (embeddings: their corr.py z-scores them first) or standardised (their data_standardized.csv)`);
    }
    if (s.protocol !== 'authors-script') throw new RedundancyLabError('bad-option', `--authors-input applies to --protocol authors-script only`);
    if (authorsInput !== 'auto') s.authorsInput = authorsInput;
  }
  if (flags['nlr-rows']) s.nlrRowCap = parsePositiveInt('--nlr-rows', flags['nlr-rows'], 8);
  if (flags.epochs) s.mlp.epochs = parsePositiveInt('--epochs', flags.epochs);
  if (flags.optimizer && optimizer !== preset.mlp.optimizer) {
    s.mlp.optimizer = optimizer;
    // Adam at the paper's SGD step size barely moves; 1e-3 is Adam's usual rate.
    s.mlp.learningRate = optimizer === 'adam' ? 1e-3 : 0.01;
  }
  for (const flag of ['measures', 'seed', 'nlr-dims', 'nlr-rows', 'epochs', 'optimizer', 'protocol', 'authors-input'] as const) if (flags[flag] !== undefined) edited.push(`--${flag}`);
  return { settings: s, preset: { base, edited } };
}
