import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

/**
 * tfjs-backend-webgpu's dataSync/arraySync copy GPU buffers through an OffscreenCanvas and return wrong
 * numbers on SwiftShader (AAC came out as exactly 1). Everything the measures read back must be awaited.
 */
it('core never reads tensors back synchronously', () => {
  const root = join(import.meta.dirname, '../../../src');
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|svelte)$/.test(entry.name)) {
        readFileSync(path, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (/\.(dataSync|arraySync)\(/.test(line)) offenders.push(`${path}:${i + 1}`);
          });
      }
    }
  };
  walk(root);
  expect(offenders).toEqual([]);
});
