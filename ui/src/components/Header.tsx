/**
 * The always-visible header: profile, the PAPER/LIVE badge (LIVE is red and says so), engine
 * connection, broker stream, trading state, data age, and the banner when something is wrong.
 */
import type { StreamStatus } from '../api/sse';
import { ageMs, fmtAge } from '../lib/format';
import { bannerWarnings, engineConnection, streamHealthy } from '../lib/status';
import { environmentOf, type LiveState } from '../state/live';

interface Props {
  state: LiveState;
  stream: StreamStatus;
  now: number;
}

function Item({
  label,
  value,
  tone,
  testId,
}: {
  label: string;
  value: string;
  tone: string;
  testId: string;
}) {
  return (
    <div className="hdr-item">
      <span className="hdr-label">{label}</span>
      <span className={`hdr-value tone-${tone}`} data-testid={testId}>
        <span className="dot" aria-hidden="true" />
        {value}
      </span>
    </div>
  );
}

export function Header({ state, stream, now }: Props) {
  const env = environmentOf(state);
  const conn = engineConnection(state.engine, now);
  const trading = state.tradingState?.state ?? '—';
  const dataAt =
    state.account?.as_of && state.positionsAsOf
      ? Date.parse(state.account.as_of) > Date.parse(state.positionsAsOf)
        ? state.account.as_of
        : state.positionsAsOf
      : (state.account?.as_of ?? state.positionsAsOf);
  const dataAge = ageMs(state.engine?.last_sync_at ?? dataAt, now);
  const warnings = bannerWarnings({
    engine: state.engine,
    nowMs: now,
    events: stream,
    environmentMatch: state.profile?.environment_match ?? null,
  });
  return (
    <header className="header" data-env={env ?? 'unknown'}>
      <div className="header-row">
        <div className="brand">
          <span className="brand-name">Centaur</span>
          <span className="muted">profile</span>{' '}
          <strong data-testid="profile-id">{state.profile?.profile_id ?? '…'}</strong>
        </div>
        <div
          className={`env-badge env-${env ?? 'unknown'}`}
          data-testid="env-badge"
          role="status"
          aria-label={
            env === 'live'
              ? 'LIVE trading: real money'
              : env === 'paper'
                ? 'Paper trading'
                : 'Environment unknown'
          }
        >
          {env === 'live' ? 'LIVE · REAL MONEY' : env === 'paper' ? 'PAPER' : '…'}
        </div>
        <div className="hdr-items">
          <Item
            label="Engine"
            testId="engine-status"
            value={
              conn === 'connected' ? `connected · ${fmtAge(ageMs(state.engine?.heartbeat_at, now))}` : conn
            }
            tone={conn === 'connected' ? 'ok' : conn === 'stale' ? 'warn' : 'bad'}
          />
          <Item
            label="Broker stream"
            testId="stream-state"
            value={state.engine?.stream_state ?? '—'}
            tone={streamHealthy(state.engine) ? 'ok' : 'bad'}
          />
          <Item
            label="Live updates"
            testId="events-state"
            value={stream === 'open' ? 'live' : stream}
            tone={stream === 'open' ? 'ok' : 'warn'}
          />
          <div className="hdr-item">
            <span className="hdr-label">Trading</span>
            <span
              className={`trading-state ts-${trading}`}
              data-testid="trading-state"
              title={state.tradingState?.reason ?? undefined}
            >
              {trading}
            </span>
          </div>
          <Item
            label="Data age"
            testId="data-age"
            value={fmtAge(dataAge)}
            tone={dataAge !== null && dataAge > 60_000 ? 'warn' : 'ok'}
          />
        </div>
      </div>
      {warnings.length ? (
        <div className="banner" role="alert" data-testid="banner">
          {warnings.map((w) => (
            <div key={w}>⚠ {w}</div>
          ))}
        </div>
      ) : null}
      {state.tradingState && state.tradingState.state !== 'ACTIVE' ? (
        <div
          className={`banner banner-${state.tradingState.state}`}
          role="status"
          data-testid="trading-banner"
        >
          Trading is {state.tradingState.state}
          {state.tradingState.reason ? `: ${state.tradingState.reason}` : ''}
          {state.tradingState.state === 'HALTED' ? ' — no new orders until trading is re-armed.' : ''}
        </div>
      ) : null}
    </header>
  );
}
