// Every file of the hostile/broken corpus (tests/fixtures/bad, enumerated — a new file cannot be forgotten),
// dropped into the app at once after a good file was measured: each gets a specific message naming it,
// the page keeps working, and the good file's results stay.
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { chooseMeasures, dropFiles, openApp, runButton, screenshot, valueCell, waitForFileStatus } from '../../scripts/browser/app.mjs';
import { DEMO, ROOT, SHOTS, expect, freshProfile, test, waitForRunIdle } from './fixtures.ts';

interface Expectation {
  expect: string;
  stage?: 'reader' | 'measures' | 'labels' | string;
  later?: string;
}

const BAD = path.join(ROOT, 'tests/fixtures/bad');
const expected = JSON.parse(readFileSync(path.join(BAD, 'expected.json'), 'utf8')) as Record<string, Expectation>;
const names = readdirSync(BAD)
  .filter((f) => f !== 'expected.json' && expected[f]?.expect !== 'ignore')
  .sort();

test.describe('Bad files: the whole hostile corpus in the UI', () => {
  const browser = freshProfile();
  const good = 'synthetic-linear.npy';

  test(`a good file first, then all ${names.length} bad files at once: each gets its own message`, async ({ server }) => {
    test.setTimeout(240_000);
    const { page } = await openApp(browser.context, server.url, '?demo=0&backend=wasm');
    expect(names.length, 'every expectation has a file').toBe(Object.keys(expected).filter((f) => expected[f].expect !== 'ignore').length);
    await dropFiles(page, [{ name: good, bytes: await readFile(path.join(DEMO, good)) }]);
    await waitForFileStatus(page, good, ['ready']);
    await chooseMeasures(page, ['aac', 'lr']);
    await runButton(page).click();
    const aacBefore = await valueCell(page, good, 'aac', 60_000);

    await dropFiles(page, await Promise.all(names.map(async (name) => ({ name, bytes: await readFile(path.join(BAD, name)) }))));
    const settled = ['error', 'ready', 'labels-only'];
    for (const name of names) await waitForFileStatus(page, name, settled, 60_000);
    // Run: what opened is read and measured; readers and measures refuse what they must, with a message
    await runButton(page).click();
    await waitForRunIdle(page, 180_000);
    for (const name of names.filter((n) => expected[n].stage !== 'reader')) {
      const item = page.locator(`li[data-file="${name}"]`);
      const status = await item.getAttribute('data-status');
      const later = expected[name].later;
      if (later && later !== 'none' && expected[name].stage === 'measures') {
        expect(status === 'error' || status === 'labels-only', `${name}: the measures must refuse it (status ${status})`).toBe(true);
        if (status === 'error') {
          const message = (await item.locator('[role="alert"]').first().textContent()) ?? '';
          expect(message.includes(name), `${name}: message names the file: "${message}"`).toBe(true);
        }
      } else if (expected[name].stage === 'labels') {
        const mismatch = item.getByTestId('labels-mismatch');
        if ((await mismatch.count()) > 0) {
          // labels of another length are said on the row as soon as the file is added; nothing fails at Run
          expect(await mismatch.first().textContent(), `${name}: which array, how many each`).toMatch(new RegExp(`${name}: \\d+ labels \\(array '\\w+'\\), but array '\\w+' has \\d+ rows`));
          expect(await item.locator('[role="alert"]').count(), `${name}: no failed probe`).toBe(0);
          continue;
        }
        if ((await item.locator('[role="alert"]').count()) === 0) {
          // float "labels" are not offered by default: the user picks the array as labels, and runs again
          await page.getByRole('combobox', { name: `Labels array of ${name}` }).selectOption('labels');
          await runButton(page).click();
          await waitForRunIdle(page, 60_000);
        }
        const message = (await item.locator('[role="alert"]').first().textContent({ timeout: 10_000 })) ?? '';
        expect(message, `${name}: the probe says what is wrong with the labels`).toMatch(/Linear probe: .*label/i);
      } else {
        expect(['done', 'error'], `${name}: measured or refused with a message (status ${status})`).toContain(status);
      }
    }
    // refused by the readers (on opening, or when the data are read): an error naming the file
    for (const name of names.filter((n) => expected[n].stage === 'reader')) {
      const item = page.locator(`li[data-file="${name}"]`);
      expect(await item.getAttribute('data-status'), `${name} should be refused`).toBe('error');
      const message = (await item.locator('[role="alert"]').first().textContent()) ?? '';
      expect(message.includes(name) && message.length > name.length + 20, `${name}: a specific message naming the file, got "${message}"`).toBe(true);
      expect(message, `${name}: ${message}`).not.toMatch(/TypeError|RangeError|ReferenceError|undefined/);
    }

    await screenshot(page, SHOTS, '06-bad-files');
    // the good file's numbers are untouched and the page still answers (a time limit: "at once", generously)
    expect(await valueCell(page, good, 'aac'), 'earlier results stay').toBe(aacBefore);
    const t0 = Date.now();
    await page.getByText('Edit settings').click();
    expect(Date.now() - t0, 'the page answers at once').toBeLessThan(1000);
  });
});
