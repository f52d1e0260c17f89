/** Turns `measure` flags into MeasureSettings; every bad value is a one-line 'bad-option' error. */
import { RedundancyLabError } from '../core/errors.ts';
import { PAPER_SETTINGS, type MeasureName, type MeasureSettings, type NlrDimSelection } from '../core/measures/types.ts';

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
  measures?: string;
  'nlr-dims'?: string;
  epochs?: string;
  seed?: string;
  optimizer?: string;
  'nlr-rows'?: string;
}

/** CLI default for NLR dims: the authors' random 20% (all dims at 100 epochs is hours on a CPU). */
export const CLI_DEFAULT_NLR_DIMS: NlrDimSelection = { kind: 'fraction', fraction: 0.2 };

export function settingsFromFlags(flags: MeasureFlags): MeasureSettings {
  const seed = flags.seed === undefined ? undefined : parsePositiveInt('--seed', flags.seed, 0);
  if (seed !== undefined && seed > 0xffffffff) throw new RedundancyLabError('bad-option', `--seed: ${seed} must be below 2^32 (NumPy's limit)`);
  const optimizer = flags.optimizer ?? PAPER_SETTINGS.mlp.optimizer;
  if (optimizer !== 'sgd' && optimizer !== 'adam') throw new RedundancyLabError('bad-option', `--optimizer: '${optimizer}' must be sgd (the paper) or adam`);
  return {
    ...PAPER_SETTINGS,
    measures: flags.measures ? parseMeasures(flags.measures) : PAPER_SETTINGS.measures,
    splitSeed: seed ?? PAPER_SETTINGS.splitSeed,
    nlrDims: flags['nlr-dims'] ? parseNlrDims(flags['nlr-dims']) : CLI_DEFAULT_NLR_DIMS,
    nlrDimSeed: seed ?? PAPER_SETTINGS.nlrDimSeed,
    nlrRowCap: flags['nlr-rows'] ? parsePositiveInt('--nlr-rows', flags['nlr-rows'], 8) : null,
    mlp: {
      ...PAPER_SETTINGS.mlp,
      epochs: flags.epochs ? parsePositiveInt('--epochs', flags.epochs) : PAPER_SETTINGS.mlp.epochs,
      optimizer,
      // Adam at the paper's SGD step size barely moves; 1e-3 is Adam's usual rate.
      learningRate: optimizer === 'adam' ? 1e-3 : PAPER_SETTINGS.mlp.learningRate,
      seed: seed ?? PAPER_SETTINGS.mlp.seed,
    },
  };
}
