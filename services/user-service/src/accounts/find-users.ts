/**
 * Finding accounts for an operator: by the start of a username, or by id. Bounded: one page
 * of at most {@link MAX_USERS_PAGE} accounts, in username order, with the cursor of the next.
 */
import { sql } from 'kysely';
import type { Executor } from '../db/schema.js';
import { accountView, normalizeUsername } from './users.js';
import type { AccountView } from './users.js';

/** The most accounts one page holds. */
export const MAX_USERS_PAGE = 50;

/** What to look for. */
export interface UserQuery {
  /**
   * The start of a username (any form: compared normalized), or a whole user id. Only the
   * characters a username may hold, so `_` is the one LIKE metacharacter it can carry.
   */
  readonly query: string;
  /** Accounts per page, 1 to {@link MAX_USERS_PAGE}. */
  readonly limit: number;
  /** The `next` cursor of the previous page: the last username it held. */
  readonly after?: string | undefined;
}

/** One page of accounts. */
export interface UserPage {
  readonly users: AccountView[];
  /** The cursor of the next page, or `null` when this one is the last. */
  readonly next: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One page of the accounts whose username starts with `query` (or whose id is `query`).
 *
 * @example
 * ```ts
 * const { users, next } = await findUsers(ctx.store.db, { query: 'ali', limit: 20 });
 * ```
 */
export async function findUsers(db: Executor, query: UserQuery): Promise<UserPage> {
  const prefix = normalizeUsername(query.query);
  // `!` is the escape character: usernames cannot hold it, and SQLite has no default escape.
  const pattern = `${prefix.replaceAll('_', '!_')}%`;
  let select = db
    .selectFrom('users')
    .selectAll()
    .where((eb) =>
      eb.or([
        sql<boolean>`${sql.ref('username')} like ${pattern} escape '!'`,
        ...(UUID.test(query.query) ? [eb('id', '=', query.query.toLowerCase())] : []),
      ]),
    );
  if (query.after !== undefined) {
    select = select.where('username', '>', normalizeUsername(query.after));
  }
  const rows = await select
    .orderBy('username')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    users: page.map(accountView),
    next: rows.length > query.limit && last !== undefined ? last.username : null,
  };
}
