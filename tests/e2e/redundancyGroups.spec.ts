// Redundancy groups in the results table: the cell (data-measure="redundancyGroups") equals the CLI's
// extras.redundancyGroups on the same file (real MobileNetV2 features, which have groups and dead dims).
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { chooseMeasures, dropFiles, openApp, runButton, valueCell, waitForFileStatus } from '../../scripts/browser/app.mjs';
import { expect, expectNoPageProblems, freshProfile, test } from './fixtures.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FILE = 'mnist1200_mobilenetv2_dense256_f16.npy';

test.describe('redundancy groups', () => {
  test.describe.configure({ mode: 'serial' });
  const browser = freshProfile();
  let page: Page;
  let problems: string[];

  test.beforeAll(async ({ server }) => {
    ({ page, problems } = await openApp(browser.context, server.url, '?demo=0&backend=wasm'));
  });

  test('the Groups cell equals the CLI --json count, with the share of dims', async () => {
    test.setTimeout(240_000);
    const file = path.join(ROOT, 'tests/fixtures/real', FILE);
    const json = JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'bin/redundancy-lab.mjs'), 'measure', file, '--json', '--measures', 'aac'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 }));
    const groups = json.extras.redundancyGroups;
    expect(groups.count).toBeGreaterThan(0);
    await dropFiles(page, [{ name: FILE, bytes: await readFile(file) }]);
    await waitForFileStatus(page, FILE, ['ready']);
    await chooseMeasures(page, ['aac', 'lr']);
    await runButton(page).click();
    expect(await valueCell(page, FILE, 'redundancyGroups', 200_000)).toBe(groups.count);
    const cell = page.locator(`td[data-file="${FILE}"][data-measure="redundancyGroups"]`);
    expect(((await cell.textContent()) ?? '').trim()).toBe(`${groups.count}${(100 * groups.shareOfDims).toFixed(0)}%`);
    expect(await cell.getByTestId('groups-share').textContent()).toBe(`${(100 * groups.shareOfDims).toFixed(0)}%`);
    expect(await cell.getAttribute('title')).toContain(`${groups.dimsInGroups} of ${json.d} dims in them`);
    expectNoPageProblems(problems, 'redundancy groups');
  });
});
