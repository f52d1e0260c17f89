/**
 * The CLI starts from a bundle (build/cli, written by `npm ci`'s "prepare" script and before the unit tests) while
 * it is newer than the sources, else from the TypeScript (bin/entry.mjs): both give the same result.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-ignore: plain JavaScript, no types
import { chooseEntry } from '../../../bin/entry.mjs';
import { REPO } from '../helpers/cli.ts';

describe('CLI start-up', () => {
  it('the bundle runs while it is at least as new as every source file; an edited source sends it to the sources', () => {
    const root = `${mkdtempSync(join(tmpdir(), 'rl-entry-'))}/`;
    mkdirSync(`${root}src/cli`, { recursive: true });
    mkdirSync(`${root}build/cli`, { recursive: true });
    const at = (path: string, seconds: number) => {
      writeFileSync(`${root}${path}`, '');
      utimesSync(`${root}${path}`, seconds, seconds);
    };
    at('package.json', 1000);
    at('src/cli/main.ts', 1000);
    at('build/cli/main.js', 2000);
    expect(chooseEntry(root, {})).toBe('bundle');
    expect(chooseEntry(root, { REDUNDANCY_LAB_FROM_SOURCE: '1' })).toBe('source');
    at('src/cli/main.ts', 3000); // edited after the build
    expect(chooseEntry(root, {})).toBe('source');
    at('build/cli/main.js', 4000);
    at('package.json', 5000); // dependencies changed
    expect(chooseEntry(root, {})).toBe('source');
    expect(chooseEntry(`${root}missing/`, {})).toBe('source');
  });

  it('in this checkout the bundle is fresh, and it gives the same JSON as the TypeScript sources', () => {
    expect(chooseEntry(REPO, {}), 'build/cli is stale or missing: npm run build:cli').toBe('bundle');
    const args = ['bin/redundancy-lab.mjs', 'measure', 'tests/fixtures/cli/matrix.npy', '--measures', 'aac,lr', '--json', '-q'];
    const run = (env: Record<string, string>) => spawnSync(process.execPath, args, { cwd: REPO, encoding: 'utf8', env: { ...process.env, ...env } });
    const bundled = run({ REDUNDANCY_LAB_FROM_SOURCE: '' });
    const source = run({ REDUNDANCY_LAB_FROM_SOURCE: '1' });
    expect(bundled.status, bundled.stderr).toBe(0);
    expect(source.status, source.stderr).toBe(0);
    const strip = (text: string) => {
      const { timingsMs: _, ...rest } = JSON.parse(text);
      return rest;
    };
    expect(strip(bundled.stdout)).toEqual(strip(source.stdout));
  }, 120_000);
});
