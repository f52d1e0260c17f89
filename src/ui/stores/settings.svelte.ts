/** The measure settings the panel edits (and the permalink carries), and whether files with labels are probed. */
import type { MeasureSettings } from '../../core/lite.ts';
import { DEFAULT_PRESET, PRESETS, copySettings, sameSettings, type PresetName } from '../../core/lite.ts';

export class SettingsStore {
  current = $state<MeasureSettings>(copySettings(PRESETS[DEFAULT_PRESET].settings));
  /** compute the linear probe for files that have labels */
  probeEnabled = $state(true);

  get preset(): PresetName | null {
    for (const name of Object.keys(PRESETS) as PresetName[]) if (sameSettings(this.current, PRESETS[name].settings)) return name;
    return null;
  }

  applyPreset(name: PresetName): void {
    this.current = copySettings(PRESETS[name].settings);
  }
}
