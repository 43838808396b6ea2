/**
 * Every order the account ever had, indexed for the hot paths: by id, by client_order_id (unique
 * forever, even after a cancel), and the non-final orders per symbol (what matching and the
 * reservation checks walk), plus the accepted-but-unrouted queue.
 * Must preserve: an order is in `openBySymbol` iff it is not final; the submission-ordered list
 * never loses an order (listing and activities rely on it).
 */
import { isFinal, type SimOrder } from './order-model.js';

export interface ListFilter {
  status: 'open' | 'closed' | 'all';
  limit: number;
  after: number | null;
  until: number | null;
  direction: 'asc' | 'desc';
  symbols: Set<string> | null;
  side: 'buy' | 'sell' | null;
  nested: boolean;
  afterOrderId: string | null;
  beforeOrderId: string | null;
}

export class OrderBook {
  private readonly byId = new Map<string, SimOrder>();
  private readonly byClientId = new Map<string, SimOrder>();
  private readonly ordered: SimOrder[] = [];
  private readonly openBySymbol = new Map<string, Set<SimOrder>>();
  private readonly openAll = new Set<SimOrder>();

  add(order: SimOrder): void {
    this.byId.set(order.id, order);
    this.byClientId.set(order.clientOrderId, order);
    this.ordered.push(order);
    this.touch(order);
  }

  get(id: string): SimOrder | undefined {
    return this.byId.get(id);
  }

  byClientOrderId(clientOrderId: string): SimOrder | undefined {
    return this.byClientId.get(clientOrderId);
  }

  hasClientOrderId(clientOrderId: string): boolean {
    return this.byClientId.has(clientOrderId);
  }

  /** Re-files an order after a status change. */
  touch(order: SimOrder): void {
    if (isFinal(order)) {
      this.openAll.delete(order);
      this.openBySymbol.get(order.symbol)?.delete(order);
      return;
    }
    this.openAll.add(order);
    let set = this.openBySymbol.get(order.symbol);
    if (!set) {
      set = new Set();
      this.openBySymbol.set(order.symbol, set);
    }
    set.add(order);
  }

  /** Non-final orders of a symbol (includes accepted and held ones). */
  openFor(symbol: string): ReadonlySet<SimOrder> {
    return this.openBySymbol.get(symbol) ?? EMPTY;
  }

  /** All non-final orders, in insertion order. */
  open(): SimOrder[] {
    return [...this.openAll];
  }

  get size(): number {
    return this.ordered.length;
  }

  list(filter: ListFilter): SimOrder[] {
    let start = 0;
    let end = this.ordered.length;
    if (filter.afterOrderId) start = this.indexOf(filter.afterOrderId) + 1;
    if (filter.beforeOrderId) end = this.indexOf(filter.beforeOrderId);
    const out: SimOrder[] = [];
    const step = filter.direction === 'asc' ? 1 : -1;
    for (
      let i = step === 1 ? start : end - 1;
      i >= start && i < end && out.length < filter.limit;
      i += step
    ) {
      const order = this.ordered[i] as SimOrder;
      if (matches(order, filter)) out.push(order);
    }
    return out;
  }

  private indexOf(id: string): number {
    const order = this.byId.get(id);
    return order ? this.ordered.indexOf(order) : -1;
  }
}

const EMPTY: ReadonlySet<SimOrder> = new Set();

function matches(order: SimOrder, f: ListFilter): boolean {
  if (f.nested && order.parentId !== null) return false;
  if (f.status === 'open' && (isFinal(order) || order.status === 'held')) return false;
  if (f.status === 'closed' && !isFinal(order)) return false;
  if (f.after !== null && order.submittedAt <= f.after) return false;
  if (f.until !== null && order.submittedAt >= f.until) return false;
  if (f.symbols && !f.symbols.has(order.symbol)) return false;
  if (f.side && order.side !== f.side) return false;
  return true;
}
