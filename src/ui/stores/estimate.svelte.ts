/**
 * How long Run will take, before it runs: the core's cost model (core/estimate.ts) over the files Run would
 * measure, at the rates the worker timed on this machine's backend (typical rates until it has). Past
 * CONFIRM_ABOVE_SECONDS, Run asks first and offers cheaper settings (cheaperChoices).
 */
import type { BackendName, MachineRates, MeasureSettings } from '../../core/lite.ts';
import { PRESETS, TYPICAL_RATES, copySettings, measureSeconds, nlrDimsWithin, nlrHeadCount, nlrRowCapWithin, probeSeconds, type Shape } from '../../core/lite.ts';
import type { MeasureClient } from '../../worker/client.ts';
import type { FileEntry } from './fileEntry.svelte.ts';

/** Run asks for a confirmation when the job is estimated to take longer than this. */
export const CONFIRM_ABOVE_SECONDS = 10 * 60;

export type RatesClient = Partial<Pick<MeasureClient, 'rates'>>;

/** One file of a job: its shape, and whether the job probes it. */
export interface EstimatedFile {
  shape: Shape;
  probe: boolean;
}

/** A cheaper way to run, offered when a job is long: the settings it runs with and its estimate. */
export interface CheaperChoice {
  id: 'quick' | 'nlr-dims' | 'row-cap' | 'no-nlr';
  label: string;
  detail: string;
  settings: MeasureSettings;
  seconds: number;
}

const BACKEND_LABEL: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' };

/** "≈ 1 h 30 min": rounded as a person would say it (to 5 s, to the minute, to 5 minutes past an hour). */
export function roughDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'unknown';
  if (seconds < 10) return 'a few seconds';
  if (seconds < 60) return `${Math.round(seconds / 5) * 5} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const rounded = Math.round(seconds / 300) * 5;
  const h = Math.floor(rounded / 60);
  const m = rounded % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** The shape of the array a file entry measures, or null before it is opened. */
export function shapeOf(f: FileEntry): Shape | null {
  const a = f.summary?.arrays.find((x) => x.name === f.embedding);
  return a && a.rows > 0 && a.cols > 0 ? { n: a.rows, d: a.cols } : null;
}

export class EstimateStore {
  /** this backend's measured rates; null until the worker has timed them (or where it cannot) */
  rates = $state.raw<MachineRates | null>(null);

  constructor(private readonly client: RatesClient) {}

  /** Asks the worker for its rates (timed once per worker; a backend switch starts a fresh one). */
  async refresh(): Promise<void> {
    const rates = await this.client.rates?.().catch(() => null);
    if (rates && JSON.stringify(rates) !== JSON.stringify(this.rates)) this.rates = rates;
  }

  /** The rates estimates use now. */
  get using(): MachineRates {
    return this.rates ?? TYPICAL_RATES;
  }

  /** "on WASM", or "on a typical CPU" before this machine was timed. */
  get where(): string {
    return this.rates ? `on ${BACKEND_LABEL[this.rates.backend]}` : 'on a typical CPU';
  }

  /** Seconds of measuring (and probing) one file with these settings. */
  fileSeconds(f: EstimatedFile, settings: MeasureSettings): { measure: number; probe: number } {
    const rates = this.using;
    return {
      measure: measureSeconds(f.shape.n, f.shape.d, settings, rates),
      probe: f.probe ? probeSeconds(f.shape.n, f.shape.d, settings.testFraction, rates) : 0,
    };
  }

  /** Seconds of a whole job: every file measured with these settings (and probed where marked). */
  jobSeconds(files: readonly EstimatedFile[], settings: MeasureSettings): number {
    return files.reduce((t, f) => {
      const s = this.fileSeconds(f, settings);
      return t + s.measure + s.probe;
    }, 0);
  }

  /**
   * Cheaper settings for a long job, each estimated, cheapest last: NLR on fewer dims, NLR on a row sample (both
   * sized to fit CONFIRM_ABOVE_SECONDS), the Quick preset, AAC and LR only. Only those that are cheaper than now.
   */
  cheaperChoices(files: readonly EstimatedFile[], settings: MeasureSettings): CheaperChoice[] {
    const rates = this.using;
    const now = this.jobSeconds(files, settings);
    const shapes = files.map((f) => f.shape);
    const probe = files.reduce((t, f) => t + this.fileSeconds(f, settings).probe, 0);
    const budget = Math.max(0, CONFIRM_ABOVE_SECONDS - probe);
    const choices: CheaperChoice[] = [];
    const add = (c: Omit<CheaperChoice, 'seconds'>) => {
      const seconds = this.jobSeconds(files, c.settings);
      if (seconds < now * 0.9) choices.push({ ...c, seconds });
    };
    const wantsNlr = settings.measures.includes('nlr');
    const maxD = Math.max(0, ...shapes.map((s) => s.d));
    const maxN = Math.max(0, ...shapes.map((s) => s.n));
    if (wantsNlr) {
      const count = nlrDimsWithin(shapes, settings, rates, budget);
      const heads = Math.max(0, ...shapes.map(({ d }) => nlrHeadCount(d, settings)));
      if (count >= 1) {
        add({
          id: 'nlr-dims',
          label: `NLR on ${count.toLocaleString('en-US')} dims`,
          detail: `a seeded sample of ${count.toLocaleString('en-US')} dims instead of ${heads === maxD ? 'all ' : ''}${heads.toLocaleString('en-US')}; the other settings unchanged`,
          settings: { ...copySettings(settings), nlrDims: { kind: 'count', count } },
        });
      }
      const cap = nlrRowCapWithin(shapes, settings, rates, budget);
      if (cap !== null) {
        add({
          id: 'row-cap',
          label: `NLR on ${cap.toLocaleString('en-US')} rows`,
          detail: `NLR trains on a seeded sample of ${cap.toLocaleString('en-US')} rows instead of ${Math.min(maxN, settings.nlrRowCap ?? maxN).toLocaleString('en-US')}; AAC and LR still use every row`,
          settings: { ...copySettings(settings), nlrRowCap: cap },
        });
      }
    }
    add({ id: 'quick', label: 'Quick preset', detail: PRESETS.quick.cost.split('. ')[0], settings: copySettings(PRESETS.quick.settings) });
    if (wantsNlr) {
      add({
        id: 'no-nlr',
        label: 'AAC and LR only',
        detail: 'no NLR: the exact AAC and LR, as the paper computes them',
        settings: { ...copySettings(settings), measures: settings.measures.filter((m) => m !== 'nlr') },
      });
    }
    return choices;
  }
}
