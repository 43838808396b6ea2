/**
 * The browser side of the UI end-to-end tests: Debian's Chromium driven by playwright-core,
 * launched for a closed network (no background traffic, no component updates, a fresh profile),
 * and the all-in-one stack on the simulator behind it. Outside CI a missing Chromium skips the
 * suite with a notice; under CI=true it is an error.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(process.cwd(), 'test-results', 'ui');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
  '--disable-extensions',
];

/** Whether the suite can run here; prints why not. Under CI a missing browser fails loudly. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  const message = `UI browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`;
  if (process.env.CI === 'true') throw new Error(`${message}; CI must run them`);
  console.warn(message);
  return false;
}

/** Builds ui/dist when it is missing or older than its sources (scripts/ensure-ui.mjs). */
export function ensureUiBuilt(): void {
  const run = spawnSync(process.execPath, ['scripts/ensure-ui.mjs'], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error('building the UI failed');
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far (CSP violations show up here). */
  errors: string[];
  close(): Promise<void>;
}

export async function launch(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'centaur-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 1000 },
    deviceScaleFactor: 1,
    reducedMotion: 'reduce',
  });
  // Shorter than the tests' own timeouts, so a stuck step fails naming its locator.
  context.setDefaultTimeout(10_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    context,
    page,
    errors,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
