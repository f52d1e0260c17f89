import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BAD_FIXTURES, listFixtures } from '../io/fixtureFiles.ts';
import { runCliInProcess } from '../helpers/cliInProcess.ts';

/**
 * Every file of the hostile/broken corpus through the CLI, as a user would run it: a file the readers or
 * the measures refuse exits non-zero with ONE line that names the file; a file that is fine is measured.
 * The folder is enumerated, so a new bad file cannot be forgotten.
 */
interface Expectation {
  expect: string;
  stage: 'reader' | 'measures' | 'labels' | 'none';
  later?: string;
}
const expected = JSON.parse(readFileSync(join(BAD_FIXTURES, 'expected.json'), 'utf8')) as Record<string, Expectation>;
const files = listFixtures(BAD_FIXTURES).filter((f) => f !== 'expected.json' && expected[f]?.expect !== 'ignore');

describe('the CLI on every hostile or broken file', () => {
  it.each(files)('%s', async (file) => {
    const want = expected[file];
    const path = join(BAD_FIXTURES, file);
    const command = want.stage === 'labels' ? ['probe', path, '--json'] : ['measure', path, '--measures', 'aac,lr', '--json'];
    const r = await runCliInProcess(command);
    const refused = want.stage === 'reader' || (want.later !== undefined && want.later !== 'none');
    if (refused) {
      expect(r.code, `${file} should be refused: ${r.stdout.slice(0, 200)}`).not.toBe(0);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(file);
      expect(lines[0].length).toBeGreaterThan(file.length + 20);
      expect(lines[0]).not.toMatch(/TypeError|RangeError|ReferenceError|undefined/);
    } else if (r.code === 0) {
      const json = JSON.parse(r.stdout);
      expect(Number.isFinite(json.aac.value)).toBe(true);
    } else {
      // readable but too small to measure (e.g. 3 rows): still one line naming the file, never a crash
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(file);
      expect(r.stderr).not.toMatch(/TypeError|RangeError|ReferenceError|undefined/);
    }
  });
});
