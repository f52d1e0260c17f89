// Types for app.mjs (plain JS so that scripts outside the Playwright suite can import it too).
import type { BrowserContext, BrowserType, LaunchOptions, Locator, Page } from 'playwright-core';

export const CHROMIUM: string;
export const CHROMIUM_ARGS: string[];
export const LAUNCH_OPTIONS: LaunchOptions & { executablePath: string; headless: boolean; args: string[] };
export const CONTEXT_OPTIONS: { viewport: { width: number; height: number }; acceptDownloads: boolean };

export function launchBrowser(
  userDataRoot: string,
  options?: { chromiumType?: BrowserType; launchOptions?: LaunchOptions; contextOptions?: Record<string, unknown> },
): Promise<BrowserContext>;
export function openApp(context: BrowserContext, baseUrl: string, query?: string): Promise<{ page: Page; problems: string[] }>;
export function dropFiles(page: Page, files: { name: string; bytes: Uint8Array }[]): Promise<void>;
export function waitForFileStatus(page: Page, fileName: string, statuses: string[], timeout?: number): Promise<void>;
export function chooseMeasures(page: Page, wanted: ('aac' | 'lr' | 'nlr')[]): Promise<void>;
export function runButton(page: Page): Locator;
export function valueCell(page: Page, fileName: string, measure: string, timeout?: number): Promise<number | null>;
export function screenshot(page: Page, dir: string, name: string): Promise<string>;
export function imageStats(page: Page, bytes: Uint8Array): Promise<{ width: number; height: number; nonWhiteFraction: number; colours: number }>;
