/**
 * The layers, checked by `npm run lint` (ARCHITECTURE.md explains them):
 *   core (src/core) ← worker, cli, node, bench: only through src/core/index.ts (or lite.ts)
 *   core ← ui: only through src/core/lite.ts (no compute backend in the page's bundle; the worker computes)
 *   core imports nothing outside itself; ui reaches compute only through the worker client; no cycles;
 *   bench never imports tests.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes two modules one: split the shared part out (as numerics/ was split from measures/).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-self-contained',
      severity: 'error',
      comment: 'src/core runs in a worker and in Node: it may not import the UI, the worker, the CLI or Node-only code.',
      from: { path: '^src/core/' },
      to: { path: '^src/(ui|worker|cli|node)/|^src/main\\.ts$' },
    },
    {
      name: 'core-through-its-entries',
      severity: 'error',
      comment: 'Outside src/core (tests aside), import the core through src/core/index.ts (or lite.ts, or thread.ts for the float64 helper threads), never a deep path.',
      from: { path: '^(src/(worker|cli|node)|bench)/' },
      to: { path: '^src/core/', pathNot: '^src/core/(index|lite|thread)\\.ts$' },
    },
    {
      name: 'ui-through-lite',
      severity: 'error',
      comment: 'The page imports the core only through src/core/lite.ts (types and rules, no compute); the worker client runs jobs.',
      from: { path: '^src/(ui/|main\\.ts$)' },
      to: { path: '^src/core/', pathNot: '^src/core/lite\\.ts$' },
    },
    {
      name: 'ui-not-node',
      severity: 'error',
      comment: 'The page cannot use Node-only code or the CLI.',
      from: { path: '^src/(ui|worker)/' },
      to: { path: '^src/(node|cli)/' },
    },
    {
      name: 'bench-not-tests',
      severity: 'error',
      comment: 'Benchmarks use the product code, not test helpers (move a shared helper into bench/ or src/).',
      from: { path: '^bench/' },
      to: { path: '^tests/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: { path: '^(src|bench)/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules|\\.svelte-kit|dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.mjs', '.svelte', '.json'] },
  },
};
