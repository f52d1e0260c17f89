// The README's first command, as a newcomer runs it: `npm run dev` on a fresh clone (no optimised-dependency cache),
// first open in a fresh browser → the demo is measured. It used to come up empty: Vite found the worker's
// dependencies only when the worker loaded, re-optimised, reloaded the page ~10 s in, and the "demo seen" flag was
// already saved. Both causes are checked: the dev server must not re-optimise after the first open, and a reload
// before the demo has results must show (and measure) the demo again.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { openApp, valueCell } from '../../scripts/browser/app.mjs';
import { DEMO, ROOT, expect, expectNoPageProblems, freshProfile, test } from './fixtures.ts';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** `vite --force`: the dev server as `npm run dev` starts it, with the dependency cache rebuilt as on a fresh clone. */
async function startDevServer(): Promise<{ url: string; log: () => string; stop: () => Promise<void> }> {
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), '--force', '--port', String(port), '--strictPort'], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', VITE_TEST_HOOKS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (output += b.toString()));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 120_000;
  while (!output.includes(`127.0.0.1:${port}`)) {
    if (child.exitCode !== null) throw new Error(`vite exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) throw new Error(`vite did not start in 120 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    log: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

test.describe('npm run dev on a fresh clone: the first open shows the measured demo', () => {
  const browser = freshProfile('rl-e2e-dev-');

  test('fresh dependency cache, fresh browser: no re-optimising reload, and a reload before results runs the demo again', async () => {
    test.setTimeout(600_000);
    const dev = await startDevServer();
    try {
      const manifest = JSON.parse(readFileSync(path.join(DEMO, 'manifest.json'), 'utf8')) as { files: { file: string; role: string }[] };
      const names = manifest.files.filter((f) => f.role === 'embedding').map((f) => f.file);
      const { page, problems } = await openApp(browser.context, dev.url, '');
      let navigations = 0;
      page.on('framenavigated', (frame) => {
        if (frame === page.mainFrame()) navigations++;
      });
      // the demo files arrive and start measuring; a reload now (what Vite's re-optimisation did) must not lose it
      await page.locator(`li[data-file="${names[0]}"]`).waitFor({ timeout: 120_000 });
      expect(await page.evaluate(() => localStorage.getItem('redundancy-lab:demo-seen')), 'not "seen" before it has results').toBeNull();
      await page.reload();
      await page.getByRole('heading', { name: 'Redundancy Lab' }).waitFor();
      const reloadsByUs = 1;
      for (const name of names) {
        const lr = await valueCell(page, name, 'lr', 420_000);
        expect(lr !== null && Number.isFinite(lr), `${name}: LR ${lr}`).toBe(true);
        expect(await page.locator(`li[data-file="${name}"]`).count(), `${name} listed once after the reload`).toBe(1);
      }
      // Vite found every dependency at start-up: it never re-optimised and reloaded the page by itself
      expect(dev.log(), 'the dev server re-optimised after the first open').not.toMatch(/optimized dependencies changed|reloading/i);
      expect(navigations, 'page loads besides our own reload').toBe(reloadsByUs);
      expectNoPageProblems(problems, 'dev server page');
    } finally {
      await dev.stop();
    }
  });
});
