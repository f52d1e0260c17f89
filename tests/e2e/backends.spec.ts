// The GPU backends, emulated by SwiftShader here: the same AAC and LR as the CLI.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { openApp } from '../../scripts/browser/app.mjs';
import { DEMO, LINEAR, cliMeasure, expectNoPageProblems, freshProfile, measureLikeTheCli, test } from './fixtures.ts';

test.describe('WebGL (SwiftShader): same numbers as the CLI', () => {
  const browser = freshProfile();

  test('drop, run AAC + LR on WebGL, compare with the CLI', async ({ server }) => {
    test.setTimeout(240_000);
    const { page, problems } = await openApp(browser.context, server.url, '?demo=0&backend=webgl');
    await measureLikeTheCli(page, LINEAR, await readFile(path.join(DEMO, LINEAR)), cliMeasure([path.join(DEMO, LINEAR)]), 'webgl');
    expectNoPageProblems(problems, 'WebGL page');
  });
});

test.describe('WebGPU (SwiftShader): same numbers as the CLI', () => {
  const browser = freshProfile();

  test('drop, run AAC + LR on WebGPU, compare with the CLI', async ({ server }) => {
    test.setTimeout(240_000);
    const { page, problems } = await openApp(browser.context, server.url, '?demo=0&backend=webgpu');
    await measureLikeTheCli(page, LINEAR, await readFile(path.join(DEMO, LINEAR)), cliMeasure([path.join(DEMO, LINEAR)]), 'webgpu');
    expectNoPageProblems(problems, 'WebGPU page');
  });
});
