// CONTRACT STUB — the orchestrator (owned by the lead). Signature is fixed.
import type { ArrayHandle } from './io/types.ts';
import type { MeasureResult, MeasureSettings, RunOptions } from './measures/types.ts';

/** Measures one embedding array: stats → split → Grams → AAC / LR / NLR / extras. */
export async function measureArray(
  array: ArrayHandle,
  fileName: string,
  settings: MeasureSettings,
  options: RunOptions = {},
): Promise<MeasureResult> {
  void array; void fileName; void settings; void options;
  throw new Error('not implemented yet');
}
