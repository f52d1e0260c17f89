/** How the report shows numbers: fixed decimals (as the CLI's table), full precision in each cell's data-value. */

/** `digits` decimals (4 for the measures, as `redundancy-lab measure` prints them); '—' where there is no value. */
export function reportNumber(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  return v.toFixed(digits);
}

/** An integer with thousands separators: 10,000. */
export function reportInteger(v: number): string {
  return v.toLocaleString('en-US');
}

/** An axis tick: as few digits as tell the ticks apart. */
export function tickLabel(v: number, step: number): string {
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  const text = (Math.abs(v) < step / 1e6 ? 0 : v).toFixed(decimals);
  return text;
}
