// Which entry the CLI runs: the bundle (build/cli/main.js, from `npm run build:cli`, which `npm ci` runs as
// "prepare") while it is at least as new as every file under src/ and package.json; else the TypeScript sources.
import { readdirSync, statSync } from 'node:fs';

function newestIn(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${entry.name}`;
    newest = Math.max(newest, entry.isDirectory() ? newestIn(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** 'bundle' or 'source', for the checkout at `root` (a path ending in /). */
export function chooseEntry(root, env = process.env) {
  if (env.REDUNDANCY_LAB_FROM_SOURCE === '1') return 'source';
  try {
    const built = statSync(`${root}build/cli/main.js`).mtimeMs;
    return built >= Math.max(newestIn(`${root}src`), statSync(`${root}package.json`).mtimeMs) ? 'bundle' : 'source';
  } catch {
    return 'source';
  }
}
