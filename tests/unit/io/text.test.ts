import { describe, expect, it } from 'vitest';
import { bytesByteSource } from '../../../src/core/io/byteRange.ts';
import { detectLayout, openText, parseCell } from '../../../src/core/io/text.ts';
import { textLines } from '../../../src/core/io/textLines.ts';
import { openEmbeddingFile } from '../../../src/core/io/open.ts';
import { BAD_FIXTURES, fixtureBytes, fixtureSource, sameValues } from './fixtureFiles.ts';

const encode = (s: string) => new TextEncoder().encode(s);

async function allLines(bytes: Uint8Array, chunk: number): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of textLines(bytesByteSource(bytes, 't.txt'), chunk)) {
    batch.lines.forEach((line, i) => expect(batch.firstLine + i).toBe(out.length + i + 1));
    out.push(...batch.lines);
  }
  return out;
}

/** The in-memory reference: the whole file as one string, split, parsed. */
function parseWhole(bytes: Uint8Array): number[] {
  return new TextDecoder()
    .decode(bytes)
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'))
    .flatMap((l) => l.split(l.includes(',') ? ',' : /\s+/).filter((c) => c !== '').map(Number));
}

describe('streamed lines', () => {
  it('equal splitting the whole text, for any chunk size, with multi-byte characters and CRLF', async () => {
    const text = 'naïve,größe,日本\r\n1,2,3\n\n4,5,6\r\n# ünïcode comment\n7,8,9';
    const bytes = encode(text);
    const whole = text.split('\n').map((l) => l.replace(/\r$/, ''));
    for (const chunk of [1, 2, 3, 5, 7, 64, 1 << 20]) expect(await allLines(bytes, chunk)).toEqual(whole);
  });

  it('a file that ends with a newline has no phantom last line', async () => {
    expect(await allLines(encode('1 2\n3 4\n'), 3)).toEqual(['1 2', '3 4']);
  });
});

describe('delimited text', () => {
  it('streaming parse equals the in-memory parse (2,000 rows, tiny chunks)', async () => {
    const bytes = fixtureBytes('rows_2000.csv');
    for (const chunkBytes of [97, 4096]) {
      const opened = await openText(bytesByteSource(bytes, 'rows_2000.csv'), { chunkBytes });
      const m = await opened.arrays[0].read();
      expect([m.rows, m.cols]).toEqual([2000, 6]);
      expect(sameValues(m.data, Float32Array.from(parseWhole(bytes)))).toBe(true);
    }
  });

  it('detects comma, tab and whitespace delimiters and a header row', () => {
    expect(detectLayout('1.0,2.0,3')).toEqual({ delimiter: ',', header: null, columns: 3 });
    expect(detectLayout('1.0\t2.0')).toEqual({ delimiter: '\t', header: null, columns: 2 });
    expect(detectLayout('  1.000000000000000000e+00 -2.5e-03 ')).toEqual({ delimiter: 'whitespace', header: null, columns: 2 });
    expect(detectLayout('x,"y",label')).toEqual({ delimiter: ',', header: ['x', 'y', 'label'], columns: 3 });
  });

  it('parses numbers like np.loadtxt, nan and inf included; empty cells are not numbers', () => {
    expect(parseCell('1.000000000000000000e+00')).toBe(1);
    expect(parseCell(' -2.5 ')).toBe(-2.5);
    expect(parseCell('nan')).toBeNaN();
    expect(parseCell('-inf')).toBe(-Infinity);
    expect(parseCell('Infinity')).toBe(Infinity);
    expect(parseCell('')).toBeUndefined();
    expect(parseCell(' ')).toBeUndefined();
    expect(parseCell('abc')).toBeUndefined();
  });

  it('a header row names the columns and a label column becomes its own array', async () => {
    const opened = await openEmbeddingFile(fixtureSource('header.csv'));
    expect(opened.arrays.map((a) => [a.name, a.shape])).toEqual([['', [9, 4]], ['label', [9]]]);
  });

  it('ragged rows name the line and the expected vs found column count', async () => {
    const error = await openEmbeddingFile(fixtureSource('ragged.csv', BAD_FIXTURES)).catch((e) => e);
    expect(error).toMatchObject({ kind: 'corrupt-file' });
    expect(error.message).toBe('ragged.csv: line 3 has 2 columns but the first row has 3; every row must have the same number of values');
  });

  it('a non-numeric cell names its line and column', async () => {
    const opened = await openEmbeddingFile(fixtureSource('text_in_numeric.csv', BAD_FIXTURES));
    const error = await opened.arrays[0].read().catch((e) => e);
    expect(error).toMatchObject({ kind: 'unsupported-dtype' });
    expect(error.message).toContain('line 2, column 2');
    expect(error.message).toContain('"abc"');
  });

  it('line numbers count header, comment and blank lines', async () => {
    const bytes = encode('# comment\na,b\n\n1,2\n3,x\n');
    const opened = await openText(bytesByteSource(bytes, 'n.csv'), { chunkBytes: 4 });
    await expect(opened.arrays[0].read()).rejects.toThrow(/line 5, column 2 \(b\)/);
  });
});
