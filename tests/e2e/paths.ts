// Where things are (no Playwright imports: the global setup reads this too).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST = path.join(ROOT, 'dist');
export const SHOTS = path.join(ROOT, 'tests/e2e/screenshots');
export const DEMO = path.join(ROOT, 'public/demo');
