/**
 * The page: the header, then the account, positions and P&L on the left and the order ticket
 * and the kill switch on the right, then orders, fills, the command log and the audit trail.
 * Everything updates from the SSE stream; a one-second clock drives ages and countdowns.
 */
import { useEffect, useState } from 'react';
import { AccountPanel } from './components/AccountPanel';
import { AuditPanel } from './components/AuditPanel';
import { CommandLog } from './components/CommandLog';
import { Header } from './components/Header';
import { KillSwitch } from './components/KillSwitch';
import { OrdersPanel } from './components/OrdersPanel';
import { OrderTicket } from './components/OrderTicket';
import { PnlPanel } from './components/PnlPanel';
import { PositionsPanel } from './components/PositionsPanel';
import { TokenPrompt } from './components/TokenPrompt';
import { environmentOf } from './state/live';
import { useLive } from './state/useLive';

function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

export function App() {
  const live = useLive();
  const now = useNow();
  const { state } = live;
  const env = environmentOf(state);
  useEffect(() => {
    document.title = `${env === 'live' ? 'LIVE · ' : ''}Centaur · ${state.profile?.profile_id ?? ''}`;
    document.body.dataset.env = env ?? 'unknown';
  }, [env, state.profile?.profile_id]);
  return (
    <>
      <a className="skip" href="#ticket-h">
        Skip to the order ticket
      </a>
      <Header state={state} stream={live.stream} now={now} />
      <main className="layout">
        <div className="col-main">
          <AccountPanel account={state.account} />
          <PositionsPanel
            positions={state.positions}
            asOf={state.positionsAsOf}
            provenance={null}
            now={now}
          />
          <PnlPanel points={state.pnl} />
        </div>
        <aside className="col-side" aria-label="Actions">
          <OrderTicket environment={env} commands={state.commands} onCommand={live.trackCommand} now={now} />
          <KillSwitch
            environment={env}
            tradingState={state.tradingState}
            commands={state.commands}
            onCommand={live.trackCommand}
          />
        </aside>
        <div className="col-full">
          <OrdersPanel
            orders={state.orders}
            fills={state.fills}
            commands={state.commands}
            onCommand={live.trackCommand}
            now={now}
          />
          <div className="cols-2">
            <CommandLog commands={state.commands} now={now} />
            <AuditPanel audit={live.audit} now={now} />
          </div>
        </div>
      </main>
      <TokenPrompt open={live.needToken} onDone={live.tokenGiven} />
    </>
  );
}
