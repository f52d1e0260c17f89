/**
 * The report's charts as inline SVG strings (no DOM, no library, no external reference): a histogram with a
 * shaded band and marker lines, and a scatter with an optional y = x diagonal, a fitted line and point labels.
 * Every string goes through `html` (escaped); the SVG is well-formed XML, so it reads the same inside HTML
 * and as a standalone file. No xmlns attribute: inline in HTML the parser puts <svg> in the SVG namespace.
 */
import { html, raw, type Html } from './html.ts';
import { tickLabel } from './format.ts';

const W = 540;
const H = 300;
const M = { l: 58, r: 18, t: 26, b: 46 };
const PW = W - M.l - M.r;
const PH = H - M.t - M.b;

const f1 = (v: number) => (Math.round(v * 10) / 10).toString();

/** Round numbers of 1, 2 or 5 × 10^k that cover [lo, hi] in about `count` steps. */
export function niceTicks(lo: number, hi: number, count = 5): { ticks: number[]; step: number } {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return { ticks: [lo], step: 1 };
  const rough = span / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) ticks.push(k === 0 ? 0 : Number((k * step).toPrecision(12)));
  return { ticks, step };
}

function scale(domain: [number, number], range: [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

function padded(lo: number, hi: number, fraction = 0.05): [number, number] {
  if (!(hi > lo)) return [lo - 0.5, hi + 0.5];
  const pad = (hi - lo) * fraction;
  return [lo - pad, hi + pad];
}

function axes(x: (v: number) => number, y: (v: number) => number, xDomain: [number, number], yDomain: [number, number], xLabel: string, yLabel: string, integerY = false): Html {
  const xt = niceTicks(xDomain[0], xDomain[1], 7);
  const yt = niceTicks(yDomain[0], yDomain[1], 5);
  const yTicks = integerY ? yt.ticks.filter((v) => Number.isInteger(v)) : yt.ticks;
  return html`<g class="axes">
<rect class="plot-bg" x="${M.l}" y="${M.t}" width="${PW}" height="${PH}" />
${yTicks.map((v) => html`<line class="grid" x1="${M.l}" x2="${M.l + PW}" y1="${f1(y(v))}" y2="${f1(y(v))}" /><text class="tick" x="${M.l - 6}" y="${f1(y(v) + 4)}" text-anchor="end">${tickLabel(v, integerY ? Math.max(1, yt.step) : yt.step)}</text>
`)}${xt.ticks.map((v) => html`<line class="tick-mark" x1="${f1(x(v))}" x2="${f1(x(v))}" y1="${M.t + PH}" y2="${M.t + PH + 4}" /><text class="tick" x="${f1(x(v))}" y="${M.t + PH + 16}" text-anchor="middle">${tickLabel(v, xt.step)}</text>
`)}<line class="axis" x1="${M.l}" x2="${M.l + PW}" y1="${M.t + PH}" y2="${M.t + PH}" />
<line class="axis" x1="${M.l}" x2="${M.l}" y1="${M.t}" y2="${M.t + PH}" />
<text class="axis-title" x="${M.l + PW / 2}" y="${H - 8}" text-anchor="middle">${xLabel}</text>
<text class="axis-title" x="14" y="${M.t + PH / 2}" text-anchor="middle" transform="rotate(-90 14 ${M.t + PH / 2})">${yLabel}</text>
</g>`;
}

function frame(id: string, title: string, attrs: Html, body: Html): Html {
  return html`<svg class="chart" data-chart="${id}"${attrs} viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${title}"><title>${title}</title>
${body}</svg>`;
}

function legend(items: { kind: 'band' | 'dash' | 'dot' | 'line'; label: string }[]): Html {
  let xPos = M.l + 8;
  const parts: Html[] = [];
  for (const item of items) {
    const swatch =
      item.kind === 'band'
        ? html`<rect class="band" x="${xPos}" y="8" width="14" height="10" />`
        : html`<line class="marker ${item.kind}" x1="${xPos}" x2="${xPos + 14}" y1="13" y2="13" />`;
    parts.push(html`${swatch}<text class="legend" x="${xPos + 18}" y="17">${item.label}</text>`);
    xPos += 26 + item.label.length * 6;
  }
  return html`<g class="legend">${parts}</g>`;
}

export interface HistogramSpec {
  /** data-chart id, e.g. 'lr-histogram' */
  id: string;
  title: string;
  xLabel: string;
  values: number[];
  /** a shaded interval (the null band) */
  band?: [number, number] | null;
  bandLabel?: string;
  /** vertical lines: the mean (dashed), the median (dotted) */
  markers?: { value: number; label: string; style: 'dash' | 'dot' }[];
  /** values below this go to one extra bar on the left ("< clipBelow"), so one outlier cannot squash the axis */
  clipBelow?: number;
  colour: string;
  /** extra attributes on the <svg> (data-file …) */
  attrs?: Html;
}

/** Counts per bin over [lo, hi] (the last bin closed), bins of equal width. */
export function binCounts(values: readonly number[], lo: number, hi: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  const width = (hi - lo) / bins;
  for (const v of values) {
    if (v < lo || v > hi) continue;
    const i = width > 0 ? Math.min(bins - 1, Math.floor((v - lo) / width)) : 0;
    counts[i]++;
  }
  return counts;
}

export function histogramSvg(spec: HistogramSpec): Html {
  const values = spec.values.filter(Number.isFinite);
  const clip = spec.clipBelow;
  const under = clip === undefined ? 0 : values.filter((v) => v < clip).length;
  const inRange = clip === undefined ? values : values.filter((v) => v >= clip);
  const extra = [...(spec.band ?? []), ...(spec.markers ?? []).map((m) => m.value)].filter((v) => Number.isFinite(v) && (clip === undefined || v >= clip));
  const all = [...inRange, ...extra];
  let lo = all.length ? Math.min(...all) : 0;
  let hi = all.length ? Math.max(...all) : 1;
  if (under > 0 && clip !== undefined) lo = Math.min(lo, clip);
  if (!(hi > lo)) [lo, hi] = [lo - 0.5, hi + 0.5];
  const bins = Math.min(40, Math.max(8, Math.round(Math.sqrt(inRange.length) * 2)));
  const counts = binCounts(inRange, lo, hi, bins);
  const width = (hi - lo) / bins;
  // the underflow bar gets its own slot left of the range, so its label never meets the y axis
  const slot = under > 0 ? 30 : 0;
  const xDomain: [number, number] = [lo - 0.5 * width, hi + 0.5 * width];
  const top = Math.max(1, under, ...counts);
  const yDomain: [number, number] = [0, top * 1.08];
  const x = scale(xDomain, [M.l + slot, M.l + PW]);
  const y = scale(yDomain, [M.t + PH, M.t]);
  const bars = counts.map((c, i) =>
    c === 0
      ? raw('')
      : html`<rect class="bar" x="${f1(x(lo + i * width))}" y="${f1(y(c))}" width="${f1(Math.max(0.5, x(lo + (i + 1) * width) - x(lo + i * width) - 0.6))}" height="${f1(y(0) - y(c))}" fill="${spec.colour}"><title>${c} dims in [${(lo + i * width).toPrecision(3)}, ${(lo + (i + 1) * width).toPrecision(3)}${i === bins - 1 ? ']' : ')'}</title></rect>
`,
  );
  const underBar =
    under > 0 && clip !== undefined
      ? html`<rect class="bar under" x="${M.l + 6}" y="${f1(y(under))}" width="18" height="${f1(y(0) - y(under))}" fill="${spec.colour}"><title>${under} dims below ${clip}</title></rect>
<text class="tick under" x="${M.l + 15}" y="${f1(Math.max(M.t + 10, y(under) - 4))}" text-anchor="middle">&lt;${clip}</text>
`
      : raw('');
  const band = spec.band ? html`<rect class="band" x="${f1(x(Math.max(xDomain[0], spec.band[0])))}" y="${M.t}" width="${f1(Math.max(1, x(Math.min(xDomain[1], spec.band[1])) - x(Math.max(xDomain[0], spec.band[0]))))}" height="${PH}"><title>${spec.bandLabel ?? 'band'}: [${spec.band[0].toPrecision(3)}, ${spec.band[1].toPrecision(3)}]</title></rect>
` : raw('');
  const markers = (spec.markers ?? [])
    .filter((m) => Number.isFinite(m.value) && m.value >= xDomain[0] && m.value <= xDomain[1])
    .map((m) => html`<line class="marker ${m.style}" x1="${f1(x(m.value))}" x2="${f1(x(m.value))}" y1="${M.t}" y2="${M.t + PH}"><title>${m.label}: ${m.value.toPrecision(4)}</title></line>
`);
  const items: { kind: 'band' | 'dash' | 'dot'; label: string }[] = [];
  if (spec.band) items.push({ kind: 'band', label: spec.bandLabel ?? 'band' });
  for (const m of spec.markers ?? []) if (Number.isFinite(m.value)) items.push({ kind: m.style, label: m.label });
  return frame(
    spec.id,
    spec.title,
    html`${spec.attrs ?? raw('')} data-count="${values.length}"`,
    html`${axes(x, y, xDomain, yDomain, spec.xLabel, 'dims', true)}
${bars}${underBar}${band}${markers}${legend(items)}
`,
  );
}

export interface ScatterPoint {
  x: number;
  y: number;
  /** shown on hover (<title>) and, with showLabels, next to the point */
  label?: string;
}

export interface ScatterSpec {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  points: ScatterPoint[];
  /** draw y = x and give both axes the same range */
  diagonal?: boolean;
  /** a fitted line, as its two ends */
  line?: { x: number[]; y: number[] } | null;
  /** coordinates below this are drawn at the edge as hollow points (an outlier cannot squash the axis) */
  clipBelow?: number;
  showLabels?: boolean;
  colour: string;
  attrs?: Html;
}

export function scatterSvg(spec: ScatterSpec): Html {
  const pts = spec.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const clip = spec.clipBelow ?? -Infinity;
  const c = (v: number) => Math.max(clip, v);
  const xs = pts.map((p) => c(p.x));
  const ys = pts.map((p) => c(p.y));
  const ext = (v: number[]): [number, number] => (v.length ? [Math.min(...v), Math.max(...v)] : [0, 1]);
  let xDomain = padded(...ext(xs));
  let yDomain = padded(...ext(ys), spec.showLabels ? 0.14 : 0.05);
  if (spec.diagonal) {
    const both = padded(...ext([...xs, ...ys]));
    xDomain = both;
    yDomain = both;
  }
  const x = scale(xDomain, [M.l, M.l + PW]);
  const y = scale(yDomain, [M.t + PH, M.t]);
  const lo = Math.max(xDomain[0], yDomain[0]);
  const hi = Math.min(xDomain[1], yDomain[1]);
  const diagonal = spec.diagonal && hi > lo ? html`<line class="marker dash diagonal" x1="${f1(x(lo))}" y1="${f1(y(lo))}" x2="${f1(x(hi))}" y2="${f1(y(hi))}"><title>y = x</title></line>
` : raw('');
  const line = spec.line && spec.line.x.length === 2 ? html`<line class="marker line fit" x1="${f1(x(spec.line.x[0]))}" y1="${f1(y(spec.line.y[0]))}" x2="${f1(x(spec.line.x[1]))}" y2="${f1(y(spec.line.y[1]))}"><title>least-squares line</title></line>
` : raw('');
  const dots = pts.map((p, i) => {
    const clipped = p.x < clip || p.y < clip;
    const tip = `${p.label ? `${p.label}: ` : ''}${spec.xLabel} ${p.x.toPrecision(4)}, ${spec.yLabel} ${p.y.toPrecision(4)}${clipped ? ` (drawn at ${clip})` : ''}`;
    // labels lean inwards, so a point near an edge keeps its whole label inside the chart
    const side = (x(xs[i]) - M.l) / PW;
    const anchor = side < 0.3 ? 'start' : side > 0.7 ? 'end' : 'middle';
    const label = spec.showLabels && p.label ? html`<text class="point-label" x="${f1(x(xs[i]) + (anchor === 'start' ? -4 : anchor === 'end' ? 4 : 0))}" y="${f1(y(ys[i]) - 8)}" text-anchor="${anchor}">${p.label}</text>` : raw('');
    return html`<circle class="${clipped ? 'point clipped' : 'point'}" cx="${f1(x(xs[i]))}" cy="${f1(y(ys[i]))}" r="${spec.showLabels ? 5 : 3}" ${clipped ? raw('fill="none"') : html`fill="${spec.colour}"`} stroke="${spec.colour}"><title>${tip}</title></circle>${label}
`;
  });
  return frame(
    spec.id,
    spec.title,
    html`${spec.attrs ?? raw('')} data-count="${pts.length}"`,
    html`${axes(x, y, xDomain, yDomain, spec.xLabel, spec.yLabel)}
${diagonal}${line}${dots}${legend([...(spec.diagonal ? [{ kind: 'dash' as const, label: 'y = x' }] : []), ...(spec.line ? [{ kind: 'line' as const, label: 'least squares' }] : [])])}
`,
  );
}
