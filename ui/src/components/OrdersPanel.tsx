/**
 * Orders (open and recent) and fills with their statuses. An open order can be cancelled
 * through a confirmed command (POST /commands/cancel behind a dialog), followed to its result.
 */
import { useState } from 'react';
import { ApiError, newKey, post } from '../api/client';
import type { Command, Fill, Order } from '../api/types';
import { fmtPrice, fmtQty, fmtTime } from '../lib/format';
import { isOpenOrder } from '../state/live';
import { useCommand } from '../state/useLive';
import { CommandStatus, StatusPill } from './CommandStatus';
import { Dialog } from './Dialog';

interface Props {
  orders: Order[];
  fills: Fill[];
  commands: Command[];
  onCommand: (c: Command) => void;
  now: number;
}

function orderAmount(o: Order): string {
  return o.qty ? fmtQty(o.qty) : o.notional ? `$${o.notional}` : '—';
}

function orderPrice(o: Order): string {
  if (o.limit_price && o.stop_price) return `${fmtPrice(o.stop_price)} / ${fmtPrice(o.limit_price)}`;
  return fmtPrice(o.limit_price ?? o.stop_price ?? null);
}

export function OrdersPanel({ orders, fills, commands, onCommand, now }: Props) {
  const [target, setTarget] = useState<Order | null>(null);
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [followId, setFollowId] = useState<string | null>(null);
  const followed = useCommand(followId, commands);
  const open = orders.filter(isOpenOrder);
  const recent = orders.filter((o) => !isOpenOrder(o));

  const confirmCancel = async () => {
    if (!target) return;
    setBusy(true);
    setError(null);
    try {
      const r = await post<{ command: Command }>('/commands/cancel', { order_id: target.id }, key);
      onCommand(r.command);
      setFollowId(r.command.id);
      setTarget(null);
    } catch (e) {
      setError(e instanceof ApiError ? `${e.message} (${e.code})` : String(e));
    } finally {
      setBusy(false);
    }
  };

  const row = (o: Order, cancellable: boolean) => (
    <tr key={o.id} data-order-id={o.id} data-status={o.status}>
      <td className="small mono">{fmtTime(o.submitted_at ?? o.created_at ?? null, now)}</td>
      <th scope="row" className="sym">
        {o.symbol}
      </th>
      <td>
        <span className={`side side-${o.side}`}>{o.side}</span>
      </td>
      <td>{o.type.replace(/_/g, ' ')}</td>
      <td className="num">{orderAmount(o)}</td>
      <td className="num">{orderPrice(o)}</td>
      <td className="num">{fmtQty(o.filled_qty)}</td>
      <td className="num">{fmtPrice(o.filled_avg_price)}</td>
      <td>
        <StatusPill status={o.status} />
      </td>
      <td>
        {cancellable ? (
          <button
            type="button"
            className="btn btn-small"
            aria-label={`Cancel order ${o.side} ${orderAmount(o)} ${o.symbol}`}
            onClick={() => {
              setTarget(o);
              setKey(newKey());
              setError(null);
            }}
          >
            Cancel
          </button>
        ) : null}
      </td>
    </tr>
  );

  const head = (
    <thead>
      <tr>
        <th scope="col">Time</th>
        <th scope="col">Symbol</th>
        <th scope="col">Side</th>
        <th scope="col">Type</th>
        <th scope="col" className="num">
          Qty
        </th>
        <th scope="col" className="num">
          Limit / stop
        </th>
        <th scope="col" className="num">
          Filled
        </th>
        <th scope="col" className="num">
          Avg fill
        </th>
        <th scope="col">Status</th>
        <th scope="col">
          <span className="sr-only">Actions</span>
        </th>
      </tr>
    </thead>
  );

  return (
    <section className="panel" aria-labelledby="orders-h" data-testid="orders-panel">
      <div className="panel-head">
        <h2 id="orders-h">Orders</h2>
        <span className="muted small">
          {open.length} open · {recent.length} recent
        </span>
      </div>
      <CommandStatus command={followed.command} error={followed.error} testId="cancel-command" />
      <div className="table-wrap">
        <table className="table" data-testid="orders-table">
          <caption className="sr-only">Open and recent orders, newest first</caption>
          {head}
          <tbody>
            {open.map((o) => row(o, true))}
            {recent.map((o) => row(o, false))}
            {orders.length === 0 ? (
              <tr>
                <td colSpan={10} className="empty">
                  No orders yet.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <h3 id="fills-h">Fills</h3>
      <div className="table-wrap">
        <table className="table" data-testid="fills-table" aria-labelledby="fills-h">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Symbol</th>
              <th scope="col">Side</th>
              <th scope="col" className="num">
                Qty
              </th>
              <th scope="col" className="num">
                Price
              </th>
              <th scope="col">Order</th>
            </tr>
          </thead>
          <tbody>
            {fills.map((f) => (
              <tr key={f.execution_id ?? `${f.order_id}-${f.at}`} data-symbol={f.symbol}>
                <td className="small mono">{fmtTime(f.at ?? null, now)}</td>
                <th scope="row" className="sym">
                  {f.symbol}
                </th>
                <td>
                  <span className={`side side-${f.side}`}>{f.side}</span>
                </td>
                <td className="num">{fmtQty(f.qty)}</td>
                <td className="num">{fmtPrice(f.price)}</td>
                <td>
                  <code>{f.order_id.slice(0, 8)}</code>
                </td>
              </tr>
            ))}
            {fills.length === 0 ? (
              <tr>
                <td colSpan={6} className="empty">
                  No fills yet.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <Dialog
        open={target !== null}
        title="Cancel this order?"
        confirmLabel="Cancel order"
        canConfirm
        busy={busy}
        danger
        onConfirm={confirmCancel}
        onCancel={() => setTarget(null)}
        testId="cancel-dialog"
      >
        {target ? (
          <p>
            Ask the broker to cancel{' '}
            <strong>
              {target.side} {orderAmount(target)} {target.symbol}
            </strong>{' '}
            ({target.type}, {target.status}). Anything already filled stays filled.
          </p>
        ) : null}
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
      </Dialog>
    </section>
  );
}
