/**
 * The GPU harness in Node (npm run bench:gpu runs it as a child process): harness.ts on Dawn's WebGPU (the optional
 * package "webgpu", src/node/webgpu.ts) against tfjs's WASM backend, in one process.
 *
 *   tsx bench/gpu/node.ts CONFIG_JSON OUT_JSON [--hardware]
 *
 * Without --hardware it runs on SwiftShader's Vulkan driver (Debian's Chromium ships it): a CPU emulation, there to
 * prove the path works (CI). With --hardware it uses the machine's Vulkan driver: a real GPU's numbers.
 * Progress goes to stderr; the result (or {"error": …}) to OUT_JSON.
 */
import { writeFile } from 'node:fs/promises';
import { nodeWasmFolder } from '../../src/node/index.ts';
import { installNodeWebGpu } from '../../src/node/webgpu.ts';
import { runGpuBench } from './harness.ts';
import type { GpuBenchConfig } from './protocol.ts';

const [configJson, out, ...flags] = process.argv.slice(2);
if (!configJson || !out) throw new Error('usage: tsx bench/gpu/node.ts CONFIG_JSON OUT_JSON [--hardware] [--quiet]');
const config = JSON.parse(configJson) as GpuBenchConfig;
try {
  const dawn = await installNodeWebGpu({ software: !flags.includes('--hardware') });
  const runtime = `Node ${process.version}, webgpu ${dawn.version} (Dawn)${dawn.icd ? `, Vulkan driver ${dawn.icd}` : ''}`;
  // RL_WASM_DIR: the .wasm binaries' folder when this runs bundled, without node_modules (scripts/device/)
  const wasmPaths = process.env.RL_WASM_DIR ?? nodeWasmFolder();
  const result = await runGpuBench(config, !flags.includes('--quiet'), { wasmPaths, runtime, write: (line) => process.stderr.write(`${line}\n`) });
  await writeFile(out, JSON.stringify(result));
} catch (e) {
  await writeFile(out, JSON.stringify({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) }));
}
// Dawn keeps the event loop alive
process.exit(0);
