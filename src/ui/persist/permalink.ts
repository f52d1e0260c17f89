/**
 * The settings in the URL hash, so a link reproduces them: `#settings=<base64url of the settings JSON>`.
 * Only measure settings go there — never data, never file names. Other `key=value` pairs in the hash are kept.
 */
import type { MeasureSettings } from '../../core/lite.ts';
import { parseSettings, ValidationError } from './records.ts';

const KEY = 'settings';

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const bin = atob(b64);
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

function hashParams(hash: string): URLSearchParams {
  return new URLSearchParams(hash.replace(/^#/, ''));
}

/** The hash (with '#') for these settings, keeping the other pairs of `currentHash`. */
export function settingsHash(settings: MeasureSettings, currentHash = ''): string {
  const params = hashParams(currentHash);
  params.set(KEY, toBase64Url(JSON.stringify(settings)));
  return `#${params.toString()}`;
}

export type HashSettings = { kind: 'none' } | { kind: 'ok'; settings: MeasureSettings } | { kind: 'invalid'; reason: string };

/** Reads the settings from a URL hash: none there, valid (in the app's key order), or invalid with a reason. */
export function readSettingsHash(hash: string): HashSettings {
  const raw = hashParams(hash).get(KEY);
  if (raw === null) return { kind: 'none' };
  let json: unknown;
  try {
    json = JSON.parse(fromBase64Url(raw));
  } catch {
    return { kind: 'invalid', reason: 'it is not base64url-encoded JSON' };
  }
  try {
    return { kind: 'ok', settings: parseSettings(json, 'settings') };
  } catch (e) {
    return { kind: 'invalid', reason: e instanceof ValidationError ? e.message : String(e) };
  }
}
