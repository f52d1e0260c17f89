import { existsSync, rmSync } from 'node:fs';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesByteSource } from '../../../src/core/io/byteRange.ts';
import { openEmbeddingFile } from '../../../src/core/io/open.ts';
import { unpickleTorch } from '../../../src/core/io/torchPickle.ts';
import { BAD_FIXTURES, fixtureBytes, fixtureSource } from './fixtureFiles.ts';

/** The hostile fixtures' payloads would create this file (scripts/make_bad_files.py PWNED_MARKER). */
const PWNED_MARKER = '/tmp/redundancy-lab-pwned';

/** A torch.save-shaped zip (stored entries) around a hand-made pickle. */
function torchZip(pickle: Uint8Array, extra: Record<string, Uint8Array> = {}): Uint8Array {
  const files: Record<string, [Uint8Array, { level: 0 }]> = { 'archive/data.pkl': [pickle, { level: 0 }] };
  for (const [name, data] of Object.entries(extra)) files[`archive/${name}`] = [data, { level: 0 }];
  return zipSync(files);
}

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('torch.save files', () => {
  it('names nested dict entries with dotted paths', async () => {
    const opened = await openEmbeddingFile(fixtureSource('nested.pt'));
    expect(opened.arrays.map((a) => a.name)).toEqual(['model.layer.weight', 'model.layer.bias']);
  });

  it('reads an OrderedDict state_dict (with its _metadata) in order', async () => {
    const opened = await openEmbeddingFile(fixtureSource('state_dict.pt'));
    expect(opened.arrays.map((a) => [a.name, a.shape])).toEqual([['0.weight', [3, 4]], ['0.bias', [3]], ['1.weight', [2, 3]], ['1.bias', [2]]]);
  });

  it('honours archive/byteorder = big', async () => {
    const big = await (await openEmbeddingFile(fixtureSource('big_endian.pt'))).arrays[0].read();
    const little = await (await openEmbeddingFile(fixtureSource('tensor.pt'))).arrays[0].read();
    expect(Array.from(big.data)).toEqual(Array.from(little.data));
  });

  it('legacy (non-zip) torch.save files get a re-save instruction', async () => {
    const error = await openEmbeddingFile(fixtureSource('legacy_torch.pt', BAD_FIXTURES)).catch((e) => e);
    expect(error).toMatchObject({ kind: 'unsupported-format' });
    expect(error.message).toContain('_use_new_zipfile_serialization=False');
    expect(error.message).toContain('re-save');
  });

  it('missing storages, no tensors and complex tensors are explained', async () => {
    await expect(openEmbeddingFile(fixtureSource('missing_storage.pt', BAD_FIXTURES))).rejects.toMatchObject({ kind: 'corrupt-file' });
    await expect(openEmbeddingFile(fixtureSource('no_tensors.pt', BAD_FIXTURES))).rejects.toMatchObject({ kind: 'bad-shape' });
    const error = await openEmbeddingFile(fixtureSource('complex_tensor.pt', BAD_FIXTURES)).catch((e) => e);
    expect(error).toMatchObject({ kind: 'unsupported-dtype' });
    expect(error.message).toContain('ComplexFloatStorage');
  });
});

describe('unsafe pickles are refused without running anything', () => {
  beforeAll(() => rmSync(PWNED_MARKER, { force: true }));
  afterAll(() => expect(existsSync(PWNED_MARKER)).toBe(false));

  it.each([
    ['os_system.pt', 'posix.system'],
    ['builtins_eval.pt', 'builtins.eval'],
    ['mixed_payload.pt', 'posix.system'],
    ['numpy_reconstruct.pt', 'numpy.core.multiarray._reconstruct'],
  ])('%s → unsafe-pickle naming %s', async (file, callable) => {
    const error = await openEmbeddingFile(fixtureSource(file, BAD_FIXTURES)).catch((e) => e);
    expect(error).toMatchObject({ kind: 'unsafe-pickle' });
    expect(error.message).toContain(callable);
    expect(error.message).toContain(file);
    expect(existsSync(PWNED_MARKER)).toBe(false);
  });

  it('the payloads really are what they claim (so the refusal is meaningful)', () => {
    const pickle = new TextDecoder('latin1').decode(fixtureBytes('os_system.pt', BAD_FIXTURES));
    expect(pickle).toContain('posix\nsystem');
    expect(pickle).toContain(`touch ${PWNED_MARKER}`);
  });

  it('refuses globals given with STACK_GLOBAL and INST too', () => {
    // protocol 4: SHORT_BINUNICODE 'os', SHORT_BINUNICODE 'system', STACK_GLOBAL, …
    const stackGlobal = latin1('\x80\x04\x8c\x02os\x8c\x06system\x93\x8c\x04echo\x85R.');
    expect(() => unpickleTorch(stackGlobal, 'a.pt')).toThrow(/os\.system/);
    const inst = latin1('(S\'echo\'\nios\nsystem\n.');
    expect(() => unpickleTorch(inst, 'a.pt')).toThrow(/os\.system/);
  });

  it('a pickle cannot change the allow-list seen by the next file', async () => {
    // GLOBAL torch.FloatStorage, then BUILD it with {'dtype': 'int8'}: refused (frozen), file is corrupt
    const tamper = latin1('\x80\x02ctorch\nFloatStorage\n}X\x05\x00\x00\x00dtypeX\x04\x00\x00\x00int8sb.');
    await expect(openEmbeddingFile(bytesByteSource(torchZip(tamper), 'tamper.pt'))).rejects.toMatchObject({ kind: 'corrupt-file' });
    const after = await (await openEmbeddingFile(fixtureSource('tensor.pt'))).arrays[0].read();
    expect(after.data.length).toBe(24);
    expect(after.data.every(Number.isFinite)).toBe(true);
  });

  it('dictionary keys cannot reach Object.prototype', () => {
    // {'__proto__': {'polluted': True}}
    const proto = latin1('\x80\x02}X\x09\x00\x00\x00__proto__}X\x08\x00\x00\x00polluted\x88ss.');
    const value = unpickleTorch(proto, 'p.pt');
    expect(value).toBeInstanceOf(Map);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
