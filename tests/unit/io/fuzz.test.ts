import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRedundancyLabError } from '../../../src/core/errors.ts';
import { bytesByteSource } from '../../../src/core/io/byteRange.ts';
import { openEmbeddingFile } from '../../../src/core/io/open.ts';
import { BAD_FIXTURES, FIXTURES, fixtureBytes, listFixtures } from './fixtureFiles.ts';

/**
 * Property: whatever the bytes, openEmbeddingFile + read()/blocks() either succeed or throw a
 * RedundancyLabError, quickly. Never another exception, never a hang.
 */
const TIME_BOUND_MS = 2000;

async function openAndRead(bytes: Uint8Array, name: string): Promise<void> {
  const started = performance.now();
  try {
    const opened = await openEmbeddingFile(bytesByteSource(bytes, name));
    for (const array of opened.arrays) {
      await array.read();
      for await (const _ of array.blocks(3)) void _;
    }
  } catch (e) {
    if (!isRedundancyLabError(e)) throw new Error(`${name}: non-RedundancyLabError ${String(e)}\n${(e as Error)?.stack ?? ''}`);
    expect((e as Error).message).toContain(name);
  }
  const elapsed = performance.now() - started;
  if (elapsed > TIME_BOUND_MS) throw new Error(`${name}: took ${elapsed.toFixed(0)} ms`);
}

const MAGICS = [
  [], [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 3, 0], [0x50, 0x4b, 0x03, 0x04],
  [0x50, 0x41, 0x52, 0x31], [0x80, 0x02], [0x10, 0, 0, 0, 0, 0, 0, 0, 0x7b], [0x31, 0x2c, 0x32, 0x0a],
];

const fixtures = [
  ...listFixtures(FIXTURES).filter((f) => f !== 'expected.json').map((f) => ({ name: f, bytes: fixtureBytes(f) })),
  ...listFixtures(BAD_FIXTURES).filter((f) => !f.endsWith('.json')).map((f) => ({ name: f, bytes: fixtureBytes(f, BAD_FIXTURES) })),
];

/** A mutation: overwrite bytes, insert, delete, or truncate — biased to headers and zip/parquet footers. */
const mutation = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), end: fc.boolean(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), end: fc.boolean(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), end: fc.boolean(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), end: fc.boolean(), bytes: fc.constant(new Uint8Array(0)) }),
);

type Mutation = { op: 'set' | 'insert' | 'delete' | 'truncate'; at: number; end: boolean; bytes: Uint8Array };

function mutate(original: Uint8Array, mutations: Mutation[]): Uint8Array {
  let b = original;
  for (const m of mutations) {
    // half the mutations land in the first or last 300 bytes, where headers and directories live
    const window = Math.min(b.length, 300);
    const pos = m.end ? Math.floor(m.at * b.length) : Math.floor(m.at * window) + (m.at < 0.5 ? 0 : Math.max(0, b.length - window));
    const p = Math.min(pos, b.length);
    if (m.op === 'set') {
      b = b.slice();
      b.set(m.bytes.subarray(0, Math.max(0, b.length - p)), p);
    } else if (m.op === 'insert') {
      b = Uint8Array.from([...b.subarray(0, p), ...m.bytes, ...b.subarray(p)]);
    } else if (m.op === 'delete') {
      b = Uint8Array.from([...b.subarray(0, p), ...b.subarray(p + m.bytes.length)]);
    } else {
      b = b.slice(0, p);
    }
  }
  return b;
}

describe('fuzzing the readers', () => {
  it('random bytes (with and without a known magic) parse or throw RedundancyLabError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...MAGICS), fc.uint8Array({ maxLength: 2048 }), async (magic, tail) => {
        await openAndRead(Uint8Array.from([...magic, ...tail]), 'random.bin');
      }),
      { numRuns: 400, seed: 1 },
    );
  });

  it('mutated valid and broken fixtures parse or throw RedundancyLabError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fixtures), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (fixture, mutations) => {
        await openAndRead(mutate(fixture.bytes, mutations), fixture.name);
      }),
      { numRuns: 1500, seed: 2 },
    );
  });

  it('every fixture truncated at every 97th byte parses or throws RedundancyLabError', async () => {
    for (const fixture of fixtures) {
      for (let cut = 0; cut < fixture.bytes.length; cut += 97) await openAndRead(fixture.bytes.subarray(0, cut), fixture.name);
    }
  });
});
