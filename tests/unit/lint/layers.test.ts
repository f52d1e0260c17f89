/**
 * `npm run lint` enforces the layers: shown failing on deliberate violations (a core → ui import, a deep core path
 * from the CLI, DOM use in core), then passing once each is removed. The violating files are written into the
 * tree for the check and always deleted.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/cli.ts';

/** CI forces colour (FORCE_COLOR), which wraps file names in escape codes: strip them before matching. */
function plain(r: { stdout: string; stderr: string }): string {
  return stripVTControlCharacters(`${r.stdout}${r.stderr}`);
}

function depcruise(): { code: number; out: string } {
  const r = spawnSync(process.execPath, ['node_modules/dependency-cruiser/bin/dependency-cruise.mjs', 'src', 'bench', '--config', '.dependency-cruiser.cjs'], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, out: plain(r) };
}

function tscCore(): { code: number; out: string } {
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.core.json', '--noEmit'], { cwd: REPO, encoding: 'utf8', timeout: 180_000 });
  return { code: r.status ?? -1, out: plain(r) };
}

/** Writes `files` (path → text) into the repository, runs `check`, and removes them again. */
function withFiles<T>(files: Record<string, string>, check: () => T): T {
  try {
    for (const [path, text] of Object.entries(files)) writeFileSync(join(REPO, path), text);
    return check();
  } finally {
    for (const path of Object.keys(files)) rmSync(join(REPO, path), { force: true });
  }
}

describe('npm run lint: the layers', () => {
  it('fails on a core → ui import and on a deep core path from the CLI, naming the rule; passes without them', () => {
    const bad = withFiles(
      {
        'src/core/zzLintViolation.ts': "import { sig3 } from '../ui/format.ts';\nexport const x = sig3(1);\n",
        'src/cli/zzLintViolation.ts': "import { spdInverse } from '../core/numerics/linalg.ts';\nexport const y = spdInverse;\n",
      },
      depcruise,
    );
    expect(bad.code).not.toBe(0);
    expect(bad.out).toMatch(/core-is-self-contained: src\/core\/zzLintViolation\.ts → src\/ui\/format\.ts/);
    expect(bad.out).toMatch(/core-through-its-entries: src\/cli\/zzLintViolation\.ts → src\/core\/numerics\/linalg\.ts/);
    const good = depcruise();
    expect(good.out).not.toMatch(/zzLintViolation/);
  }, 240_000);

  it('fails on a cycle', () => {
    const bad = withFiles(
      {
        'src/core/zzCycleA.ts': "import { b } from './zzCycleB.ts';\nexport const a = () => b;\n",
        'src/core/zzCycleB.ts': "import { a } from './zzCycleA.ts';\nexport const b = () => a;\n",
      },
      depcruise,
    );
    expect(bad.out).toMatch(/no-circular: src\/core\/zzCycle/);
  }, 240_000);

  it('fails on DOM use in core (core is compiled without the DOM lib); passes without it', () => {
    const bad = withFiles({ 'src/core/zzDomViolation.ts': 'export const title = () => document.title;\n' }, tscCore);
    expect(bad.code).not.toBe(0);
    expect(bad.out).toMatch(/zzDomViolation\.ts.*Cannot find name 'document'/);
    expect(tscCore().code).toBe(0);
  }, 240_000);
});
