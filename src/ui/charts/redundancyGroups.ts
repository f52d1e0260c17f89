import type { RunResult } from '../../worker/api.ts';
import { groupMeans } from '../../core/lite.ts';
import { fileStem } from '../export/download.ts';
import { baseLayout, type ChartSpec, type PlotPoint } from './spec.ts';

/** Groups drawn as bars (the rest are in the table and the CSV): readable at D = 2,048. */
const MAX_BARS = 40;

/**
 * The redundancy groups (extras.redundancyGroups) as rows, largest first: size, mean |r|, mean |partial r|, links
 * inside, and the mean LR / NLR of their dims. Aggregated per group, so D = 2,048 is a list, not a hairball.
 */
export function redundancyGroupsChart(fileName: string, result: RunResult): ChartSpec {
  const g = result.extras.redundancyGroups;
  const base = { id: 'redundancy-groups', title: 'Redundancy groups', subject: fileName, fileBase: fileStem(fileName) };
  const columns = ['group', 'size', 'mean |r|', 'mean |partial r|', 'partial-r links inside', 'mean LR of its dims', 'mean NLR of its dims', 'dims'];
  if (!g) return { ...base, caption: '', data: [], layout: baseLayout(), table: { columns, rows: [] }, empty: 'No redundancy groups in this result (measured by an older version, or without the extras).' };
  const lrMeans = groupMeans(g.groups, result.lr?.perDim);
  const nlrMeans = groupMeans(g.groups, result.nlr?.perDim);
  const rows = g.groups.map((x, i) => [i + 1, x.dims.length, x.meanAbsR, x.meanAbsPartialR, x.links, lrMeans[i], nlrMeans[i], x.dims.join(' ')]);
  const links = g.links === null ? 'partial-r links not computed (C singular or N ≤ D + 1)' : `${g.links} partial-r links |ρ| > ${g.linkThreshold!.toFixed(3)} (family-wise 5%)`;
  const caption = `${g.count} groups hold ${g.dimsInGroups} of ${result.d} dims (${(100 * g.shareOfDims).toFixed(1)}%): sets of ≥ 2 dims with mean |r| ≥ ${g.threshold.toFixed(3)} (average linkage on 1 − |r|); ${links}. Bar length: size; colour: mean |r|${g.count > MAX_BARS ? `; the ${MAX_BARS} largest drawn, all in the table` : ''}. Click a bar to list its dims in the dim inspector.`;
  if (g.count === 0) return { ...base, caption, data: [], layout: baseLayout(), table: { columns, rows }, empty: `No redundancy groups: no set of dims has mean |r| ≥ ${g.threshold.toFixed(3)}.` };
  const shown = g.groups.slice(0, MAX_BARS);
  const label = (i: number) => `#${i + 1}`;
  const dimsText = (dims: number[]) => (dims.length > 12 ? `${dims.slice(0, 12).join(', ')}, … (${dims.length})` : dims.join(', '));
  return {
    ...base,
    caption,
    data: [
      {
        type: 'bar',
        orientation: 'h',
        name: `groups (${g.groups.length}${g.groups.length > shown.length ? `; the ${shown.length} largest drawn` : ''}) by size, coloured by mean |r|`,
        y: shown.map((_, i) => label(i)),
        x: shown.map((x) => x.dims.length),
        marker: { color: shown.map((x) => x.meanAbsR), colorscale: 'Viridis', cmin: g.threshold, cmax: 1, colorbar: { title: { text: 'mean |r|' } } },
        customdata: shown.map((x) => [x.meanAbsR, x.meanAbsPartialR ?? NaN, x.links ?? NaN, dimsText(x.dims)]),
        hovertemplate: '%{y}: %{x} dims<br>mean |r| %{customdata[0]:.3f}, mean |partial r| %{customdata[1]:.3f}, links %{customdata[2]}<br>dims %{customdata[3]}<extra></extra>',
      },
    ],
    layout: baseLayout({
      xaxis: { title: { text: 'dims in the group' } },
      yaxis: { title: { text: 'group (largest first)' }, autorange: 'reversed', type: 'category' },
      height: Math.max(260, 60 + 14 * shown.length),
    }),
    table: { columns, rows },
    pick: (p: PlotPoint) => {
      const i = typeof p.pointNumber === 'number' ? p.pointNumber : -1;
      const x = shown[i];
      return x ? { dim: null, list: { label: `group #${i + 1}: ${x.dims.length} dims, mean |r| ${x.meanAbsR.toFixed(3)}`, dims: x.dims } } : null;
    },
  };
}
