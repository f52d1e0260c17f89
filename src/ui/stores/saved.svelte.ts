/**
 * Results saved in this browser (IndexedDB): saving what was measured, showing saved results on the page,
 * attaching one to a file dropped again, and Export all / Import. Saving never stops the app: a failure is
 * one line (`note`).
 */
import type { BackendInfo, FileSummary, FinishedNlrDims, MeasureSettings, ProbeRunResult, RunResult } from '../../worker/api.ts';
import { sameSettings } from '../../core/lite.ts';
import { version as appVersion } from '../../../package.json';
import { sameFingerprint, type Fingerprint } from '../persist/fingerprint.ts';
import { parseResultsExport, recordId, resultsExport, type SavedRecord, type StudyChoices } from '../persist/records.ts';
import { openResultStore, type ResultStore } from '../persist/resultStore.ts';
import { FileEntry } from './fileEntry.svelte.ts';
import type { FilesStore } from './files.svelte.ts';
import type { NoticeStore } from './notice.svelte.ts';
import type { ProbeCache } from './probes.svelte.ts';
import type { SettingsStore } from './settings.svelte.ts';

export interface SavedDeps {
  files: FilesStore;
  settings: SettingsStore;
  probes: ProbeCache;
  notice: NoticeStore;
  /** the page's backend, named in an export */
  backendInfo: () => BackendInfo | null;
  openStore?: () => Promise<ResultStore>;
}

const why = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A result a run did not finish: cut short by a cancel, or provisional (AAC and LR final, NLR or the null to come). */
export const unfinished = (r: RunResult) => !!(r.cancelled || r.provisional);

/** A returning visit shows the results saved in the last session: within this long of the newest, at most RECENT_MAX. */
const RECENT_WINDOW_MS = 12 * 3600_000;
const RECENT_MAX = 24;

export class SavedResultsStore {
  /** results saved in this browser, newest first */
  records = $state.raw<SavedRecord[]>([]);
  /** one line when saving is off or failed (private mode, quota) */
  note = $state<string | null>(null);
  private readonly store: Promise<ResultStore | null>;
  private readonly files: FilesStore;
  /** resolves once the saved records have been read (or reading them failed) */
  readonly loaded: Promise<void>;

  constructor(private readonly deps: SavedDeps) {
    this.files = deps.files;
    this.store = this.open(deps.openStore ?? (() => openResultStore()));
    this.loaded = this.store.then(() => undefined);
  }

  private async open(openStore: () => Promise<ResultStore>): Promise<ResultStore | null> {
    try {
      const store = await openStore();
      this.records = await store.list();
      return store;
    } catch (e) {
      this.note = `Results are not saved in this browser (${why(e)}); use Export all to keep them.`;
      return null;
    }
  }

  private async put(records: SavedRecord[]): Promise<void> {
    const byId = new Map(this.records.map((r) => [r.id, r]));
    for (const r of records) byId.set(r.id, r);
    this.records = [...byId.values()].sort((a, b) => b.savedAt.localeCompare(a.savedAt));
    const store = await this.store;
    if (!store) return;
    try {
      await store.put(records);
    } catch (e) {
      this.note = `Could not save results in this browser (${why(e)}); use Export all to keep them.`;
    }
  }

  /** The record for an entry's current result (null for files without a result or a fingerprint). */
  private recordOf(f: FileEntry, savedAt = new Date().toISOString()): SavedRecord | null {
    if (!f.result || !f.fingerprint) return null;
    const summary = f.summary ? (({ id: _id, ...rest }) => rest)($state.snapshot(f.summary) as FileSummary) : null;
    return {
      id: recordId(f.fingerprint, f.result.array, f.result.settings),
      fingerprint: f.fingerprint,
      savedAt,
      array: f.result.array,
      labels: f.labels,
      summary,
      result: f.result,
      probe: f.probe && f.probe.array === f.result.array ? f.probe : null,
      nlrFinished: unfinished(f.result) ? f.nlrFinished : null,
      studyChoices: studyChoicesOf(f),
      appVersion,
    };
  }

  /** Saves a freshly measured (or probed) entry. Demo files are not saved. */
  async persist(f: FileEntry): Promise<void> {
    if (f.demo || f.detached) return;
    const record = this.recordOf(f);
    if (!record) return;
    // a run again cut short does not replace the whole result saved for the same file and settings
    const saved = this.records.find((r) => r.id === record.id);
    if (saved && unfinished(record.result) && !unfinished(saved.result)) return;
    f.savedId = record.id;
    await this.put([record]);
  }

  /** The row's study choices (in the study, typed tag and accuracy) go with its saved result at once. */
  async keepStudyChoices(f: FileEntry): Promise<void> {
    const record = f.savedId ? this.records.find((r) => r.id === f.savedId) : undefined;
    if (!record) return;
    await this.put([{ ...record, studyChoices: studyChoicesOf(f) }]);
  }

  /**
   * The NLR heads an unfinished run of this file with these settings left (on the page, or saved before a reload):
   * the next run trains only the others. null when there are none.
   */
  resumeFor(f: FileEntry, settings: MeasureSettings): FinishedNlrDims | null {
    const r = f.result;
    if (r && unfinished(r) && f.nlrFinished?.dims.length && r.array === f.embedding && sameSettings(r.settings, settings)) return f.nlrFinished;
    if (!f.fingerprint) return null;
    const record = this.records.find((x) => x.nlrFinished?.dims.length && unfinished(x.result) && x.array === f.embedding && sameFingerprint(x.fingerprint, f.fingerprint) && sameSettings(x.result.settings, settings));
    return record?.nlrFinished ?? null;
  }

  /**
   * A returning visit: the results saved in the last session (the newest record and those saved within
   * RECENT_WINDOW_MS before it, one per file and array) are shown in the table, marked saved. Returns how many were added.
   */
  async restoreRecent(): Promise<number> {
    await this.loaded;
    const newest = this.records[0];
    if (!newest) return 0;
    const from = Date.parse(newest.savedAt) - RECENT_WINDOW_MS;
    const seen = new Set<string>();
    const recent = this.records.filter((r) => {
      const key = `${r.fingerprint.name}|${r.fingerprint.sha256}|${r.array}`;
      if (Date.parse(r.savedAt) < from || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return this.restore(recent.slice(0, RECENT_MAX).reverse()); // oldest first: the order they were measured in
  }

  /** Forgets a saved record (the page's entries stay). */
  async forget(id: string): Promise<void> {
    this.records = this.records.filter((r) => r.id !== id);
    const store = await this.store;
    await store?.remove(id).catch((e: unknown) => {
      this.note = `Could not delete the saved result (${why(e)}).`;
    });
  }

  /** Whether a saved record is shown on the page now. */
  onPage(id: string): boolean {
    return this.files.list.some((f) => f.savedId === id && f.result !== null);
  }

  /** Shows saved records in the results as entries (without their files: drop a file again to re-run it); returns how many it added. */
  restore(records: SavedRecord[]): number {
    const added: FileEntry[] = [];
    for (const r of records) {
      if (this.onPage(r.id)) continue;
      const again = /\(\d+ shards\)$/.test(r.fingerprint.name) ? 'drop its shard files again and combine them' : 'drop the file again';
      const entry = new FileEntry(new File([], r.fingerprint.name), false, `Saved result from ${new Date(r.savedAt).toLocaleString()}; ${again} to re-run it.`);
      entry.detached = true;
      entry.savedId = r.id;
      entry.savedAt = r.savedAt;
      entry.fingerprint = r.fingerprint;
      entry.summary = r.summary ? { ...r.summary, id: '' } : null;
      entry.embedding = r.array;
      entry.labels = r.labels;
      entry.result = r.result;
      entry.nlrFinished = r.nlrFinished;
      entry.probe = r.probe;
      applyStudyChoices(entry, r.studyChoices);
      entry.status = 'done';
      added.push(entry);
    }
    if (!added.length) return 0;
    this.files.list.push(...added);
    this.files.selectIfNone(added[0]);
    return added.length;
  }

  /**
   * Shows the saved results of these files (their array, measured with `settings`) on the page, once the records
   * are read — what an interrupted run had finished. Returns how many were found.
   */
  async restoreSaved(files: readonly { fingerprint: Fingerprint | null; array: string | null }[], settings: MeasureSettings): Promise<number> {
    await this.loaded;
    const found = this.records.filter((r) => sameSettings(r.result.settings, settings) && files.some((f) => f.array === r.array && sameFingerprint(f.fingerprint, r.fingerprint)));
    this.restore(found);
    return found.length;
  }

  /** Every result — saved ones and those on the page (demo files included) — as one JSON document. */
  exportAll(): string {
    const byId = new Map(this.records.map((r) => [r.id, r]));
    for (const f of this.files.list) {
      const r = f.detached ? null : this.recordOf(f);
      if (r && !byId.has(r.id)) byId.set(r.id, r);
    }
    // the heatmap preview (|r| in [0, 1], up to 512² cells a file) to 4 decimals: a picture, kept small
    const round = <P extends { values: number[] }>(p: P): P => ({ ...p, values: p.values.map((v) => Math.round(v * 1e4) / 1e4) });
    const records = [...byId.values()].map((r) => {
      const { correlationPreview: p, partialCorrelationPreview: q } = r.result;
      return p || q ? { ...r, result: { ...r.result, ...(p ? { correlationPreview: round(p) } : {}), ...(q ? { partialCorrelationPreview: round(q) } : {}) } } : r;
    });
    const info = this.deps.backendInfo();
    const backend = info ? ($state.snapshot(info) as BackendInfo) : null;
    return JSON.stringify(resultsExport(records, { appVersion, userAgent: navigator.userAgent, backend }));
  }

  /** Reads an "Export all" file: validated, then saved here and shown on the page. Throws a ValidationError. */
  async importResults(text: string): Promise<number> {
    const doc = parseResultsExport(text);
    await this.put(doc.records);
    this.restore(doc.records);
    return doc.records.length;
  }

  /**
   * A file just opened: if a restored entry (without its file) has the same fingerprint, the file takes its place;
   * else a saved result for this file, array and the current settings is attached instead of measuring again.
   */
  attachSaved(entry: FileEntry): void {
    if (!entry.fingerprint || entry.status !== 'ready' || entry.embedding === null) return;
    const files = this.files;
    const twin = files.list.find((f) => f.detached && f !== entry && sameFingerprint(f.fingerprint, entry.fingerprint) && f.embedding === entry.embedding);
    if (twin?.result) {
      const savedAt = this.records.find((r) => r.id === twin.savedId)?.savedAt ?? twin.savedAt;
      this.adopt(entry, twin.result, twin.probe, twin.savedId, savedAt);
      entry.nlrFinished = twin.nlrFinished;
      applyStudyChoices(entry, studyChoicesOf(twin));
      this.deps.notice.info(`${entry.name}: saved results${savedAt ? ` from ${new Date(savedAt).toLocaleString()}` : ''} attached (the row shown was this file's); Run measures the others.`);
      const at = files.list.indexOf(twin);
      files.list = files.list.filter((f) => f !== entry && f !== twin);
      files.list.splice(at, 0, entry);
      if (files.selectedKey === twin.key) files.selectedKey = entry.key;
      return;
    }
    const settings = this.deps.settings.current;
    const record = this.records.find((r) => sameFingerprint(r.fingerprint, entry.fingerprint) && r.array === entry.embedding && sameSettings(r.result.settings, settings));
    if (record) {
      this.adopt(entry, record.result, record.probe, record.id, record.savedAt);
      entry.nlrFinished = record.nlrFinished;
      applyStudyChoices(entry, record.studyChoices);
      this.deps.notice.info(`${entry.name}: saved results from ${new Date(record.savedAt).toLocaleString()} attached (same file and settings); Run measures the others.`);
    }
  }

  /** The entry shows a saved result; its status stays 'ready' (opened, not measured in this tab: Run re-measures). */
  private adopt(entry: FileEntry, result: RunResult, probe: ProbeRunResult | null, savedId: string | null, savedAt: string | null): void {
    entry.result = result;
    entry.savedId = savedId;
    if (savedAt) entry.description = `Saved result from ${new Date(savedAt).toLocaleString()}; Run re-measures.`;
    if (probe && probe.array === entry.embedding) {
      entry.probe = probe;
      const key = this.deps.probes.key(entry);
      if (key !== null && this.files.labelsOf(entry)?.source === probe.labelsSource) this.deps.probes.markProbed(entry, key);
    }
    this.files.selectIfNone(entry);
  }
}

/** The row's study choices; null when they are the defaults (in the study, nothing typed). */
function studyChoicesOf(f: FileEntry): StudyChoices | null {
  return f.inStudy && f.tagText === '' && f.accuracyText === '' ? null : { inStudy: f.inStudy, tag: f.tagText, accuracy: f.accuracyText };
}

function applyStudyChoices(f: FileEntry, c: StudyChoices | null): void {
  if (!c) return;
  f.inStudy = c.inStudy;
  f.tagText = c.tag;
  f.accuracyText = c.accuracy;
}
