import type { ServiceContext } from '../context.js';
import { earliestRunningAuthTime } from './session-lifetime.js';

/** One live session as its owner sees it. */
export interface SessionView {
  readonly id: string;
  /** The session of the token that asked. */
  readonly current: boolean;
  readonly createdAt: number;
  readonly lastUsedAt: number;
  readonly authTime: number;
  readonly userAgent: string | null;
  readonly clientAddress: string | null;
}

/**
 * Lists a user's live sessions — not revoked and not past their absolute lifetime — most
 * recently used first.
 */
export async function listSessions(
  ctx: ServiceContext,
  userId: string,
  currentSessionId: string,
): Promise<SessionView[]> {
  const runningSince = earliestRunningAuthTime(
    ctx.now(),
    ctx.config.tokens.maxSessionLifetimeSeconds,
  );
  const rows = await ctx.store.db
    .selectFrom('sessions')
    .select(['id', 'createdAt', 'lastUsedAt', 'authTime', 'userAgent', 'clientAddress'])
    .where('userId', '=', userId)
    .where('revokedAt', 'is', null)
    .where('authTime', '>=', runningSince)
    .orderBy('lastUsedAt', 'desc')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    current: row.id === currentSessionId,
    createdAt: Number(row.createdAt),
    lastUsedAt: Number(row.lastUsedAt),
    authTime: Number(row.authTime),
    userAgent: row.userAgent,
    clientAddress: row.clientAddress,
  }));
}
