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

/** Where the page notes the hash it wrote itself: per tab, so it survives a reload of that tab and nothing else. */
export type HashMemory = Pick<Storage, 'getItem' | 'setItem'> | null;

const OWN_HASH_KEY = 'redundancy-lab:own-hash';

function sessionMemory(): HashMemory {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage blocked: every hash reads as a link
  }
}

export class PageUrl {
  constructor(
    private readonly location: PageLocation = window.location,
    private readonly history: PageHistory = window.history,
    private readonly memory: HashMemory = sessionMemory(),
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

  /**
   * Whether the hash is the one this tab wrote itself (a reload), not a link someone followed. Both carry settings,
   * but only a link asks the demo to wait for Run: a reload before the demo had results (the user's, or the dev
   * server's after re-optimising) must run it again, as on the first open.
   */
  hashIsOwn(): boolean {
    if (!this.location.hash) return false;
    try {
      return this.memory?.getItem(OWN_HASH_KEY) === this.location.hash;
    } catch {
      return false;
    }
  }

  /** Keeps the hash in step with the settings, so the address bar is always a permalink to them. */
  writeSettings(settings: MeasureSettings): void {
    const hash = settingsHash(settings, this.location.hash);
    if (hash !== this.location.hash) this.history.replaceState(this.history.state, '', `${this.location.pathname}${this.location.search}${hash}`);
    try {
      this.memory?.setItem(OWN_HASH_KEY, this.location.hash);
    } catch {
      // storage full or blocked: a reload then reads as a link (the demo waits for Run)
    }
  }
}
