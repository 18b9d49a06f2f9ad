import type { Executor } from '../db/schema.js';

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

/** Lists a user's live (not revoked) sessions, most recently used first. */
export async function listSessions(
  db: Executor,
  userId: string,
  currentSessionId: string,
): Promise<SessionView[]> {
  const rows = await db
    .selectFrom('sessions')
    .select(['id', 'createdAt', 'lastUsedAt', 'authTime', 'userAgent', 'clientAddress'])
    .where('userId', '=', userId)
    .where('revokedAt', 'is', null)
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
