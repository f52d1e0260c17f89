/** The one line under the run bar (e.g. "Cancelled — results so far are kept"); several stores write it. */
export interface Notice {
  text: string;
  tone: 'info' | 'error';
}

export class NoticeStore {
  current = $state<Notice | null>(null);

  info(text: string): void {
    this.current = { text, tone: 'info' };
  }

  error(text: string): void {
    this.current = { text, tone: 'error' };
  }

  clear(): void {
    this.current = null;
  }
}
