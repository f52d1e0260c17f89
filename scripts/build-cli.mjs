// Bundles the CLI (src/cli/main.ts and what it imports from src/) into build/cli/, so the command starts without
// transpiling TypeScript (issue 16: ≤ 0.3 s). Packages stay external (node_modules). `npm install` / `npm ci` run
// it (the "prepare" script); bin/redundancy-lab.mjs uses the bundle only while it is newer than every source file.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const outdir = new URL('../build/cli/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [new URL('../src/cli/main.ts', import.meta.url).pathname],
  outdir,
  bundle: true,
  splitting: true, // the commands and the compute stay separate chunks, loaded when a command runs
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
