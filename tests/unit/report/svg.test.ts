/** The report's SVG charts (core/report/svg.ts) and the well-formedness check the report tests rely on. */
import { describe, expect, it } from 'vitest';
import { binCounts, histogramSvg, niceTicks, scatterSvg } from '../../../src/core/report/svg.ts';
import { escapeHtml, html, raw } from '../../../src/core/report/html.ts';
import { wellFormed } from './wellFormed.ts';

describe('html: escaped unless already markup', () => {
  it('escapes interpolations, joins arrays, drops null/undefined/false, keeps Html as is', () => {
    const name = `<b a="1">'&'</b>`;
    expect(html`<td title="${name}">${name}</td>`.text).toBe(`<td title="${escapeHtml(name)}">&lt;b a=&quot;1&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;</td>`);
    expect(html`${[1, '<', null, undefined, false, raw('<i/>')]}`.text).toBe('1&lt;<i/>');
    expect(html`${html`<em>${'&'}</em>`}`.text).toBe('<em>&amp;</em>');
  });
});

describe('wellFormed: the checker itself', () => {
  it('accepts a polyglot document and counts its elements', () => {
    const counts = wellFormed('<!DOCTYPE html>\n<html><head><meta charset="utf-8" /></head><body><p a="&amp;">x &lt; y</p><svg><g><line x1="0" /></g></svg></body></html>');
    expect(Object.fromEntries(counts)).toEqual({ html: 1, head: 1, meta: 1, body: 1, p: 1, svg: 1, g: 1, line: 1 });
  });
  const bad: [string, RegExp][] = [
    ['<html><p></html>', /closes <p>/],
    ['<html><p>a & b</p></html>', /bare '&'/],
    ['<html><p class=x>a</p></html>', /malformed tag/],
    ['<html><p a="1" a="2">a</p></html>', /duplicate attribute/],
    ['<html><p>', /unclosed elements/],
    ['<html></html><html></html>', /2 root elements/],
    ['<html><meta charset="utf-8"></html>', /closes <meta>/],
  ];
  for (const [doc, error] of bad) it(`rejects ${doc}`, () => expect(() => wellFormed(doc)).toThrow(error));
});

describe('niceTicks and binCounts', () => {
  it('round steps of 1, 2 or 5 × 10^k covering the range', () => {
    expect(niceTicks(0, 1, 5)).toEqual({ ticks: [0, 0.2, 0.4, 0.6, 0.8, 1], step: 0.2 });
    const t = niceTicks(-1.48, 0.93, 6);
    expect(t.step).toBe(0.5);
    expect(t.ticks).toEqual([-1, -0.5, 0, 0.5]);
    expect(niceTicks(3, 3).ticks).toEqual([3]);
  });

  it('bins of equal width, the last one closed, values outside ignored', () => {
    expect(binCounts([0, 0.1, 0.5, 0.99, 1, 1.5, -0.1], 0, 1, 4)).toEqual([2, 0, 1, 2]);
    expect(binCounts([2, 2, 2], 2, 2, 3)).toEqual([3, 0, 0]);
  });
});

describe('histogramSvg', () => {
  it('well-formed; bars add up to the in-range values; outliers in one bar; band and markers drawn', () => {
    const values = [-7, -3, ...Array.from({ length: 50 }, (_, i) => -0.5 + i / 50)];
    const svg = histogramSvg({ id: 'lr-histogram', title: 'LR <per dim>', xLabel: 'R²', values, band: [-0.2, 0.1], bandLabel: 'null band', markers: [{ value: 0, label: 'mean', style: 'dash' }], clipBelow: -1, colour: '#E69F00', attrs: html` data-file="${'f&.npy'}"` }).text;
    const counts = wellFormed(svg);
    expect(svg).toMatch(/^<svg class="chart" data-chart="lr-histogram" data-file="f&amp;.npy" data-count="52" viewBox="0 0 540 300"/);
    expect(svg).toContain('<title>LR &lt;per dim&gt;</title>');
    const inBins = [...svg.matchAll(/<title>(\d+) dims in \[/g)].reduce((a, m) => a + Number(m[1]), 0);
    expect(inBins).toBe(50);
    expect(svg).toContain('<title>2 dims below -1</title>');
    expect(svg).toContain('&lt;-1</text>');
    expect(svg).toMatch(/<rect class="band" [^>]*><title>null band: \[-0\.200, 0\.100\]<\/title><\/rect>/);
    expect(svg).toMatch(/<line class="marker dash" [^>]*><title>mean: 0\.000<\/title><\/line>/);
    expect(counts.get('svg')).toBe(1);
    expect(svg).not.toMatch(/xmlns|https?:/);
  });

  it('an empty or constant input still draws a valid chart', () => {
    wellFormed(histogramSvg({ id: 'h', title: 't', xLabel: 'x', values: [], colour: '#000' }).text);
    const svg = histogramSvg({ id: 'h', title: 't', xLabel: 'x', values: [0.5, 0.5, 0.5], colour: '#000' }).text;
    wellFormed(svg);
    expect(svg).toContain('<title>3 dims in [');
    expect(svg).not.toContain('NaN');
  });
});

describe('scatterSvg', () => {
  it('a point per finite pair, labels escaped, clipped points hollow at the edge, y = x and a fitted line', () => {
    const svg = scatterSvg({
      id: 'lr-vs-nlr',
      title: 'LR vs NLR',
      xLabel: 'LR',
      yLabel: 'NLR',
      points: [{ x: 0.1, y: 0.2, label: 'a<b>' }, { x: -4, y: 0.5, label: 'far' }, { x: 0.7, y: 0.9 }, { x: Number.NaN, y: 1 }],
      diagonal: true,
      line: { x: [0, 1], y: [0.1, 0.9] },
      clipBelow: -1,
      showLabels: true,
      colour: '#CC79A7',
    }).text;
    wellFormed(svg);
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toContain('data-count="3"');
    expect(svg.match(/<circle class="point clipped"[^>]*fill="none"/g)).toHaveLength(1);
    expect(svg).toContain('(drawn at -1)');
    expect(svg).toContain('>a&lt;b&gt;</text>');
    expect(svg).toContain('class="marker dash diagonal"');
    expect(svg).toContain('class="marker line fit"');
    expect(svg).not.toContain('NaN');
  });
});
