/**
 * The split run on a real SLURM: `redundancy-lab slurm` submits one array per pass and a merge job to the local
 * one-node cluster (scripts/slurm/local-cluster.sh start; .ci/run starts it), and the merge job's result equals
 * `measure` on one machine (AAC 1e-12, per-dim LR 1e-9, NLR dims and R² identical). Without SLURM it fails,
 * saying how to start it: a skipped test would hide that the SLURM path went untested.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../helpers/cli.ts';
import { runCliInProcess } from '../helpers/cliInProcess.ts';
import { compareToMeasure, SHARD_OPTIONS, writeShardFixture } from '../helpers/shardFixture.ts';

const LOCAL_CONF = '/tmp/slurm/slurm.conf';
if (!process.env.SLURM_CONF && existsSync(LOCAL_CONF)) process.env.SLURM_CONF = LOCAL_CONF;

/** Why SLURM cannot take jobs here, or null when it can. */
function slurmMissing(): string | null {
  // sinfo retries a missing config for 60 s: 15 s is plenty for a running controller
  const sinfo = spawnSync('sinfo', ['-h', '-o', '%t'], { encoding: 'utf8', timeout: 15_000 });
  if (sinfo.signal) return `sinfo did not answer in 15 s (SLURM_CONF=${process.env.SLURM_CONF ?? 'unset'})`;
  if (sinfo.error) return `sinfo could not be run (${(sinfo.error as NodeJS.ErrnoException).code}): SLURM is not installed`;
  if (sinfo.status !== 0) return `sinfo failed: ${sinfo.stderr.trim()}`;
  if (!/^(idle|mix|alloc)/m.test(sinfo.stdout)) return `no node takes jobs (sinfo: ${sinfo.stdout.trim() || 'no nodes'})`;
  return null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('redundancy-lab slurm on a real SLURM (local one-node cluster)', () => {
  const jobs: string[] = [];
  afterAll(() => {
    if (jobs.length) spawnSync('scancel', jobs, { timeout: 15_000 }); // a failed run leaves no jobs pending
  });

  it('3 tasks per pass, dependent arrays, merged by the merge job: equal to measure', async () => {
    let missing = slurmMissing();
    // a fresh machine with the packages (npm test as root, as in CI): the test starts the one-node cluster itself
    if (missing && process.getuid?.() === 0 && existsSync('/usr/sbin/slurmctld') && existsSync('/usr/sbin/munged')) {
      const started = spawnSync('bash', [join(REPO, 'scripts/slurm/local-cluster.sh'), 'start'], { encoding: 'utf8', timeout: 120_000 });
      process.env.SLURM_CONF = LOCAL_CONF;
      missing = slurmMissing() && `${slurmMissing()} (local-cluster.sh start: ${started.stderr.trim() || started.stdout.trim()})`;
    }
    if (missing) throw new Error(`${missing}. Start the local cluster first: sudo scripts/slurm/local-cluster.sh start (Debian: apt-get install slurm-wlm munge)`);
    const dir = mkdtempSync(join(tmpdir(), 'rl-slurm-'));
    const file = writeShardFixture(dir);
    const work = join(dir, 'work');
    const ref = await runCliInProcess(['measure', file, ...SHARD_OPTIONS, '--json', '-q']);
    expect(ref.code, ref.stderr).toBe(0);

    const submitted = runCli(['slurm', file, '--shards', '3', '--work', work, '--sbatch', '--time=10 --cpus-per-task=1', ...SHARD_OPTIONS]);
    expect(submitted.code, submitted.stderr).toBe(0);
    jobs.push(...[...submitted.stdout.matchAll(/job (\d+)/g)].map((m) => m[1]));
    expect(jobs).toHaveLength(7); // six passes and the merge
    expect(submitted.stdout).toMatch(/array 0-2/);
    expect(submitted.stdout).toMatch(new RegExp(`follow: +squeue -j ${jobs.join(',')}`));
    expect(readFileSync(join(work, 'slurm', 'ridge.sbatch'), 'utf8')).toContain('#SBATCH --array=0-2');

    const result = join(work, 'result.json');
    const deadline = Date.now() + 280_000;
    while (!existsSync(result)) {
      const queue = spawnSync('squeue', ['-h', '-j', jobs.join(','), '-o', '%i %T %r'], { encoding: 'utf8', timeout: 15_000 }).stdout ?? '';
      const logs = () => readdirSync(join(work, 'slurm')).filter((f) => f.endsWith('.out')).map((f) => `${f}: ${readFileSync(join(work, 'slurm', f), 'utf8').slice(-500)}`).join('\n');
      if (/DependencyNeverSatisfied/.test(queue)) throw new Error(`a task failed:\n${queue}\n${logs()}`);
      if (Date.now() > deadline) throw new Error(`no result after 280 s:\n${queue}\n${logs()}`);
      await sleep(1000);
    }
    jobs.length = 0;
    compareToMeasure(JSON.parse(readFileSync(result, 'utf8')), JSON.parse(ref.stdout), expect);
    // and merge, run again by hand, agrees
    const merged = await runCliInProcess(['merge', work, '--json', '-q']);
    expect(merged.code, merged.stderr).toBe(0);
    compareToMeasure(JSON.parse(merged.stdout), JSON.parse(ref.stdout), expect);
  }, 320_000);
});
