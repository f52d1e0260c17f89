import { describe, expect, it } from 'vitest';
import { PRESETS, copySettings } from '../../../src/core/lite.ts';
import { PageUrl, type PageHistory, type PageLocation } from '../../../src/ui/stores/url.ts';

/** A location that history.replaceState moves, as a browser's does. */
function fakePage(href: string) {
  let url = new URL(href);
  const calls: { state: unknown; url: string }[] = [];
  const location: PageLocation = {
    get href() {
      return url.href;
    },
    get pathname() {
      return url.pathname;
    },
    get search() {
      return url.search;
    },
    get hash() {
      return url.hash;
    },
  };
  const history: PageHistory = {
    state: { kept: true },
    replaceState(state, _unused, next) {
      url = new URL(String(next), url);
      calls.push({ state, url: url.href });
    },
  };
  return { page: new PageUrl(location, history), calls, location };
}

describe('the page URL', () => {
  it.each([
    ['?backend=wasm&threads=4&demo=0', { backend: 'wasm', threads: 4, demo: '0' }],
    ['?backend=cuda&threads=0', { backend: null, threads: undefined, demo: null }],
    ['?threads=65', { backend: null, threads: undefined, demo: null }],
    ['?threads=2.5&demo=1', { backend: null, threads: undefined, demo: '1' }],
    ['', { backend: null, threads: undefined, demo: null }],
  ])('%s → %o', (search, expected) => {
    expect(fakePage(`http://app.test/lab/${search}`).page.options()).toEqual(expected);
  });

  it('a forced backend is written to ?backend= (other parameters and the hash kept); automatic removes it', () => {
    const { page, calls } = fakePage('http://app.test/lab/?threads=2#settings=abc');
    page.setBackend('webgl');
    expect(calls).toEqual([{ state: null, url: 'http://app.test/lab/?threads=2&backend=webgl#settings=abc' }]);
    page.setBackend(null);
    expect(calls[1].url).toBe('http://app.test/lab/?threads=2#settings=abc');
  });

  it('the settings go into the hash (other pairs kept, history state kept), only when they changed', () => {
    const { page, calls, location } = fakePage('http://app.test/lab/?backend=cpu#other=1');
    const settings = copySettings(PRESETS.quick.settings);
    page.writeSettings(settings);
    expect(calls).toHaveLength(1);
    expect(calls[0].state).toEqual({ kept: true });
    expect(location.search).toBe('?backend=cpu');
    expect(location.hash).toMatch(/^#other=1&settings=/);
    page.writeSettings(settings);
    expect(calls).toHaveLength(1);
    expect(page.linkedSettings()).toEqual({ kind: 'ok', settings });
  });

  it('a link without settings, or with broken ones', () => {
    expect(fakePage('http://app.test/').page.linkedSettings()).toEqual({ kind: 'none' });
    expect(fakePage('http://app.test/#settings=%%%').page.linkedSettings().kind).toBe('invalid');
  });
});
