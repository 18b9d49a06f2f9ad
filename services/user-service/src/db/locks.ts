/**
 * Row locks. On PostgreSQL `SELECT … FOR UPDATE` serializes writers on one row; SQLite has one
 * writer at a time anyway (and no FOR UPDATE syntax), so there the plain read is enough.
 */
import type { SqlDialect } from '@revocation-fabric/publisher';
import type { Executor } from './schema.js';

/**
 * Reads the single global-state row, locking it for the rest of the transaction. Every key
 * rotation and every emergency cutoff takes this lock first, so they never interleave.
 */
export async function lockGlobalState(
  trx: Executor,
  dialect: SqlDialect,
): Promise<{ readonly generation: number }> {
  const row = await trx
    .selectFrom('globalState')
    .select('generation')
    .where('id', '=', 1)
    .$if(dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirstOrThrow();
  return { generation: Number(row.generation) };
}

/** The global generation without a lock, as stamped on new tokens (`ggen`). */
export async function readGlobalGeneration(trx: Executor): Promise<number> {
  const row = await trx
    .selectFrom('globalState')
    .select('generation')
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(row.generation);
}
