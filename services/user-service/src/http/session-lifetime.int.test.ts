/**
 * The absolute session lifetime over HTTP, on SQLite and on PostgreSQL, with the service's
 * injected clock moved by the test (no waiting): refreshing never extends a session past
 * `SESSION_MAX_LIFETIME_SECONDS` after its sign-in, no token outlives that end, a refresh after
 * it is a 401 `SESSION_EXPIRED` in the one error body, and a password change restarts it.
 */
import { decodeJwt } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  DATABASE_KINDS,
  PASSWORD,
  outboxMark,
  outboxSince,
  uniqueUsername,
  useUserService,
} from '../test-support/harness.js';
import type { Answer, Tokens } from '../test-support/harness.js';

const ACCESS_TTL_S = 600;
const SESSION_MAX_S = 3600;

interface ErrorBody {
  error: { code: string; message: string; requestId: string };
}

describe.each(DATABASE_KINDS)('absolute session lifetime over HTTP on %s', (kind) => {
  // The service's clock: it stands still unless a test moves it.
  let clock = Date.now();
  /** The second (JWT time) each test's sign-in happens in; the clock is 123 ms into it. */
  let t0: number;

  const suite = useUserService(
    kind,
    `us-session-lifetime-${kind}`,
    {
      ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TTL_S),
      SESSION_MAX_LIFETIME_SECONDS: String(SESSION_MAX_S),
    },
    { now: () => clock },
  );

  beforeEach(() => {
    // Forward only, to a fresh second: times in the assertions are then exact.
    t0 = Math.floor(clock / 1000) + 1;
    clock = t0 * 1000 + 123;
  });

  /** Sets the clock to `seconds` (+ `ms`) after the test's sign-in second. */
  function at(seconds: number, ms = 0): void {
    clock = (t0 + seconds) * 1000 + ms;
  }

  async function signedIn(prefix: string): Promise<{ name: string; tokens: Tokens }> {
    const name = uniqueUsername(prefix);
    await suite.api.register(name, PASSWORD);
    return { name, tokens: await suite.api.login(name, PASSWORD) };
  }

  function refresh(refreshToken: string): Promise<Answer<Tokens>> {
    return suite.api.request<Tokens>('POST', '/auth/refresh', { json: { refreshToken } });
  }

  it('refreshes within the lifetime; access and refresh tokens stop at the session’s end', async () => {
    const { tokens: login } = await signedIn('alice');
    expect(decodeJwt(login.accessToken)).toMatchObject({ auth_time: t0, exp: t0 + ACCESS_TTL_S });
    expect(login.expiresIn).toBe(ACCESS_TTL_S);
    // The refresh token lives until the session's end, not its 14-day TTL.
    expect(login.refreshExpiresIn).toBe(SESSION_MAX_S - 1);

    at(1800);
    const early = await refresh(login.refreshToken);
    expect(early.status).toBe(200);
    expect(decodeJwt(early.body.accessToken)).toMatchObject({
      auth_time: t0,
      iat: t0 + 1800,
      exp: t0 + 1800 + ACCESS_TTL_S,
    });

    at(3300);
    const late = await refresh(early.body.refreshToken);
    expect(late.status).toBe(200);
    expect(decodeJwt(late.body.accessToken)).toMatchObject({
      auth_time: t0,
      exp: t0 + SESSION_MAX_S,
    });
    expect(late.body.expiresIn).toBe(SESSION_MAX_S - 3300);
    expect(late.body.refreshExpiresIn).toBe(SESSION_MAX_S - 3300);
    const me = await suite.api.request('GET', '/me', { token: late.body.accessToken });
    expect(me.status).toBe(200);

    // The last millisecond still refreshes, into a token that lives for what is left.
    at(SESSION_MAX_S - 1, 999);
    const last = await refresh(late.body.refreshToken);
    expect(last.status).toBe(200);
    expect(decodeJwt(last.body.accessToken)).toMatchObject({ exp: t0 + SESSION_MAX_S });
    expect(last.body.expiresIn).toBe(1);
  });

  it('refuses a refresh at the session’s end with 401 SESSION_EXPIRED in the one error body, revoking nothing', async () => {
    const { name, tokens: login } = await signedIn('bob');
    at(SESSION_MAX_S - 100);
    const renewed = await refresh(login.refreshToken);
    expect(renewed.status).toBe(200);

    const mark = await outboxMark(suite.service.store);
    at(SESSION_MAX_S);
    for (const attempt of [1, 2]) {
      // The token was not consumed by the refusal: asking again is the same answer, not reuse.
      const answer = await refresh(renewed.body.refreshToken);
      expect(answer.status, `attempt ${attempt}`).toBe(401);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      const body = answer.body as unknown as ErrorBody;
      expect(body).toEqual({
        error: {
          code: 'SESSION_EXPIRED',
          message: 'the session reached its maximum lifetime; sign in again',
          requestId: answer.headers.get('x-request-id'),
        },
      });
    }
    // Its last access token expired at the same instant: refused once the clock tolerance every
    // verifier grants (CLOCK_TOLERANCE_MS) has passed too, as everywhere else.
    const me = await suite.api.request('GET', '/me', { token: renewed.body.accessToken });
    expect(me.status).toBe(200);
    at(SESSION_MAX_S + suite.service.config.tokens.clockToleranceMs / 1000);
    const meLater = await suite.api.request('GET', '/me', { token: renewed.body.accessToken });
    expect(meLater.status).toBe(401);

    // Signing in again opens a new session; the ended one is no longer listed as live.
    const again = await suite.api.login(name, PASSWORD);
    const sessions = await suite.api.request<{ sessions: Array<{ id: string }> }>(
      'GET',
      '/sessions',
      {
        token: again.accessToken,
      },
    );
    expect(sessions.body.sessions.map((s) => s.id)).toEqual([again.sessionId]);

    // The refusals committed nothing: the only event since the mark is this logout's.
    const logout = await suite.api.request('POST', '/auth/logout', { token: again.accessToken });
    expect(logout.status).toBe(204);
    expect(await outboxSince(suite.service.store, mark)).toEqual([
      expect.objectContaining({ kind: 'session', sid: again.sessionId, reason: 'logout' }),
    ]);
  });

  it('restarts the lifetime when the password is changed, which proves it again', async () => {
    const { tokens: login } = await signedIn('carol');
    at(3000);
    const refreshed = await refresh(login.refreshToken);
    expect(refreshed.status).toBe(200);
    const changed = await suite.api.request<Tokens>('POST', '/auth/password', {
      token: refreshed.body.accessToken,
      json: { currentPassword: PASSWORD, newPassword: 'another long passphrase' },
    });
    expect(changed.status).toBe(200);
    expect(decodeJwt(changed.body.accessToken)).toMatchObject({
      auth_time: t0 + 3000,
      exp: t0 + 3000 + ACCESS_TTL_S,
    });

    // Past the sign-in's end, within the password change's.
    at(SESSION_MAX_S + 600);
    const after = await refresh(changed.body.refreshToken);
    expect(after.status).toBe(200);
    expect(decodeJwt(after.body.accessToken)).toMatchObject({ auth_time: t0 + 3000 });

    at(3000 + SESSION_MAX_S);
    const ended = await refresh(after.body.refreshToken);
    expect(ended.status).toBe(401);
    expect((ended.body as unknown as ErrorBody).error.code).toBe('SESSION_EXPIRED');
  });
});
