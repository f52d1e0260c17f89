/**
 * `--report FILE.html` on `measure` and `study`: the report is written, the usual output is unchanged (stdout the
 * same table, CSV or JSON; the report's line goes to stderr), and a bad path or command fails before measuring.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeHtml, reportNumber } from '../../../src/core/index.ts';
import { runCliInProcess } from '../helpers/cliInProcess.ts';
import { wellFormed } from './wellFormed.ts';

const MATRIX = 'tests/fixtures/cli/matrix.npy';
const FAST = ['--nlr-dims', '2', '--epochs', '2'];
/** the run's timings differ from run to run */
const untimed = (text: string) => text.replace(/^time: .*$/m, 'time: …');

describe('redundancy-lab measure --report', () => {
  it('writes the report; stdout is the same table as without the flag; JSON stays pure JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-'));
    const file = join(dir, 'report.html');
    const plain = await runCliInProcess(['measure', MATRIX, ...FAST, '-q']);
    const withReport = await runCliInProcess(['measure', MATRIX, ...FAST, '-q', '--report', file]);
    expect(withReport.code).toBe(0);
    expect(untimed(withReport.stdout)).toBe(untimed(plain.stdout));
    expect(withReport.stderr).toBe('');
    const doc = readFileSync(file, 'utf8');
    wellFormed(doc);
    const json = await runCliInProcess(['measure', MATRIX, ...FAST, '--json', '--report', join(dir, 'again.html')]);
    const result = JSON.parse(json.stdout);
    expect(json.stderr).toBe(`report written: ${join(dir, 'again.html')}\n`);
    // the report shows this run's numbers (the same run as the JSON: deterministic)
    for (const [measure, v] of [['aac', result.aac.value], ['lr', result.lr.value], ['lrNull', result.reliability.lrNull], ['nlr', result.nlr.value], ['nlrMinusLr', result.nlr.minusLr]] as const) {
      expect(doc).toMatch(new RegExp(`data-file="matrix.npy" data-measure="${measure}" data-value="${String(v).replace('.', '\\.')}"[^>]*>(<span[^>]*>⚠ </span>)?${reportNumber(v).replace('.', '\\.')}</td>`));
    }
    for (const w of result.reliability.warnings) expect(doc).toContain(escapeHtml(w.message));
    expect(doc).toContain('<td data-setting="preset">quick (Quick), edited by --nlr-dims --epochs</td>');
    expect(doc).toContain('(command line)');
    expect(doc).not.toMatch(/<script|https?:\/\//i);
  });

  it('fails before measuring on a path it cannot write, a non-.html name, or probe', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'report-')), 'folder.html');
    mkdirSync(folder);
    const cases: [string[], RegExp][] = [
      [['measure', MATRIX, '--report', '/no/such/folder/r.html'], /--report: the folder of '\/no\/such\/folder\/r\.html' does not exist/],
      [['measure', MATRIX, '--report', 'report.txt'], /--report: 'report\.txt' should end in \.html/],
      [['measure', MATRIX, '--report', folder], /--report: '.*folder\.html' is a folder/],
      [['probe', 'tests/fixtures/cli/matrix.npz', '--report', 'r.html'], /--report: only 'measure' and 'study' write a report/],
    ];
    for (const [args, message] of cases) {
      const r = await runCliInProcess(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });
});

describe('redundancy-lab study --report', () => {
  it('writes the runs and the study (every model, its values and warnings); stdout unchanged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'study-report-'));
    for (const name of ['a_layer1.npy', 'b_layer2.npy']) copyFileSync(MATRIX, join(dir, name));
    copyFileSync('tests/fixtures/cli/matrix.csv', join(dir, 'c_layer3.csv'));
    const file = join(dir, 'study.html');
    const args = ['study', dir, '--measures', 'aac,lr', '-q'];
    const plain = await runCliInProcess(args);
    const r = await runCliInProcess([...args, '--report', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(plain.stdout);
    expect(existsSync(file)).toBe(true);
    const doc = readFileSync(file, 'utf8');
    const counts = wellFormed(doc);
    expect(doc).toContain('<h2>Study: 3 models</h2>');
    const json = JSON.parse((await runCliInProcess([...args, '--json'])).stdout);
    for (const row of json.rows) {
      expect(doc).toContain(`<tr data-file="${row.file}">\n<th scope="row">${row.file}</th>`);
      expect(doc).toContain(`data-measure="study-lr" data-value="${row.lr}">${reportNumber(row.lr)}`);
    }
    // LR histogram per model; no NLR (--measures aac,lr); no accuracy: no scatter
    expect(counts.get('svg')).toBe(3);
    expect(doc).toContain('No measure-vs-accuracy chart');
  });
});
