// The parquet member of the CLI fixture set (no pyarrow here): a list column and a label column.
import { readFileSync, rmSync } from 'node:fs';
import { writeParquet } from '../../scripts/make_parquet_fixtures.mjs';

const dir = new URL('../fixtures/cli/', import.meta.url);
const { rows, labels } = JSON.parse(readFileSync(new URL('matrix.json', dir), 'utf8'));
writeParquet(new URL('matrix.parquet', dir).pathname, {
  columns: [
    { name: 'embedding', type: 'FLOAT_LIST', data: rows },
    { name: 'label', type: 'INT64', data: labels },
  ],
});
rmSync(new URL('matrix.json', dir)); // only the bridge from the Python writer
console.log('wrote matrix.parquet');
