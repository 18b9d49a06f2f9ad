/**
 * Reading accounts. Usernames are compared in one normal form (NFKC, lower case), so `Alice`
 * and `alice` are the same account.
 */
import type { Executor, UserRow } from '../db/schema.js';

/** The role every new account gets. */
export const DEFAULT_ROLES: readonly string[] = ['user'];

/** The role admin endpoints require. */
export const ADMIN_ROLE = 'admin';

/** The form a username is stored and looked up in. */
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

/** The roles of an account. */
export function rolesOf(user: Pick<UserRow, 'roles'>): string[] {
  const parsed: unknown = JSON.parse(user.roles);
  return Array.isArray(parsed) ? parsed.filter((r): r is string => typeof r === 'string') : [];
}

/** May this account sign in (or refresh) now? Suspensions with an end date lapse by themselves. */
export function canSignIn(user: Pick<UserRow, 'status' | 'suspendedUntil'>, now: number): boolean {
  if (user.status === 'active') return true;
  if (user.status === 'suspended')
    return user.suspendedUntil !== null && user.suspendedUntil <= now;
  return false;
}

/** Finds an account by username (any form). */
export async function findUserByUsername(
  db: Executor,
  username: string,
): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('username', '=', normalizeUsername(username))
    .executeTakeFirst();
}

/** Finds an account by id. */
export async function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Public view of an account. */
export interface AccountView {
  readonly id: string;
  readonly username: string;
  readonly roles: string[];
  readonly status: UserRow['status'];
  readonly createdAt: number;
}

/** The fields of an account a client may see. */
export function accountView(user: UserRow): AccountView {
  return {
    id: user.id,
    username: user.username,
    roles: rolesOf(user),
    status: user.status,
    createdAt: Number(user.createdAt),
  };
}
