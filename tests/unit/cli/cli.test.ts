import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { runCliInProcess } from '../helpers/cliInProcess.ts';

const CLI_FIXTURES = 'tests/fixtures/cli';

describe('redundancy-lab measure reads every format and gets the same numbers', () => {
  it('the real bin entry point prints JSON with the documented keys', () => {
    const r = runCli(['measure', `${CLI_FIXTURES}/matrix.npy`, '--measures', 'aac,lr,nlr', '--nlr-dims', '2', '--epochs', '2', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    for (const key of ['n', 'd', 'deadDims', 'splitDegenerateDims', 'aac', 'lr', 'nlr', 'settings', 'backend', 'timingsMs', 'version']) expect(json).toHaveProperty(key);
    expect(json.n).toBe(48);
    expect(json.lr.perDim).toHaveLength(6);
    expect(json.nlr.perDim).toHaveLength(6);
    expect(json.nlr.perDim.filter((v: number | null) => v !== null)).toHaveLength(2);
    expect(json.backend.name).toBe('wasm');
    expect(json.version).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });

  it('--threads N: the float64 step on N threads (JSON backend.float64Threads), the same numbers as on 1', () => {
    const on = (threads: string) => {
      const r = runCli(['measure', `${CLI_FIXTURES}/matrix.npy`, '--measures', 'aac,lr', '--threads', threads, '--json']);
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout);
    };
    const one = on('1');
    const three = on('3');
    expect(one.backend.float64Threads).toBe(1);
    expect(three.backend.float64Threads).toBe(3);
    expect(three.lr.perDim).toEqual(one.lr.perDim);
    expect(three.aac.value).toBe(one.aac.value);
  });

  it('the readable table names the measures', () => {
    const r = runCli(['measure', `${CLI_FIXTURES}/matrix.csv`, '--measures', 'aac,lr']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/48 samples × 6 dims/);
    expect(r.stdout).toMatch(/AAC\s+0\.\d{4}/);
    expect(r.stdout).toMatch(/LR\s+0\.\d{4}/);
  });

  const files = readdirSync(CLI_FIXTURES).filter((f) => f !== 'matrix.npy');
  it(`fixtures exist for every format (${files.length})`, () => {
    for (const ext of ['.npz', '.pt', '.safetensors', '.csv', '.tsv', '.txt', '.parquet']) expect(files.some((f) => f.endsWith(ext))).toBe(true);
  });
  for (const file of files) {
    it(file, async () => {
      const reference = JSON.parse((await runCliInProcess(['measure', `${CLI_FIXTURES}/matrix.npy`, '--measures', 'aac,lr', '--json'])).stdout);
      const r = await runCliInProcess(['measure', `${CLI_FIXTURES}/${file}`, '--measures', 'aac,lr', '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const json = JSON.parse(r.stdout);
      expect([json.n, json.d]).toEqual([48, 6]);
      expect(json.aac.value).toBe(reference.aac.value);
      expect(json.lr.perDim).toEqual(reference.lr.perDim);
    });
  }

  it('probe finds the labels inside an .npz and reports accuracy', async () => {
    const r = await runCliInProcess(['probe', `${CLI_FIXTURES}/matrix.npz`, '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.classes).toBe(3);
    expect(json.accuracy).toBeGreaterThanOrEqual(0);
    expect(json.accuracy).toBeLessThanOrEqual(1);
  });
});

describe('bad input: non-zero exit and one line naming the file and the problem', () => {
  const cases: [string[], RegExp][] = [
    [['measure', 'tests/fixtures/cli/does-not-exist.npy'], /does-not-exist\.npy.*(no such file|not found|ENOENT)/i],
    [['measure', `${CLI_FIXTURES}/matrix.npy`, '--measures', 'aac,xyz'], /--measures.*xyz/],
    [['measure', `${CLI_FIXTURES}/matrix.npy`, '--nlr-dims', 'lots'], /--nlr-dims/],
    [['measure', `${CLI_FIXTURES}/matrix.npy`, '--nlr-dims', '3,99,'], /NLR dims 99 are outside 0…5/],
    [['measure', `${CLI_FIXTURES}/matrix.npz`, '--array', 'nope'], /matrix\.npz.*no array named 'nope'.*embeddings/],
    [['measure', `${CLI_FIXTURES}/matrix.npy`, '--epochs', '0'], /--epochs/],
    [['probe', `${CLI_FIXTURES}/matrix.npy`], /no labels/],
    [['probe', `${CLI_FIXTURES}/matrix.npy`, '--labels', `${CLI_FIXTURES}/matrix.npy`], /labels must be one integer class id per sample/],
    [['frobnicate', 'x'], /unknown command/],
    [['measure', `${CLI_FIXTURES}/matrix.npy`, '--threads', '0'], /--threads: '0' is not a whole number from 1 to 64/],
  ];
  for (const [args, message] of cases) {
    it(args.join(' '), async () => {
      const r = await runCliInProcess(args);
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    });
  }
});
