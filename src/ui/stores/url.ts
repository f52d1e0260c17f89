/**
 * Everything the page reads from or writes to its URL, in one place: `?backend=`, `?threads=`, `?demo=` and
 * the settings permalink in the hash. Location and history are passed in, so the rules are tested in Node.
 */
import type { BackendName } from '../../worker/api.ts';
import type { MeasureSettings } from '../../core/lite.ts';
import { readSettingsHash, settingsHash, type HashSettings } from '../persist/permalink.ts';
import { isBackendName } from './backendNames.ts';

export interface PageLocation {
  readonly href: string;
  readonly pathname: string;
  readonly search: string;
  readonly hash: string;
}

export interface PageHistory {
  readonly state: unknown;
  replaceState(data: unknown, unused: string, url?: string | URL | null): void;
}

export interface PageOptions {
  /** ?backend=webgpu|webgl|wasm|cpu: the backend forced (null: the fastest that works) */
  backend: BackendName | null;
  /** ?threads=N: WASM threads (1–64) where the page is cross-origin isolated; otherwise tfjs's default */
  threads: number | undefined;
  /** ?demo=1 loads the demo, ?demo=0 never; otherwise only on first open */
  demo: string | null;
}

export class PageUrl {
  constructor(
    private readonly location: PageLocation = window.location,
    private readonly history: PageHistory = window.history,
  ) {}

  options(): PageOptions {
    const params = new URLSearchParams(this.location.search);
    const backend = params.get('backend');
    const threads = Number(params.get('threads'));
    return {
      backend: isBackendName(backend) ? backend : null,
      threads: Number.isInteger(threads) && threads >= 1 && threads <= 64 ? threads : undefined,
      demo: params.get('demo'),
    };
  }

  /** A forced backend survives a reload; "automatic" removes the parameter. */
  setBackend(forced: BackendName | null): void {
    const url = new URL(this.location.href);
    if (forced) url.searchParams.set('backend', forced);
    else url.searchParams.delete('backend');
    this.history.replaceState(null, '', url);
  }

  /** The settings a link carries (never data or file names). */
  linkedSettings(): HashSettings {
    return readSettingsHash(this.location.hash);
  }

  /** Keeps the hash in step with the settings, so the address bar is always a permalink to them. */
  writeSettings(settings: MeasureSettings): void {
    const hash = settingsHash(settings, this.location.hash);
    if (hash !== this.location.hash) this.history.replaceState(this.history.state, '', `${this.location.pathname}${this.location.search}${hash}`);
  }
}
