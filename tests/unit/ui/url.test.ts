import { describe, expect, it } from 'vitest';
import { PRESETS, copySettings } from '../../../src/core/lite.ts';
import { PageUrl, type HashMemory, type PageHistory, type PageLocation } from '../../../src/ui/stores/url.ts';

/** A location that history.replaceState moves, as a browser's does. */
function fakePage(href: string, memory: HashMemory = null) {
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
  return { page: new PageUrl(location, history, memory), calls, location };
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

  it('a reload of this tab is not a link: the hash the page wrote reads as its own, a followed link does not', () => {
    const store = new Map<string, string>();
    const memory: HashMemory = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v) };
    const settings = copySettings(PRESETS.quick.settings);
    // first open: no hash, nothing noted
    const first = fakePage('http://app.test/', memory);
    expect(first.page.hashIsOwn()).toBe(false);
    first.page.writeSettings(settings);
    const written = first.location.hash;
    expect(written).toMatch(/settings=/);
    // the same tab reloaded: the same address, now with the hash it wrote → own, its settings still read
    const reloaded = fakePage(`http://app.test/${written}`, memory);
    expect(reloaded.page.hashIsOwn()).toBe(true);
    expect(reloaded.page.linkedSettings()).toEqual({ kind: 'ok', settings });
    // a link with other settings, or any link in a tab that never wrote one, is a link
    const paper = copySettings(PRESETS.paper.settings);
    const elsewhere = fakePage('http://app.test/', null);
    elsewhere.page.writeSettings(paper);
    expect(fakePage(`http://app.test/${elsewhere.location.hash}`, memory).page.hashIsOwn()).toBe(false);
    expect(fakePage(`http://app.test/${written}`, null).page.hashIsOwn()).toBe(false);
  });
});
