/**
 * The split run end to end through the CLI (in this process): shard → shard-run every task of every pass (in a
 * shuffled order within each pass) → merge --json equals `measure --json` on the same file and options.
 */
import { copyFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/cliInProcess.ts';
import { compareToMeasure, SHARD_OPTIONS, writeShardFixture } from '../helpers/shardFixture.ts';

const PASSES = ['moments', 'ridge', 'nlr', 'null-moments', 'null-ridge', 'null-nlr'];

describe('shard, shard-run, merge: one measurement as tasks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-shard-'));
  const file = writeShardFixture(dir);
  const work = join(dir, 'work');
  let want: any;

  beforeAll(async () => {
    const ref = await runCliInProcess(['measure', file, ...SHARD_OPTIONS, '--json', '-q']);
    expect(ref.code, ref.stderr).toBe(0);
    want = JSON.parse(ref.stdout);
  });

  it('merges to the result of measure (AAC 1e-12, LR 1e-9, NLR identical); merge before the end exits 3 naming the next pass', async () => {
    const plan = await runCliInProcess(['shard', file, '--shards', '3', '--work', work, ...SHARD_OPTIONS]);
    expect(plan.code, plan.stderr).toBe(0);
    const written = JSON.parse(readFileSync(join(work, 'plan.json'), 'utf8'));
    expect(written.rows).toEqual([[0, 400], [400, 800], [800, 1200]]);
    expect(written.fingerprint.shape).toEqual([1200, 24]);

    const early = await runCliInProcess(['merge', work, '--json']);
    expect(early.code).toBe(3);
    expect(early.stdout).toBe('');
    expect(early.stderr).toMatch(/not finished: next pass 'moments' \(0 of 3 tasks done/);

    const nlrDims: string[] = [];
    for (const [p, pass] of PASSES.entries()) {
      for (const task of p % 2 ? [2, 0, 1] : [1, 2, 0]) {
        // $SLURM_ARRAY_TASK_ID is the default task, as in an array job
        process.env.SLURM_ARRAY_TASK_ID = String(task);
        const r = await runCliInProcess(['shard-run', work]);
        delete process.env.SLURM_ARRAY_TASK_ID;
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toContain(`task ${task} of pass '${pass}' done`);
        if (pass === 'nlr') nlrDims[task] = r.stderr.match(/NLR dims ([\d, ]+|none)\)/)![1];
      }
      if (pass === 'ridge') {
        const mid = await runCliInProcess(['merge', work]);
        expect(mid.code).toBe(3);
        expect(mid.stderr).toMatch(/next pass 'nlr'/);
      }
    }
    const merged = await runCliInProcess(['merge', work, '--json']);
    expect(merged.code, merged.stderr).toBe(0);
    const got = JSON.parse(merged.stdout);
    compareToMeasure(got, want, expect);
    expect(got.preset).toEqual(want.preset);
    // each NLR task trained its contiguous part of the selected dims
    expect(nlrDims.filter((x) => x !== 'none').join(', ')).toBe(want.nlr.evaluatedDims.join(', '));
  });

  it('re-running a finished task does nothing', async () => {
    const part = join(work, 'ridge', 'task-1.f64');
    const before = statSync(part).mtimeMs;
    const r = await runCliInProcess(['shard-run', work, '--task', '1', '--pass', 'ridge']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/task 1 of pass 'ridge' is done already; nothing to do/);
    expect(statSync(part).mtimeMs).toBe(before);
    const all = await runCliInProcess(['shard-run', work, '--task', '0']);
    expect(all.stderr).toMatch(/every pass is done/);
  });

  it('--measures aac,lr: the plan holds only the passes with work (no NLR passes), four rounds of tasks, then the merge equals measure', async () => {
    const aacLr = ['--measures', 'aac,lr'];
    const ref = await runCliInProcess(['measure', file, ...aacLr, '--json', '-q']);
    expect(ref.code, ref.stderr).toBe(0);
    const w = join(dir, 'work-aac-lr');
    const plan = await runCliInProcess(['shard', file, '--shards', '2', '--work', w, ...aacLr]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('2 tasks per pass (moments, ridge, null-moments, null-ridge)');
    expect(JSON.parse(readFileSync(join(w, 'plan.json'), 'utf8')).passes).toEqual(['moments', 'ridge', 'null-moments', 'null-ridge']);
    for (const pass of ['moments', 'ridge', 'null-moments', 'null-ridge']) {
      for (const task of [0, 1]) {
        const r = await runCliInProcess(['shard-run', w, '--task', String(task)]);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toContain(`task ${task} of pass '${pass}' done`);
      }
    }
    const noNlr = await runCliInProcess(['shard-run', w, '--task', '0', '--pass', 'nlr']);
    expect(noNlr.code).not.toBe(0);
    expect(noNlr.stderr).toMatch(/this plan has no pass 'nlr' \(measures aac,lr: passes moments, ridge, null-moments, null-ridge\)/);
    const merged = await runCliInProcess(['merge', w, '--json']);
    expect(merged.code, merged.stderr).toBe(0);
    const got = JSON.parse(merged.stdout);
    const want = JSON.parse(ref.stdout);
    expect(got.nlr).toBeNull();
    expect(Math.abs(got.aac.value - want.aac.value)).toBeLessThan(1e-12);
    got.lr.perDim.forEach((v: number | null, i: number) => expect(Math.abs(v! - want.lr.perDim[i])).toBeLessThan(1e-9));
    expect(Math.abs(got.reliability.lrNull - want.reliability.lrNull)).toBeLessThan(1e-9);
  });

  it('--protocol authors-script is refused, saying to measure it on one machine', async () => {
    const r = await runCliInProcess(['shard', file, '--shards', '2', '--work', join(dir, 'work-authors'), '--protocol', 'authors-script']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--protocol authors-script is measured on one machine only .*redundancy-lab measure FILE --protocol authors-script/);
  });

  it('a damaged part is not taken as finished', async () => {
    const w2 = join(dir, 'work2');
    await runCliInProcess(['shard', file, '--shards', '2', '--work', w2, ...SHARD_OPTIONS]);
    for (const task of ['0', '1']) expect((await runCliInProcess(['shard-run', w2, '--task', task])).code).toBe(0);
    const part = join(w2, 'moments', 'task-1.f64');
    const bytes = readFileSync(part);
    bytes[100] ^= 1;
    writeFileSync(part, bytes);
    const r = await runCliInProcess(['merge', w2]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/next pass 'moments' \(1 of 2 tasks done; tasks 1 to run/);
  });

  it('refuses mixed settings and fingerprints, naming what differs', async () => {
    // another plan into the same folder
    const other = await runCliInProcess(['shard', file, '--shards', '3', '--work', work, '--nlr-dims', '4', '--epochs', '5']);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/holds another plan: settings\.mlp\.epochs \(3 vs 5\)/);
    // a part made for another plan, copied in
    const w3 = join(dir, 'work3');
    await runCliInProcess(['shard', file, '--shards', '3', '--work', w3, '--nlr-dims', '4', '--epochs', '5']);
    expect((await runCliInProcess(['shard-run', w3, '--task', '0'])).code).toBe(0);
    copyFileSync(join(w3, 'moments', 'task-0.json'), join(work, 'moments', 'task-0.json'));
    const mixed = await runCliInProcess(['merge', work]);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toMatch(/task-0\.json was made for another plan \(settings\.mlp\.epochs \(3 vs 5\): plan vs part\)/);
    // the file changed since the plan
    const w4 = join(dir, 'work4');
    const copy = join(dir, 'copy.npy');
    copyFileSync(file, copy);
    await runCliInProcess(['shard', copy, '--shards', '2', '--work', w4, ...SHARD_OPTIONS]);
    const bytes = readFileSync(copy);
    bytes[bytes.length - 1] ^= 0x40;
    writeFileSync(copy, bytes);
    const changed = await runCliInProcess(['shard-run', w4, '--task', '0']);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/is not the file this plan was made for: fingerprint\.sha256/);
  });

  it('says what a task needs', async () => {
    expect((await runCliInProcess(['shard-run', work])).stderr).toMatch(/needs --task I \(or \$SLURM_ARRAY_TASK_ID/);
    expect((await runCliInProcess(['shard-run', work, '--task', '3'])).stderr).toMatch(/the plan has tasks 0…2/);
    const w5 = join(dir, 'work5');
    await runCliInProcess(['shard', file, '--shards', '2', '--work', w5, ...SHARD_OPTIONS]);
    expect((await runCliInProcess(['shard-run', w5, '--task', '0', '--pass', 'nlr'])).stderr).toMatch(/pass 'nlr' needs pass 'moments' done first \(0 of 2 tasks done\)/);
    expect((await runCliInProcess(['merge', join(dir, 'nowhere')])).stderr).toMatch(/no plan in/);
  });

  it('slurm --dry-run writes one array script per pass and a merge job; --backend webgpu goes to the NLR passes only', async () => {
    const w6 = join(dir, 'work6');
    const r = await runCliInProcess(['slurm', file, '--shards', '4', '--work', w6, '--backend', 'webgpu', '--sbatch', '--gres=gpu:1 --time=1:00:00', '--dry-run', ...SHARD_OPTIONS]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/not submitted: --dry-run/);
    for (const pass of PASSES) {
      const script = readFileSync(join(w6, 'slurm', `${pass}.sbatch`), 'utf8');
      expect(script).toContain('#SBATCH --array=0-3');
      expect(script).toMatch(new RegExp(`shard-run \\S+work6 --pass ${pass} --quiet`));
      expect(script.includes('--backend webgpu')).toBe(pass.endsWith('nlr'));
    }
    expect(readFileSync(join(w6, 'slurm', 'merge.sbatch'), 'utf8')).toMatch(/merge \S+work6 --json --quiet > \S+result\.json\.tmp/);
    expect(JSON.parse(readFileSync(join(w6, 'plan.json'), 'utf8')).backend).toBe('webgpu');
  });
});
