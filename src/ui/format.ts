/** How numbers are shown: 3 significant digits on screen, full precision in tooltips and exports. */

export function sig3(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const abs = Math.abs(v);
  const text = abs >= 1e5 || abs < 1e-3 ? v.toExponential(2) : v.toPrecision(3);
  return text.replace('-', '−');
}

export function fullPrecision(v: number | null | undefined): string {
  return v === null || v === undefined ? '' : String(v);
}

export function integer(v: number): string {
  return v.toLocaleString('en-US');
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toPrecision(3)} ${units[u]}`;
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toPrecision(s < 10 ? 2 : 3)} s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - 60 * m);
  if (m < 60) return `${m} min ${rest} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function shape(s: readonly number[]): string {
  return s.length ? s.map(integer).join(' × ') : 'scalar';
}
