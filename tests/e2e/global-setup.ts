// Before any test: Debian's Chromium and a build are there, and the screenshot folder exists.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { CHROMIUM } from '../../scripts/browser/app.mjs';
import { DIST, SHOTS } from './paths.ts';

export default async function globalSetup() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (never download a browser)`);
  if (!existsSync(path.join(DIST, 'index.html'))) throw new Error('dist/ is missing: run vite build first (npm run test:e2e does)');
  await mkdir(SHOTS, { recursive: true });
}
