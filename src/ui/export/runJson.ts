/**
 * The whole run as one JSON document: settings, backend, versions, and every file's full result
 * (per-dim values included). The heatmap preview is left out (it is a picture of numbers already here).
 */
import { version as appVersion } from '../../../package.json';
import type { BackendInfo, MeasureSettings } from '../../worker/api.ts';
import type { FileEntry } from '../stores/fileEntry.svelte.ts';

export function runJson(page: { backend: BackendInfo | null; settings: MeasureSettings; files: readonly FileEntry[] }): string {
  const doc = {
    tool: 'Redundancy Lab',
    appVersion,
    exportedAt: new Date().toISOString(),
    userAgent: navigator.userAgent,
    backend: page.backend,
    currentSettings: page.settings,
    files: page.files.map((f) => {
      const { correlationPreview: _preview, partialCorrelationPreview: _partial, ...result } = f.result ?? { correlationPreview: undefined, partialCorrelationPreview: undefined };
      return {
        name: f.name,
        byteLength: f.summary?.byteLength ?? f.file.size,
        format: f.summary?.format ?? null,
        demo: f.demo,
        array: f.embedding,
        labels: f.labels,
        tag: f.tag,
        status: f.status,
        error: f.error,
        result: f.result ? result : null,
      };
    }),
  };
  return JSON.stringify(doc, null, 2);
}
