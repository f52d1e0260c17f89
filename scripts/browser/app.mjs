// What a user does with the app, as Playwright steps. Everything goes through the page's own controls
// (the Run button, the file input, a synthetic drag-and-drop), as tests outside this repo will.
// Shared by the @playwright/test suite (tests/e2e/*.spec.ts; types in app.d.mts) and the browser benchmarks (bench/).
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Flags that give WebGL2 and WebGPU through SwiftShader, no network chatter. Used by the
 *  Playwright config (`use.launchOptions`) and by `launchBrowser` alike. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-webgpu',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

/** Launch options for Debian's Chromium (never a downloaded browser). */
export const LAUNCH_OPTIONS = { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS };

/** What every context gets (the Playwright config's `use` has the same). */
export const CONTEXT_OPTIONS = { viewport: { width: 1280, height: 800 }, acceptDownloads: true };

/** One Chromium with its own profile folder (launchPersistentContext is the one way to pass --user-data-dir):
 *  the service worker, IndexedDB and the offline cache live there. `chromiumType` defaults to playwright-core's. */
export async function launchBrowser(userDataRoot, { chromiumType = chromium, launchOptions = LAUNCH_OPTIONS, contextOptions = CONTEXT_OPTIONS } = {}) {
  return chromiumType.launchPersistentContext(userDataRoot, { ...launchOptions, ...contextOptions });
}

/** Opens the app in a new tab; collects console errors and uncaught exceptions for the report. */
export async function openApp(context, baseUrl, query = '') {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  await page.goto(`${baseUrl}${query}`);
  await page.getByRole('heading', { name: 'Redundancy Lab' }).waitFor();
  return { page, problems };
}

/** Drops files on the window the way a browser does: dragenter → dragover → drop with a DataTransfer. */
export async function dropFiles(page, files) {
  const payload = files.map((f) => ({ name: f.name, base64: Buffer.from(f.bytes).toString('base64') }));
  await page.evaluate((items) => {
    const dt = new DataTransfer();
    for (const { name, base64 } of items) {
      const bin = atob(base64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      dt.items.add(new File([bytes], name, { type: 'application/octet-stream' }));
    }
    const target = document.querySelector('main') ?? document.body;
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
  }, payload);
}

export async function waitForFileStatus(page, fileName, statuses, timeout = 30_000) {
  const selector = statuses.map((s) => `li[data-file="${fileName}"][data-status="${s}"]`).join(', ');
  await page.locator(selector).first().waitFor({ timeout });
}

/** Ticks exactly the given measures (aac, lr, nlr) in the settings panel. */
export async function chooseMeasures(page, wanted) {
  for (const [name, label] of [['aac', 'AAC'], ['lr', 'LR'], ['nlr', 'NLR']]) {
    const box = page.getByRole('checkbox', { name: label, exact: true });
    if ((await box.isChecked()) !== wanted.includes(name)) await box.click();
  }
}

export function runButton(page) {
  return page.getByRole('button', { name: /^Run/ });
}

export async function valueCell(page, fileName, measure, timeout = 60_000) {
  const cell = page.locator(`td[data-file="${fileName}"][data-measure="${measure}"]`);
  await cell.waitFor({ timeout });
  const raw = await cell.getAttribute('data-value');
  return raw === '' || raw === null ? null : Number(raw);
}

export async function screenshot(page, dir, name) {
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Decodes an image in the page and counts pixels that are not (near) white, and distinct colours. */
export async function imageStats(page, bytes) {
  return page.evaluate(async (base64) => {
    const bin = atob(base64);
    const data = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) data[i] = bin.charCodeAt(i);
    const bitmap = await createImageBitmap(new Blob([data], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(bitmap, 0, 0);
    const px = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let nonWhite = 0;
    const colours = new Set();
    for (let i = 0; i < px.length; i += 4) {
      if (px[i] < 245 || px[i + 1] < 245 || px[i + 2] < 245) nonWhite++;
      if (colours.size < 1000) colours.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
    }
    return { width: bitmap.width, height: bitmap.height, nonWhiteFraction: nonWhite / (px.length / 4), colours: colours.size };
  }, Buffer.from(bytes).toString('base64'));
}
