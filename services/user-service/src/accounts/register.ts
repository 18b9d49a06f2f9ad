import { randomUUID } from 'node:crypto';
import type { ServiceContext } from '../context.js';
import { UserServiceError } from '../errors.js';
import type { AccountView } from './users.js';
import { DEFAULT_ROLES, accountView, findUserByUsername, normalizeUsername } from './users.js';

/** What a new account is created with. */
export interface Registration {
  readonly username: string;
  readonly password: string;
  /** Roles; default `['user']`. Only bootstrap code passes other roles. */
  readonly roles?: readonly string[];
}

/**
 * Creates an account.
 *
 * @throws {@link UserServiceError} `username_taken` when the name is in use.
 */
export async function registerAccount(
  ctx: ServiceContext,
  registration: Registration,
): Promise<AccountView> {
  const username = normalizeUsername(registration.username);
  // Hash before touching the database: the answer for a taken name then costs the same time.
  const passwordHash = await ctx.hasher.hash(registration.password);
  const now = ctx.now();
  const row = {
    id: randomUUID(),
    username,
    passwordHash,
    roles: JSON.stringify(registration.roles ?? DEFAULT_ROLES),
    status: 'active' as const,
    suspendedUntil: null,
    generation: 0,
    createdAt: now,
    updatedAt: now,
  };
  const inserted = await ctx.store.db
    .insertInto('users')
    .values(row)
    .onConflict((oc) => oc.column('username').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
    throw new UserServiceError({
      code: 'USERNAME_TAKEN',
      message: 'this username is already taken',
    });
  }
  return accountView(row);
}

/**
 * Creates the configured first admin if its username is free. Idempotent across restarts and
 * instances; an existing account of that name is left as it is.
 */
export async function bootstrapAdmin(
  ctx: ServiceContext,
  admin: { readonly username: string; readonly password: string },
): Promise<void> {
  if ((await findUserByUsername(ctx.store.db, admin.username)) !== undefined) return;
  try {
    const account = await registerAccount(ctx, { ...admin, roles: ['user', 'admin'] });
    ctx.logger.info({ userId: account.id, username: account.username }, 'bootstrap admin created');
  } catch (error) {
    if (error instanceof UserServiceError && error.code === 'USERNAME_TAKEN') return;
    throw error;
  }
}
