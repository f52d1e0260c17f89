/**
 * Test hooks exist only in a test build: `npm run build` (what users get) has no window.redundancyLab handle, while
 * `VITE_TEST_HOOKS=1 vite build` (npm run test:e2e) has it — read from the built main bundle.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.ts';

function mainBundle(hooks: boolean): string {
  const out = mkdtempSync(join(tmpdir(), 'rl-build-'));
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.VITE_TEST_HOOKS;
  env.NODE_ENV = 'production'; // vitest runs with NODE_ENV=test, which would build Svelte in dev mode
  if (hooks) env.VITE_TEST_HOOKS = '1';
  const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--outDir', out, '--emptyOutDir'], { cwd: REPO, encoding: 'utf8', env, timeout: 600_000 });
  if (r.status !== 0) throw new Error(`vite build failed: ${r.stderr}`);
  const assets = join(out, 'assets');
  return readdirSync(assets).filter((f) => /^index-.*\.js$/.test(f)).map((f) => readFileSync(join(assets, f), 'utf8')).join('\n');
}

describe('test hooks only in a test build', () => {
  it('the production bundle has no window.redundancyLab; the test build has it', () => {
    expect(mainBundle(false)).not.toMatch(/\.redundancyLab\s*=/);
    expect(mainBundle(true)).toMatch(/\.redundancyLab\s*=/);
  }, 900_000);
});
