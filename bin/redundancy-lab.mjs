#!/usr/bin/env node
// Starts the bundled CLI when it is fresh (no TypeScript to transpile: ~0.1 s to --version), else the sources
// through tsx, so an edit is never run stale (bin/entry.mjs decides).
import { fileURLToPath } from 'node:url';
import { chooseEntry } from './entry.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
let main;
if (chooseEntry(root) === 'bundle') ({ main } = await import(`${root}build/cli/main.js`));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
