// page.evaluate callbacks run in the browser: test/ui/tsconfig.json adds the DOM types.
/**
 * The web UI against a LIVE-configured stack that requires an API token (still the simulator:
 * no broker keys, live opt-in given): the page asks for the token and keeps it for the session
 * only, the LIVE badge is unmistakable, and a live confirm needs the typed phrase.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSystem, startAllInOne } from '../../src/cli/all-in-one.js';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { type Browser, browserAvailable, ensureUiBuilt, launch, SCREENSHOTS } from './browser.js';
import { primeMarketData } from './market-data.js';

const TOKEN = 'ui-test-token-0123456789abcdef';
const run = browserAvailable();
let system: RunningSystem;
let browser: Browser;
let page: Page;
let databaseUrl: string;

describe.runIf(run)('web UI, live profile behind an API token', () => {
  beforeAll(async () => {
    ensureUiBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'centaur-ui-live-'));
    const config = loadConfig({
      API_PORT: '0',
      LOG_LEVEL: 'silent',
      ENGINE_SYNC_MIN_INTERVAL_SECONDS: '0.2',
      ALPACA_PAPER_TRADING: 'false',
      CENTAUR_LIVE_TRADING: 'enabled',
      API_TOKEN: TOKEN,
    });
    const log = createLogger({ service: 'test', profileId: 'default', environment: 'live', level: 'silent' });
    databaseUrl = `sqlite:${join(dir, 'ui.db')}`;
    system = await startAllInOne(config, log, { databaseUrl, simTickMs: 0 });
    await system.engine.ready();
    await primeMarketData(system, databaseUrl, ['AAPL']);
    browser = await launch();
    page = browser.page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('asks for the token, keeps it in sessionStorage only, then shows the LIVE account', async () => {
    await page.goto(system.apiUrl);
    const dialog = page.getByTestId('token-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'token-prompt.png') });
    const use = dialog.getByRole('button', { name: 'Use token' });
    expect(await use.isDisabled()).toBe(true);
    await dialog.getByLabel('API token').fill(TOKEN);
    await use.click();
    await expect.poll(() => page.getByTestId('env-badge').textContent()).toContain('LIVE');
    await expect.poll(() => page.getByTestId('events-state').textContent()).toContain('live');
    await expect.poll(() => page.locator('[data-testid=positions-table] tbody tr').count()).toBe(4);
    const badgeColour = await page
      .getByTestId('env-badge')
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(badgeColour).toBe('rgb(220, 38, 38)');
    expect(await page.evaluate(() => sessionStorage.getItem('centaur.apiToken'))).toBe(TOKEN);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'live-overview.png'), fullPage: true });
  }, 30_000);

  it('a live confirm needs the typed phrase before the order can be sent', async () => {
    const ticket = page.getByTestId('order-ticket');
    await ticket.getByLabel('Symbol').fill('AAPL');
    await ticket.getByLabel('Quantity').fill('1');
    await ticket.getByRole('button', { name: 'Preview order' }).click();
    const preview = page.getByTestId('draft-preview');
    await expect.poll(() => preview.getByTestId('verdict').getAttribute('data-allowed')).toBe('true');
    await preview.getByRole('button', { name: /Review and confirm/ }).click();
    const dialog = page.getByTestId('confirm-dialog');
    const send = dialog.getByRole('button', { name: 'Send LIVE order' });
    expect(await send.isDisabled()).toBe(true);
    const phraseInput = dialog.getByLabel(/Type .* to confirm/);
    await phraseInput.fill('BUY 2 AAPL');
    expect(await send.isDisabled()).toBe(true);
    await phraseInput.fill('buy 1 aapl');
    expect(await send.isDisabled()).toBe(false);
    await dialog.screenshot({ path: join(SCREENSHOTS, 'confirm-live.png') });
    await send.click();
    await expect
      .poll(() => page.getByTestId('order-command').getAttribute('data-status'), { timeout: 15_000 })
      .toBe('succeeded');
    await expect
      .poll(() =>
        page
          .locator('[data-testid=positions-table] tbody tr[data-symbol=AAPL] td[data-col=qty]')
          .textContent(),
      )
      .toBe('41');
  }, 30_000);
});
