/**
 * The flags that set a measurement (parseArgs specs), shared by `measure`/`study`/`probe` (main.ts) and the split
 * run (`shard`…). No imports: main.ts loads it before any compute, so `--version` stays instant.
 */
export const MEASURE_FLAG_SPECS = {
  array: { type: 'string' },
  preset: { type: 'string' },
  protocol: { type: 'string' },
  'authors-input': { type: 'string' },
  measures: { type: 'string' },
  'nlr-dims': { type: 'string' },
  epochs: { type: 'string' },
  seed: { type: 'string' },
  optimizer: { type: 'string' },
  'nlr-rows': { type: 'string' },
  'top-predictors': { type: 'string' },
  backend: { type: 'string' },
  threads: { type: 'string' },
  json: { type: 'boolean', default: false },
  quiet: { type: 'boolean', short: 'q', default: false },
} as const;
