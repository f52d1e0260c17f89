// Types for server.mjs.
export interface StaticServer {
  /** http://127.0.0.1:PORT/ */
  url: string;
  /** Every path asked for, in order. */
  requests: string[];
  close(): Promise<void>;
}
export function serveStatic(root: string, options?: { isolation?: boolean }): Promise<StaticServer>;
