// Writes the parquet fixtures (no pyarrow on this machine) from the values NumPy put in
// tests/fixtures/io/expected.json (see scripts/make_fixtures.py), using hyparquet-writer.
// Run after make_fixtures.py:  node scripts/make_parquet_fixtures.mjs
// and after make_bad_files.py: node scripts/make_parquet_fixtures.mjs --bad
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parquetWriteBuffer } from 'hyparquet-writer';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'tests', 'fixtures', 'io');
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));

/** Schema element(s) for one column; a FLOAT_LIST is the standard 3-level LIST of FLOAT. */
function schemaFor(column) {
  if (column.type === 'FLOAT_LIST') {
    return [
      { name: column.name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', type: 'FLOAT', repetition_type: 'REQUIRED' },
    ];
  }
  if (column.type === 'STRING') return [{ name: column.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' }];
  return [{ name: column.name, type: column.type, repetition_type: 'REQUIRED' }];
}

export function writeParquet(file, spec) {
  const columnData = spec.columns.map((c) => ({
    name: c.name,
    data: c.type === 'INT64' ? c.data.map((v) => BigInt(v)) : c.data,
  }));
  const schema = [{ name: 'root', num_children: spec.columns.length }, ...spec.columns.flatMap(schemaFor)];
  const buffer = parquetWriteBuffer({ columnData, schema, rowGroupSize: spec.rowGroupSize ?? 1000 });
  writeFileSync(file, new Uint8Array(buffer));
}

/** `--bad`: the broken parquet files of tests/fixtures/bad (specs from scripts/make_bad_files.py). */
function writeBad() {
  const badDir = join(dir, '..', 'bad');
  const specs = JSON.parse(readFileSync(join(badDir, 'parquet_specs.json'), 'utf8'));
  for (const [name, spec] of Object.entries(specs)) writeParquet(join(badDir, name), spec);
  const good = readFileSync(join(dir, 'list_column.parquet'));
  writeFileSync(join(badDir, 'truncated.parquet'), good.subarray(0, Math.floor(good.length / 2)));
  console.log(`wrote ${Object.keys(specs).length + 1} parquet files to ${badDir}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--bad')) {
  writeBad();
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let n = 0;
  for (const [name, spec] of Object.entries(expected)) {
    if (spec.format !== 'parquet') continue;
    writeParquet(join(dir, name), spec);
    n++;
  }
  console.log(`wrote ${n} parquet fixtures to ${dir}`);
}
