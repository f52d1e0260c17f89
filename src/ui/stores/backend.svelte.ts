/** Which compute backend the worker runs on (the badge), and switching it (which restarts the worker). */
import type { BackendInfo, BackendName } from '../../worker/api.ts';
import type { MeasureClient } from '../../worker/client.ts';
import type { RunState } from './runState.svelte.ts';
import type { PageUrl } from './url.ts';

export { BACKENDS, isBackendName } from './backendNames.ts';

export type BackendClient = Pick<MeasureClient, 'setBackend' | 'onBackend' | 'onBackendError'>;

export class BackendStore {
  /** the backend the user forced (menu or ?backend=), null for the fastest that works */
  forced = $state<BackendName | null>(null);
  info = $state.raw<BackendInfo | null>(null);
  error = $state<string | null>(null);
  starting = $state(true);

  constructor(
    private readonly client: BackendClient,
    forced: BackendName | null,
    private readonly run: Pick<RunState, 'active' | 'cancel'>,
    private readonly page: Pick<PageUrl, 'setBackend'>,
  ) {
    this.forced = forced;
    client.onBackend = (info) => {
      this.info = info;
      this.error = null;
      this.starting = false;
    };
    client.onBackendError = (e) => {
      this.error = e.message;
      this.starting = false;
    };
  }

  async setBackend(forced: BackendName | null): Promise<void> {
    if (this.run.active) await this.run.cancel();
    this.forced = forced;
    this.info = null;
    this.error = null;
    this.starting = true;
    this.page.setBackend(forced);
    await this.client.setBackend(forced ?? undefined).catch(() => undefined);
  }
}
