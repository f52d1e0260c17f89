/** `--report FILE.html` (measure, study): the core's static HTML report, written next to the usual output. */
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { RedundancyLabError, reportHtml, type ReportInput } from '../core/index.ts';

/** Checked before measuring, so a long run never ends on a path it cannot write. */
export async function checkReportPath(file: string): Promise<void> {
  if (!/\.html?$/i.test(file)) throw new RedundancyLabError('bad-option', `--report: '${file}' should end in .html (the report is one HTML file)`);
  const dir = await stat(path.dirname(path.resolve(file))).catch(() => null);
  if (!dir?.isDirectory()) throw new RedundancyLabError('bad-option', `--report: the folder of '${file}' does not exist`);
  const existing = await stat(file).catch(() => null);
  if (existing?.isDirectory()) throw new RedundancyLabError('bad-option', `--report: '${file}' is a folder; name a file such as report.html`);
}

/** Writes the report; says so on stderr (stdout keeps exactly the table, CSV or JSON it had). */
export async function writeReport(file: string, input: Omit<ReportInput, 'generatedAt' | 'generator'>, quiet = false): Promise<void> {
  await writeFile(file, reportHtml({ ...input, generatedAt: new Date(), generator: 'command line' }));
  if (!quiet) process.stderr.write(`report written: ${file}\n`);
}
