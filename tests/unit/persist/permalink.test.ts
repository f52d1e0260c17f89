import { describe, expect, it } from 'vitest';
import { readSettingsHash, settingsHash } from '../../../src/ui/persist/permalink.ts';
import { PRESETS, QUICK_SETTINGS, copySettings, presetOf } from '../../../src/core/presets.ts';
import { PAPER_SETTINGS } from '../../../src/core/measures/types.ts';

function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

describe('settings in the URL hash', () => {
  it('round-trips every preset and edited settings', () => {
    for (const s of [QUICK_SETTINGS, PAPER_SETTINGS]) {
      const hash = settingsHash(s);
      expect(hash).toMatch(/^#settings=[A-Za-z0-9_-]+$/);
      expect(readSettingsHash(hash)).toEqual({ kind: 'ok', settings: s });
    }
    const edited = copySettings(QUICK_SETTINGS);
    edited.splitSeed = 7;
    edited.measures = ['aac', 'lr'];
    edited.nlrDims = { kind: 'list', dims: [3, 17, 42] };
    edited.nlrRowCap = null;
    expect(readSettingsHash(settingsHash(edited))).toEqual({ kind: 'ok', settings: edited });
  });

  it('holds no file names or data: only the settings keys', () => {
    const raw = new URLSearchParams(settingsHash(QUICK_SETTINGS).slice(1)).get('settings')!;
    const json = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    expect(Object.keys(json).sort()).toEqual(Object.keys(QUICK_SETTINGS).sort());
  });

  it('keeps other pairs of the hash', () => {
    const hash = settingsHash(QUICK_SETTINGS, '#view=study');
    const params = new URLSearchParams(hash.slice(1));
    expect(params.get('view')).toBe('study');
    expect(readSettingsHash(hash).kind).toBe('ok');
  });

  it('puts the keys back in the app’s order, so a reordered link still is the preset', () => {
    const p = PRESETS.paper.settings;
    const reordered = { nlrRowCap: p.nlrRowCap, mlp: Object.fromEntries(Object.entries(p.mlp).reverse()), nlrDimSeed: p.nlrDimSeed, nlrDims: p.nlrDims, ridgeAlphas: p.ridgeAlphas, testFraction: p.testFraction, splitSeed: p.splitSeed, measures: ['nlr', 'lr', 'aac'] };
    const read = readSettingsHash(`#settings=${b64url(JSON.stringify(reordered))}`);
    expect(read.kind).toBe('ok');
    if (read.kind === 'ok') expect(presetOf(read.settings)).toBe('paper');
  });

  it('no settings in the hash: none', () => {
    expect(readSettingsHash('')).toEqual({ kind: 'none' });
    expect(readSettingsHash('#view=1')).toEqual({ kind: 'none' });
  });

  it('invalid hashes are reported, not applied', () => {
    const cases: [string, RegExp][] = [
      ['#settings=%%%', /base64url/],
      ['#settings=bm90IGpzb24', /base64url-encoded JSON/],
      [`#settings=${b64url('[1,2]')}`, /settings: expected an object/],
      [`#settings=${b64url(JSON.stringify({ ...QUICK_SETTINGS, measures: ['aac', 'xyz'] }))}`, /settings\.measures\[1\]: expected one of aac, lr, nlr/],
      [`#settings=${b64url(JSON.stringify({ ...QUICK_SETTINGS, testFraction: 2 }))}`, /settings\.testFraction: expected at most/],
      [`#settings=${b64url(JSON.stringify({ ...QUICK_SETTINGS, mlp: { ...QUICK_SETTINGS.mlp, optimizer: 'rmsprop' } }))}`, /settings\.mlp\.optimizer/],
      [`#settings=${b64url(JSON.stringify({ ...QUICK_SETTINGS, nlrDims: { kind: 'some' } }))}`, /settings\.nlrDims\.kind/],
      [`#settings=${b64url(JSON.stringify({ ...QUICK_SETTINGS, splitSeed: -1 }))}`, /settings\.splitSeed/],
    ];
    for (const [hash, reason] of cases) {
      const read = readSettingsHash(hash);
      expect(read.kind, hash).toBe('invalid');
      if (read.kind === 'invalid') expect(read.reason).toMatch(reason);
    }
  });
});
