import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRedundancyLabError, type ErrorKind } from '../../../src/core/errors.ts';
import { openEmbeddingFile } from '../../../src/core/io/open.ts';
import { BAD_FIXTURES, fixtureSource, listFixtures } from './fixtureFiles.ts';

/**
 * tests/fixtures/bad/ (scripts/make_bad_files.py): every file must be listed in expected.json and
 * every entry must have a file, so no hostile case can be forgotten or silently dropped.
 */
interface Expectation {
  expect: ErrorKind | 'reads-ok' | 'ignore';
  stage: 'reader' | 'measures' | 'labels' | 'none';
  later?: ErrorKind | 'none';
  why: string;
}

const expected = JSON.parse(readFileSync(join(BAD_FIXTURES, 'expected.json'), 'utf8')) as Record<string, Expectation>;
const files = listFixtures(BAD_FIXTURES).filter((f) => f !== 'expected.json');
const PWNED_MARKER = '/tmp/redundancy-lab-pwned';

/** Opens and reads every array, as a caller that tries each one would. */
async function openAndReadAll(file: string): Promise<void> {
  const opened = await openEmbeddingFile(fixtureSource(file, BAD_FIXTURES));
  for (const array of opened.arrays) await array.read();
}

describe('hostile and broken files', () => {
  beforeAll(() => rmSync(PWNED_MARKER, { force: true }));
  afterAll(() => expect(existsSync(PWNED_MARKER), 'a payload was executed').toBe(false));

  it('every file has an expectation and every expectation a file', () => {
    expect(files.filter((f) => !(f in expected))).toEqual([]);
    expect(Object.keys(expected).filter((f) => !files.includes(f))).toEqual([]);
  });

  const readerCases = files.filter((f) => expected[f]?.stage === 'reader');
  const laterCases = files.filter((f) => expected[f]?.expect === 'reads-ok');

  it.each(readerCases)('%s is refused by the readers with the expected kind', async (file) => {
    const want = expected[file];
    const error = await openAndReadAll(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, `${file} was accepted (${want.why})`).toBeDefined();
    expect(isRedundancyLabError(error), `${file} threw a non-RedundancyLabError: ${String(error)}`).toBe(true);
    expect((error as { kind: string }).kind, (error as Error).message).toBe(want.expect);
    expect((error as Error).message).toContain(file);
  });

  it.each(laterCases)('%s reads fine; a later stage must judge it', async (file) => {
    const opened = await openEmbeddingFile(fixtureSource(file, BAD_FIXTURES));
    for (const array of opened.arrays) {
      const m = await array.read();
      expect(m.data.length).toBe(array.rows * array.cols);
    }
    expect(['measures', 'labels', 'none']).toContain(expected[file].stage);
  });

  it('NaN and Inf survive reading so the measures can reject them', async () => {
    const nan = await (await openEmbeddingFile(fixtureSource('nan_values.npy', BAD_FIXTURES))).arrays[0].read();
    expect(nan.data.some(Number.isNaN)).toBe(true);
    const inf = await (await openEmbeddingFile(fixtureSource('inf_values.csv', BAD_FIXTURES))).arrays[0].read();
    expect(inf.data).toContain(Infinity);
  });
});
