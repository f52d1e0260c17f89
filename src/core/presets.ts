/**
 * The two settings presets the app and the CLI offer (one list: `--preset quick|paper` and the app's buttons). "Quick" keeps AAC and LR exactly as the paper computes them and
 * samples NLR (a seeded sample of dims, a row cap) so a first look takes seconds;
 * "Paper protocol" is the authors' setup, unchanged. Quick's NLR is an estimator of what the MLP can reach (Adam with
 * early stopping on validation rows of the train split, best weights restored: docs/science.md), not a schedule.
 */
import { PAPER_SETTINGS, type MeasureSettings } from './measures/types.ts';

export const PRESET_NAMES = ['quick', 'paper'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];
/** The default of the app and of the CLI alike. */
export const DEFAULT_PRESET: PresetName = 'quick';

export const QUICK_SETTINGS: MeasureSettings = {
  ...PAPER_SETTINGS,
  measures: ['aac', 'lr', 'nlr'],
  nlrDims: { kind: 'count', count: 16 },
  nlrDimSeed: 0,
  mlp: { hidden: [128, 64], epochs: 300, learningRate: 0.001, batchSize: 128, optimizer: 'adam', seed: 0, earlyStopping: { validationFraction: 0.2, patience: 10 } },
  nlrRowCap: 10_000,
};

export const PRESETS: Record<PresetName, { label: string; settings: MeasureSettings; cost: string }> = {
  quick: {
    label: 'Quick',
    settings: QUICK_SETTINGS,
    cost: 'AAC and LR exactly as the paper (split seed 0); NLR on 16 seeded dims, each MLP trained with Adam until its validation loss stops improving (early stopping on 20% of the train rows, best weights scored), ≤ 10,000 rows. The demo: about 2 minutes on a 2-core laptop-class CPU (WASM).',
  },
  paper: {
    label: 'Paper protocol',
    settings: PAPER_SETTINGS,
    cost: 'The authors’ setup: split seed 0, NLR on every dim, 100 epochs of plain SGD (lr 0.01, batch 512). Minutes on a GPU, can be hours on a CPU for 50k × 512.',
  },
};

export function copySettings(s: MeasureSettings): MeasureSettings {
  return JSON.parse(JSON.stringify(s)) as MeasureSettings;
}

export function sameSettings(a: MeasureSettings, b: MeasureSettings): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Which preset these settings are, if any. */
export function presetOf(s: MeasureSettings): PresetName | null {
  for (const name of Object.keys(PRESETS) as PresetName[]) if (sameSettings(s, PRESETS[name].settings)) return name;
  return null;
}
