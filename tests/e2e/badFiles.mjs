// Every file of the hostile/broken corpus (tests/fixtures/bad, enumerated — a new file cannot be forgotten),
// dropped into the app at once after a good file was measured: each gets a specific message naming it,
// the page keeps working, and the good file's results stay.
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { chooseMeasures, dropFiles, openApp, runButton, screenshot, valueCell, waitForFileStatus } from './app.mjs';

export async function badFilesGroup({ group, step, server, ROOT, DEMO, SHOTS }) {
  const BAD = path.join(ROOT, 'tests/fixtures/bad');
  const expected = JSON.parse(await readFile(path.join(BAD, 'expected.json'), 'utf8'));
  const names = (await readdir(BAD)).filter((f) => f !== 'expected.json' && expected[f]?.expect !== 'ignore').sort();

  await group('Bad files: the whole hostile corpus in the UI', async (context) => {
    const { page } = await openApp(context, server.url, '?demo=0&backend=wasm');
    const good = 'synthetic-linear.npy';

    await step(`a good file first, then all ${names.length} bad files at once: each gets its own message`, 240_000, async () => {
      assert.equal(names.length, Object.keys(expected).filter((f) => expected[f].expect !== 'ignore').length, 'every expectation has a file');
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
      await page.waitForFunction(() => !window.redundancyLab.run.active, null, { timeout: 180_000 });
      for (const name of names.filter((n) => expected[n].stage !== 'reader')) {
        const item = page.locator(`li[data-file="${name}"]`);
        const status = await item.getAttribute('data-status');
        const later = expected[name].later;
        if (later && later !== 'none' && expected[name].stage === 'measures') {
          assert.ok(status === 'error' || status === 'labels-only', `${name}: the measures must refuse it (status ${status})`);
          if (status === 'error') {
            const message = (await item.locator('[role="alert"]').first().textContent()) ?? '';
            assert.ok(message.includes(name), `${name}: message names the file: "${message}"`);
          }
        } else if (expected[name].stage === 'labels') {
          if ((await item.locator('[role="alert"]').count()) === 0) {
            // float "labels" are not offered by default: the user picks the array as labels, and runs again
            await page.getByRole('combobox', { name: `Labels array of ${name}` }).selectOption('labels');
            await runButton(page).click();
            await page.waitForFunction(() => !window.redundancyLab.run.active, null, { timeout: 60_000 });
          }
          const message = (await item.locator('[role="alert"]').first().textContent({ timeout: 10_000 })) ?? '';
          assert.match(message, /Linear probe: .*label/i, `${name}: the probe says what is wrong with the labels`);
        } else {
          assert.ok(['done', 'error'].includes(status), `${name}: measured or refused with a message (status ${status})`);
        }
      }
      // refused by the readers (on opening, or when the data are read): an error naming the file
      for (const name of names.filter((n) => expected[n].stage === 'reader')) {
        const item = page.locator(`li[data-file="${name}"]`);
        assert.equal(await item.getAttribute('data-status'), 'error', `${name} should be refused`);
        const message = (await item.locator('[role="alert"]').first().textContent()) ?? '';
        assert.ok(message.includes(name) && message.length > name.length + 20, `${name}: a specific message naming the file, got "${message}"`);
        assert.doesNotMatch(message, /TypeError|RangeError|ReferenceError|undefined/, `${name}: ${message}`);
      }

      await screenshot(page, SHOTS, '06-bad-files');
      // the good file's numbers are untouched and the page still answers
      assert.equal(await valueCell(page, good, 'aac'), aacBefore, 'earlier results stay');
      const t0 = Date.now();
      await page.getByText('Edit settings').click();
      assert.ok(Date.now() - t0 < 1000, 'the page answers at once');
    });
  });
}
