// page.evaluate callbacks run in the browser: test/ui/tsconfig.json adds the DOM types.
/**
 * The web UI end to end in a real browser (Chromium via playwright-core) against the all-in-one
 * stack on the simulator (frozen prices, a temp SQLite ledger): the page loads with its table and
 * charts; a draft -> confirm fills and the page shows it without a reload; a denied draft says
 * why; every control is labelled and reachable by keyboard; the kill switch flattens the account
 * and the page shows it. Each screen is saved to test-results/ui/*.png.
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
import { primeMarketData, quoteUsable } from './market-data.js';

const run = browserAvailable();
let system: RunningSystem;
let browser: Browser;
let page: Page;
let databaseUrl: string;

async function shot(name: string, selector?: string): Promise<void> {
  const path = join(SCREENSHOTS, `${name}.png`);
  // The sticky header would cover the top of an element scrolled under it (and shows up mid-page
  // in a full-page capture): keep it in the flow while capturing.
  await page.evaluate(() => document.querySelector('header')?.style.setProperty('position', 'static'));
  if (selector) await page.locator(selector).first().screenshot({ path });
  else {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path, fullPage: true });
  }
  await page.evaluate(() => document.querySelector('header')?.style.removeProperty('position'));
}

const positionRow = (symbol: string) =>
  page.locator(`[data-testid=positions-table] tbody tr[data-symbol="${symbol}"]`);

describe.runIf(run)('web UI in Chromium', () => {
  beforeAll(async () => {
    ensureUiBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'centaur-ui-'));
    const config = loadConfig({
      API_PORT: '0',
      LOG_LEVEL: 'silent',
      ENGINE_SYNC_MIN_INTERVAL_SECONDS: '0.2',
      RISK_SYMBOL_DENYLIST: 'GME',
    });
    const log = createLogger({
      service: 'test',
      profileId: 'default',
      environment: 'paper',
      level: 'silent',
    });
    databaseUrl = `sqlite:${join(dir, 'ui.db')}`;
    system = await startAllInOne(config, log, { databaseUrl, simTickMs: 0 });
    await system.engine.ready();
    const primed = await primeMarketData(system, databaseUrl, ['AMZN', 'MSFT', 'GME']);
    if (primed.length)
      console.warn(`UI suite: primed the market-data cache for ${primed.join(', ')} (the engine had not)`);
    browser = await launch();
    page = browser.page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('loads the page: header, account, the positions table and every chart', async () => {
    const response = await page.goto(system.apiUrl);
    expect(response?.headers()['content-security-policy']).toContain("connect-src 'self'");
    await expect.poll(() => page.getByTestId('env-badge').textContent()).toBe('PAPER');
    await expect.poll(() => page.getByTestId('events-state').textContent()).toContain('live');
    expect(await page.getByTestId('trading-state').textContent()).toBe('ACTIVE');
    await expect.poll(() => page.getByTestId('engine-status').textContent()).toContain('connected');
    await expect.poll(() => page.getByTestId('equity').textContent()).toMatch(/^\$\d{3},\d{3}\.\d{2}$/);
    await expect.poll(() => positionRow('AAPL').count()).toBe(1);
    expect(await page.locator('[data-testid=positions-table] tbody tr').count()).toBe(4);
    expect(await positionRow('NVDA').locator('td').nth(1).textContent()).toBe('60');
    await expect.poll(() => page.getByTestId('positions-totals').textContent()).toContain('100%');
    for (const chart of ['chart-distribution', 'chart-unrealized', 'chart-equity', 'chart-daily-pl']) {
      await expect
        .poll(
          () => page.locator(`[data-testid=${chart}] svg .mark-group, [data-testid=${chart}] svg g`).count(),
          { message: `${chart} renders` },
        )
        .toBeGreaterThan(0);
    }
    // One arc per position in the distribution, one bar per position in unrealized P&L.
    await expect
      .poll(() => page.locator('[data-testid=chart-distribution] svg .mark-arc path').count())
      .toBe(4);
    await expect
      .poll(() => page.locator('[data-testid=chart-unrealized] svg .mark-rect path').count())
      .toBe(4);
    // Sorting: clicking Symbol orders the rows alphabetically.
    await page.getByRole('button', { name: 'Symbol' }).click();
    const symbols = await page.locator('[data-testid=positions-table] tbody th').allTextContents();
    expect(symbols).toEqual([...symbols].sort());
    await shot('overview');
    await shot('header', 'header');
    await shot('positions', '[data-testid=positions-panel]');
    await shot('pnl', '[data-testid=pnl-panel]');
    expect(browser.errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
  }, 30_000);

  it('the CSP keeps the page on its own origin: a call to the broker is refused by the browser', async () => {
    const brokerUrl = `${system.simulator?.tradingUrl}/v2/account`;
    const violated = await page.evaluate(async (url) => {
      const violation = new Promise<string>((resolve) =>
        document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), {
          once: true,
        }),
      );
      const outcome = await fetch(url).then(
        () => 'reached',
        () => 'refused',
      );
      return `${outcome} ${await violation}`;
    }, brokerUrl);
    expect(violated).toBe('refused connect-src');
    browser.errors.length = 0; // that refusal is the one CSP error this suite expects
  }, 20_000);

  it('draft -> confirm: the fill appears in the table and the chart without a reload', async () => {
    const ticket = page.getByTestId('order-ticket');
    await ticket.getByLabel('Symbol').fill('AMZN');
    await ticket.getByLabel('Quantity').fill('3');
    // AMZN is not held: the first draft may find no cached quote yet (PRICE_UNAVAILABLE, the API
    // asks the engine for one), as a person would see; previewing again prices it.
    const preview = page.getByTestId('draft-preview');
    for (let i = 0; i < 3; i++) {
      await ticket.getByRole('button', { name: 'Preview order' }).click();
      await expect
        .poll(() => preview.getByTestId('verdict').getAttribute('data-allowed'))
        .toMatch(/true|false/);
      if ((await preview.getByTestId('verdict').getAttribute('data-allowed')) === 'true') break;
      // Not priced yet: preview again once the engine has cached a quote the API can use.
      await expect.poll(() => quoteUsable(databaseUrl, 'AMZN'), { timeout: 15_000 }).toBe(true);
    }
    expect(await preview.getByTestId('verdict').getAttribute('data-allowed')).toBe('true');
    expect(await preview.getByTestId('draft-intent').textContent()).toContain('BUY 3 AMZN');
    expect(await preview.getByTestId('draft-countdown').textContent()).toMatch(/expires in \d+ s/);
    await shot('draft-preview', '[data-testid=order-ticket]');
    await preview.getByRole('button', { name: /Review and confirm/ }).click();
    const dialog = page.getByTestId('confirm-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await shot('confirm-dialog', '[data-testid=confirm-dialog]');
    await dialog.getByRole('button', { name: 'Send order' }).click();
    await expect
      .poll(() => page.getByTestId('order-command').getAttribute('data-status'), { timeout: 15_000 })
      .toBe('succeeded');
    await expect.poll(() => positionRow('AMZN').count(), { timeout: 10_000 }).toBe(1);
    expect(await positionRow('AMZN').locator('td[data-col=qty]').textContent()).toBe('3');
    await expect
      .poll(() => page.locator('[data-testid=chart-distribution] svg .mark-arc path').count())
      .toBe(5);
    await expect
      .poll(() => page.locator('[data-testid=chart-unrealized] svg .mark-rect path').count())
      .toBe(5);
    await expect
      .poll(() => page.locator('[data-testid=chart-unrealized] svg [aria-label*="AMZN"]').count())
      .toBeGreaterThan(0);
    await expect
      .poll(() => page.locator('[data-testid=fills-table] tbody tr[data-symbol=AMZN]').count())
      .toBe(1);
    await expect
      .poll(() => page.locator('[data-testid=orders-table] tbody tr[data-status=filled]').count())
      .toBe(1);
    await expect
      .poll(() => page.locator('[data-testid=commands-table] tbody tr[data-status=succeeded]').count())
      .toBeGreaterThan(0);
    await shot('after-fill');
    await shot('orders', '[data-testid=orders-panel]');
  }, 40_000);

  it('a denied draft shows each reason in plain words and cannot be confirmed', async () => {
    const ticket = page.getByTestId('order-ticket');
    await ticket.getByLabel('Symbol').fill('GME');
    await ticket.getByLabel('Quantity').fill('5000');
    await ticket.getByRole('button', { name: 'Preview order' }).click();
    const preview = page.getByTestId('draft-preview');
    await expect
      .poll(() => preview.getByTestId('verdict').getAttribute('data-allowed'), { timeout: 10_000 })
      .toBe('false');
    const codes = await preview
      .getByTestId('denial')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
    expect(codes).toContain('SYMBOL_DENIED');
    expect(codes).toContain('ORDER_QTY_LIMIT');
    const text = await preview.getByTestId('verdict').textContent();
    expect(text).toContain('deny list');
    expect(text).toContain('largest order allowed');
    expect(await preview.getByRole('button', { name: /Review and confirm/ }).isDisabled()).toBe(true);
    await shot('denied-draft', '[data-testid=order-ticket]');
  }, 20_000);

  it('cancels an open order through a confirmed command', async () => {
    const ticket = page.getByTestId('order-ticket');
    await ticket.getByLabel('Symbol').fill('MSFT');
    await ticket.getByLabel('Quantity').fill('1');
    await ticket.getByLabel('Order type').selectOption('limit');
    await ticket.getByLabel('Limit price').fill('400');
    await ticket.getByRole('button', { name: 'Preview order' }).click();
    const preview = page.getByTestId('draft-preview');
    await expect.poll(() => preview.getByTestId('draft-intent').textContent()).toContain('limit 400.00');
    await expect.poll(() => preview.getByTestId('verdict').getAttribute('data-allowed')).toBe('true');
    await preview.getByRole('button', { name: /Review and confirm/ }).click();
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Send order' }).click();
    await expect
      .poll(() => page.getByTestId('order-command').getAttribute('data-status'), { timeout: 15_000 })
      .toBe('succeeded');
    const cancel = page.getByRole('button', { name: 'Cancel order buy 1 MSFT' });
    await expect.poll(() => cancel.count(), { timeout: 10_000 }).toBe(1);
    await cancel.click();
    const dialog = page.getByTestId('cancel-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await shot('cancel-dialog', '[data-testid=cancel-dialog]');
    await dialog.getByRole('button', { name: 'Cancel order' }).click();
    await expect
      .poll(() => page.getByTestId('cancel-command').getAttribute('data-status'), { timeout: 15_000 })
      .toBe('succeeded');
    await expect
      .poll(() => page.locator('[data-testid=orders-table] tbody tr[data-status=canceled]').count(), {
        timeout: 10_000,
      })
      .toBe(1);
    expect(await cancel.count()).toBe(0);
    await ticket.getByLabel('Order type').selectOption('market');
  }, 40_000);

  it('labels every control and reaches the ticket and the kill switch by keyboard', async () => {
    const unlabelled = await page.evaluate(() => {
      const out: string[] = [];
      for (const el of Array.from(
        document.querySelectorAll<HTMLElement>('input, select, textarea, button'),
      )) {
        if (el.closest('dialog:not([open])')) continue;
        const input = el as HTMLInputElement;
        const named =
          (input.labels && input.labels.length > 0) ||
          el.getAttribute('aria-label') ||
          el.getAttribute('aria-labelledby') ||
          (el.tagName === 'BUTTON' && el.textContent?.trim());
        if (!named) out.push(el.outerHTML.slice(0, 120));
      }
      return out;
    });
    expect(unlabelled).toEqual([]);
    // Every table has headers; every section has a heading; the page has one main landmark.
    expect(await page.locator('table:not(:has(th))').count()).toBe(0);
    expect(await page.locator('main').count()).toBe(1);
    expect(await page.locator('section:not([aria-labelledby])').count()).toBe(0);
    // Tab through the page from the top: the ticket and the kill switch are reachable.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.locator('body').focus();
    const reached = new Set<string>();
    for (let i = 0; i < 150; i++) {
      await page.keyboard.press('Tab');
      const name = await page.evaluate(
        () =>
          document.activeElement?.getAttribute('name') ?? document.activeElement?.textContent?.trim() ?? '',
      );
      reached.add(name);
    }
    expect(reached).toContain('symbol');
    expect(reached).toContain('amount');
    expect(reached).toContain('killAck');
    expect(reached).toContain('killToken');
    // The ticket works from the keyboard alone: Enter in the form asks for a preview.
    await page.getByTestId('order-ticket').getByLabel('Symbol').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('MSFT');
    await page.keyboard.press('Tab');
    await page.getByTestId('order-ticket').getByLabel('Quantity').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('1');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('draft-intent').textContent()).toContain('BUY 1 MSFT');
  }, 30_000);

  it('the kill switch flattens the account, halts trading, and the page shows it', async () => {
    const kill = page.getByTestId('kill-switch');
    const button = kill.getByRole('button', { name: /Flatten everything/ });
    expect(await button.isDisabled()).toBe(true);
    await kill.getByLabel(/I understand/).check();
    expect(await button.isDisabled()).toBe(true);
    await kill.getByLabel(/Type PAPER to confirm/).fill('paper');
    await kill.getByLabel('Reason (optional)').fill('UI end-to-end drill');
    expect(await button.isDisabled()).toBe(false);
    await shot('kill-switch-armed', '[data-testid=kill-switch]');
    await button.click();
    await expect
      .poll(() => page.getByTestId('kill-command').getAttribute('data-status'), { timeout: 20_000 })
      .toMatch(/succeeded|failed/);
    await expect
      .poll(() => page.getByTestId('trading-state').textContent(), { timeout: 10_000 })
      .toBe('HALTED');
    await expect.poll(() => page.getByTestId('trading-banner').textContent()).toContain('HALTED');
    await expect
      .poll(() => page.locator('[data-testid=positions-table] tbody tr').count(), { timeout: 15_000 })
      .toBe(0);
    await expect.poll(() => page.getByTestId('positions-panel').textContent()).toContain('No open positions');
    expect(await page.getByTestId('kill-command').getAttribute('data-status')).toBe('succeeded');
    expect(await page.getByTestId('kill-flat').textContent()).toContain('Verified flat');
    expect(await page.locator('[data-testid=kill-command] table.report tbody tr').count()).toBeGreaterThan(0);
    await shot('kill-switch-done', '[data-testid=kill-switch]');
    await shot('halted');
    // Re-arm sits behind its own confirmation.
    await kill.getByRole('button', { name: /Re-arm trading/ }).click();
    const dialog = page.getByTestId('resume-dialog');
    const confirm = dialog.getByRole('button', { name: 'Re-arm trading' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel(/Type PAPER to confirm/).fill('PAPER');
    await dialog.getByLabel(/Reason/).fill('drill over');
    await shot('resume-dialog', '[data-testid=resume-dialog]');
    await confirm.click();
    await expect
      .poll(() => page.getByTestId('trading-state').textContent(), { timeout: 15_000 })
      .toBe('ACTIVE');
    await expect
      .poll(
        () => page.locator('[data-testid=audit-table] tbody tr[data-action="resume.requested"]').count(),
        { timeout: 10_000 },
      )
      .toBe(1);
    await shot('audit', '[data-testid=audit-panel]');
    await page.getByTestId('audit-panel').getByLabel('Action').selectOption('kill_switch');
    const actions = await page
      .locator('[data-testid=audit-table] tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.every((a) => a?.startsWith('kill_switch.'))).toBe(true);
    expect(browser.errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
  }, 60_000);
});
