/**
 * Row shape of the embedded command bus's queue (see adapters/bus/embedded-command-bus.ts).
 * `state` is pending until acknowledged (acked) or given up on (dead); `claimed_until_key` is a
 * sortable time key (row-values.ts `timeKey`) after which a claimed entry may be claimed again.
 */
import type { Generated } from 'kysely';

export interface BusEntriesTable {
  seq: Generated<number>;
  profile_id: string;
  command_id: string;
  type: string;
  enqueued_at: string;
  state: string;
  delivery_count: number;
  claimed_by: string | null;
  claimed_until_key: string | null;
  finished_at: string | null;
}
