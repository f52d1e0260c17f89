import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs the real CLI entry point (bin/redundancy-lab.mjs) as a user would. */
export function runCli(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/redundancy-lab.mjs', ...args], { cwd: REPO, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr.split('\n').filter((l) => !l.includes('npm warn')).join('\n') };
}

export function runCliJson(args: string[]): any {
  const r = runCli([...args, '--json']);
  if (r.code !== 0) throw new Error(`CLI failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}
