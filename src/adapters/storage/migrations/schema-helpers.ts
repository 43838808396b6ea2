/**
 * Small helpers the migrations share. They emit portable SQL only; a migration that has shipped
 * must keep producing the same schema, so change these only by adding new helpers.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';

export function index(db: Kysely<unknown>, name: string, table: string, columns: string[]): Promise<void> {
  return db.schema.createIndex(name).on(table).columns(columns).execute();
}

/** A CHECK expression restricting a text column to a closed set of values. */
export function inList(column: string, values: readonly string[]): RawBuilder<unknown> {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}
