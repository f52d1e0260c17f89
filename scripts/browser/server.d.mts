// Types for server.mjs.
export interface StaticServer {
  /** http://127.0.0.1:PORT/ */
  url: string;
  /** Every path asked for, in order. */
  requests: string[];
  /** Every response, in order: the path, its status, the body bytes the server sent and when (Date.now()). */
  sent: { path: string; status: number; bytes: number; at: number }[];
  close(): Promise<void>;
}
export function serveStatic(root: string, options?: { isolation?: boolean; caching?: 'no-store' | 'plain' }): Promise<StaticServer>;
