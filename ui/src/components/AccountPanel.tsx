/** Account at a glance: equity, cash, buying power and the day's P&L in $ and %. */
import type { Account } from '../api/types';
import { fmtMoney, fmtPct, fmtSignedMoney, plTone } from '../lib/format';

function Stat({
  label,
  value,
  tone = 'flat',
  testId,
  big = false,
}: {
  label: string;
  value: string;
  tone?: string;
  testId: string;
  big?: boolean;
}) {
  return (
    <div className={big ? 'stat stat-big' : 'stat'}>
      <div className="stat-label">{label}</div>
      <div className={`stat-value num tone-${tone}`} data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

export function AccountPanel({ account }: { account: Account | null }) {
  return (
    <section className="panel account" aria-labelledby="account-h" data-testid="account-panel">
      <h2 id="account-h" className="sr-only">
        Account
      </h2>
      {account === null ? (
        <p className="empty">No account snapshot yet: waiting for the engine's first sync.</p>
      ) : (
        <div className="stats">
          <Stat big label="Equity" value={fmtMoney(account.equity)} testId="equity" />
          <Stat label="Cash" value={fmtMoney(account.cash)} testId="cash" />
          <Stat label="Buying power" value={fmtMoney(account.buying_power)} testId="buying-power" />
          <Stat
            label="Day P&L"
            value={fmtSignedMoney(account.day_pl)}
            tone={plTone(account.day_pl)}
            testId="day-pl"
          />
          <Stat
            label="Day P&L %"
            value={fmtPct(account.day_pl_pct)}
            tone={plTone(account.day_pl_pct)}
            testId="day-pl-pct"
          />
          {account.trading_blocked || account.account_blocked ? (
            <div className="stat">
              <div className="stat-label">Broker</div>
              <div className="stat-value tone-loss">
                {account.account_blocked ? 'account blocked' : 'trading blocked'}
              </div>
            </div>
          ) : null}
        </div>
      )}
    </section>
  );
}
