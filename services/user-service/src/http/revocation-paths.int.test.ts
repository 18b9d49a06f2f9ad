/**
 * Every revocation path over HTTP, on SQLite and on PostgreSQL, against the real Kafka broker of
 * the run: each path commits exactly the right event, the event reaches the topic, and a
 * verifier from the verifier package rejects the affected tokens and accepts the others.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import { startEventTap } from '@revocation-fabric/testkit';
import type { EventTap } from '@revocation-fabric/testkit';
import type { Verifier } from '@revocation-fabric/verifier';
import {
  DATABASE_KINDS,
  PASSWORD,
  ROOT_ADMIN_ENVIRONMENT,
  TEST_ISSUER,
  kafkaBrokers,
  outboxMark,
  outboxSince,
  startVerifier,
  uniqueUsername,
  useUserService,
  verdict,
  waitForVerdict,
} from '../test-support/harness.js';
import type { Answer, Api, Tokens } from '../test-support/harness.js';

describe.each(DATABASE_KINDS)('revocation paths over HTTP on %s', (kind) => {
  let tap: EventTap;
  let verifier: Verifier;
  let admin: Tokens;
  let adminId: string;

  const suite = useUserService(kind, `us-paths-${kind}`, ROOT_ADMIN_ENVIRONMENT);

  beforeAll(async () => {
    tap = await startEventTap(
      kafkaBrokers(),
      suite.service.config.kafka.topic,
      'user-service-test-tap',
    );
    verifier = await startVerifier(suite.service);
  });

  afterAll(async () => {
    await verifier?.close();
    await tap?.stop();
  });

  beforeEach(async () => {
    // Some paths (key compromise, emergency cutoff) kill the admin's own token too.
    admin = await suite.api.login('root', PASSWORD);
    adminId = decodeJwt(admin.accessToken).sub ?? '';
  });

  /** Runs an action and returns exactly the events it committed, once they are on the topic. */
  async function committed(action: () => Promise<unknown>): Promise<RevocationEvent[]> {
    const mark = await outboxMark(suite.service.store);
    await action();
    return onTopic(mark);
  }

  /**
   * Sends a request that must answer `status`; returns the answer and exactly the events it
   * committed, once they are on the topic.
   */
  async function committedBy<T = unknown>(
    method: string,
    path: string,
    options: Parameters<Api['request']>[2],
    status: number,
  ): Promise<{ answer: Answer<T>; events: RevocationEvent[] }> {
    const mark = await outboxMark(suite.service.store);
    const answer = await suite.api.request<T>(method, path, options);
    expect(answer.status, `${method} ${path}`).toBe(status);
    return { answer, events: await onTopic(mark) };
  }

  /** A refresh with `refreshToken`. */
  function refreshWith<T = Tokens>(refreshToken: string | undefined): Promise<Answer<T>> {
    return suite.api.request<T>('POST', '/auth/refresh', { json: { refreshToken } });
  }

  /** A sign-in, whatever its answer. */
  function signIn<T = unknown>(username: string, password: string): Promise<Answer<T>> {
    return suite.api.request<T>('POST', '/auth/login', { json: { username, password } });
  }

  /** The events committed after `mark`, once they are on the topic. */
  async function onTopic(mark: number): Promise<RevocationEvent[]> {
    const events = await outboxSince(suite.service.store, mark);
    await tap.waitForIds(events.map((event) => event.id));
    return events;
  }

  async function newUser(prefix: string): Promise<{ id: string; name: string }> {
    const name = uniqueUsername(prefix);
    return { id: await suite.api.register(name, PASSWORD), name };
  }

  it('logout ends this session only: one session event; its token is rejected, the other session and other users are not', async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const phone = await suite.api.login(alice.name, PASSWORD);
    const laptop = await suite.api.login(alice.name, PASSWORD);
    const bobs = await suite.api.login(bob.name, PASSWORD);
    expect(await verdict(verifier, phone.accessToken)).toBe('ok');

    const { events } = await committedBy('POST', '/auth/logout', { token: phone.accessToken }, 204);
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'session',
        sid: phone.sessionId,
        reason: 'logout',
        actor: alice.id,
        iss: TEST_ISSUER,
      }),
    ]);
    await waitForVerdict(verifier, phone.accessToken, 'TOKEN_REVOKED');
    expect(await verdict(verifier, laptop.accessToken)).toBe('ok');
    expect(await verdict(verifier, bobs.accessToken)).toBe('ok');

    const refresh = await refreshWith(phone.refreshToken);
    expect(refresh.status).toBe(401);
    const sessions = await suite.api.request<{ sessions: Array<{ id: string; current: boolean }> }>(
      'GET',
      '/sessions',
      { token: laptop.accessToken },
    );
    expect(sessions.body.sessions).toEqual([
      expect.objectContaining({ id: laptop.sessionId, current: true }),
    ]);
  });

  it('DELETE /sessions/:sid logs out one device; another user’s session is a 404 and emits nothing', async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const phone = await suite.api.login(alice.name, PASSWORD);
    const laptop = await suite.api.login(alice.name, PASSWORD);
    const bobs = await suite.api.login(bob.name, PASSWORD);

    const { events: none } = await committedBy(
      'DELETE',
      `/sessions/${bobs.sessionId}`,
      { token: phone.accessToken },
      404,
    );
    expect(none).toEqual([]);

    const { events } = await committedBy(
      'DELETE',
      `/sessions/${laptop.sessionId}`,
      { token: phone.accessToken },
      204,
    );
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'session',
        sid: laptop.sessionId,
        reason: 'logout',
        actor: alice.id,
      }),
    ]);
    await waitForVerdict(verifier, laptop.accessToken, 'TOKEN_REVOKED');
    expect(await verdict(verifier, phone.accessToken)).toBe('ok');
    expect(await verdict(verifier, bobs.accessToken)).toBe('ok');

    const listed = await suite.api.request<{ sessions: Array<{ id: string }> }>(
      'GET',
      '/sessions',
      {
        token: phone.accessToken,
      },
    );
    expect(listed.body.sessions.map((s) => s.id)).toEqual([phone.sessionId]);
  });

  it('logout everywhere: one subject event with the next generation; earlier tokens die, tokens issued right after live', async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const phone = await suite.api.login(alice.name, PASSWORD);
    const laptop = await suite.api.login(alice.name, PASSWORD);
    const bobs = await suite.api.login(bob.name, PASSWORD);

    const { events } = await committedBy(
      'POST',
      '/auth/logout-all',
      { token: phone.accessToken },
      204,
    );
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'subject',
        sub: alice.id,
        generation: 1,
        reason: 'logout-all',
        actor: alice.id,
      }),
    ]);
    // Issued within the same second as the cutoff: the generation makes the boundary exact.
    const after = await suite.api.login(alice.name, PASSWORD);
    expect(decodeJwt(after.accessToken).sgen).toBe(1);

    await waitForVerdict(verifier, phone.accessToken, 'TOKEN_REVOKED');
    expect(await verdict(verifier, laptop.accessToken)).toBe('TOKEN_REVOKED');
    expect(await verdict(verifier, bobs.accessToken)).toBe('ok');
    expect(await verdict(verifier, after.accessToken)).toBe('ok');
    const refresh = await refreshWith(laptop.refreshToken);
    expect(refresh.status).toBe(401);
  });

  it('password change ends the other sessions, keeps this one with new tokens, and emits one subject event', async () => {
    const alice = await newUser('alice');
    const phone = await suite.api.login(alice.name, PASSWORD);
    const laptop = await suite.api.login(alice.name, PASSWORD);
    const newPassword = 'a brand new passphrase';

    const { events: wrong } = await committedBy(
      'POST',
      '/auth/password',
      { token: phone.accessToken, json: { currentPassword: 'not the password', newPassword } },
      401,
    );
    expect(wrong).toEqual([]);

    const { answer, events } = await committedBy<Tokens>(
      'POST',
      '/auth/password',
      { token: phone.accessToken, json: { currentPassword: PASSWORD, newPassword } },
      200,
    );
    const renewed = answer.body;
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'subject',
        sub: alice.id,
        reason: 'password-change',
        generation: 1,
      }),
    ]);
    expect(renewed.sessionId).toBe(phone.sessionId);
    await waitForVerdict(verifier, phone.accessToken, 'TOKEN_REVOKED');
    expect(await verdict(verifier, laptop.accessToken)).toBe('TOKEN_REVOKED');
    expect(await verdict(verifier, renewed.accessToken)).toBe('ok');

    const laptopRefresh = await refreshWith(laptop.refreshToken);
    expect(laptopRefresh.status).toBe(401);
    const oldRefresh = await refreshWith(phone.refreshToken);
    expect(oldRefresh.status).toBe(401);
    const newRefresh = await refreshWith(renewed.refreshToken);
    expect(newRefresh.status).toBe(200);
    expect((await signIn(alice.name, PASSWORD)).status).toBe(401);
    expect((await signIn(alice.name, newPassword)).status).toBe(200);
  });

  it('refresh rotates the token; reusing a rotated one revokes the session with one refresh-reuse event', async () => {
    const alice = await newUser('alice');
    const first = await suite.api.login(alice.name, PASSWORD);
    const rotated = await refreshWith<Tokens>(first.refreshToken);
    expect(rotated.status).toBe(200);
    expect(rotated.body.refreshToken).not.toBe(first.refreshToken);
    expect(rotated.body.sessionId).toBe(first.sessionId);
    expect(await verdict(verifier, rotated.body.accessToken)).toBe('ok');

    const events = await committed(async () => {
      const reuse = await refreshWith<{ error: { code: string } }>(first.refreshToken);
      expect(reuse.status).toBe(401);
      expect(reuse.body.error.code).toBe('REFRESH_TOKEN_REUSED');
    });
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'session',
        sid: first.sessionId,
        reason: 'refresh-reuse',
        actor: 'user-service',
      }),
    ]);
    await waitForVerdict(verifier, rotated.body.accessToken, 'TOKEN_REVOKED');
    expect(await verdict(verifier, first.accessToken)).toBe('TOKEN_REVOKED');
    const afterwards = await refreshWith(rotated.body.refreshToken);
    expect(afterwards.status).toBe(401);
  });

  it('ban refuses login and kills every token; unban emits nothing and new logins work', async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const phone = await suite.api.login(alice.name, PASSWORD);
    const bobs = await suite.api.login(bob.name, PASSWORD);

    const { events } = await committedBy(
      'POST',
      `/admin/users/${alice.id}/ban`,
      { token: admin.accessToken },
      204,
    );
    expect(events).toEqual([
      expect.objectContaining({ kind: 'subject', sub: alice.id, reason: 'ban', actor: adminId }),
    ]);
    await waitForVerdict(verifier, phone.accessToken, 'TOKEN_REVOKED');
    expect(await verdict(verifier, bobs.accessToken)).toBe('ok');
    const refused = await signIn<{ error: { code: string } }>(alice.name, PASSWORD);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('ACCOUNT_DISABLED');
    expect((await refreshWith(phone.refreshToken)).status).toBe(401);

    const { events: unban } = await committedBy(
      'POST',
      `/admin/users/${alice.id}/unban`,
      { token: admin.accessToken },
      204,
    );
    expect(unban).toEqual([]);
    const again = await suite.api.login(alice.name, PASSWORD);
    expect(await verdict(verifier, again.accessToken)).toBe('ok');
    expect(await verdict(verifier, phone.accessToken)).toBe('TOKEN_REVOKED');
  });

  it('suspension refuses login until lifted, with a subject cutoff', async () => {
    const alice = await newUser('alice');
    const phone = await suite.api.login(alice.name, PASSWORD);
    const { events } = await committedBy(
      'POST',
      `/admin/users/${alice.id}/suspend`,
      { token: admin.accessToken, json: { until: Date.now() + 3_600_000 } },
      204,
    );
    expect(events).toEqual([
      expect.objectContaining({ kind: 'subject', sub: alice.id, reason: 'ban' }),
    ]);
    await waitForVerdict(verifier, phone.accessToken, 'TOKEN_REVOKED');
    expect((await signIn(alice.name, PASSWORD)).status).toBe(403);
  });

  it('role change kills tokens carrying the old roles; a refresh yields the new ones', async () => {
    const alice = await newUser('alice');
    const phone = await suite.api.login(alice.name, PASSWORD);
    const { answer, events } = await committedBy<{ roles: string[] }>(
      'PUT',
      `/admin/users/${alice.id}/roles`,
      { token: admin.accessToken, json: { roles: ['user', 'moderator'] } },
      200,
    );
    expect(answer.body.roles).toEqual(['moderator', 'user']);
    expect(events).toEqual([
      expect.objectContaining({
        kind: 'subject',
        sub: alice.id,
        reason: 'role-change',
        actor: adminId,
      }),
    ]);
    await waitForVerdict(verifier, phone.accessToken, 'TOKEN_REVOKED');
    const refreshed = await refreshWith<Tokens>(phone.refreshToken);
    expect(refreshed.status).toBe(200);
    const { claims } = await verifier.verify(refreshed.body.accessToken);
    expect(claims.roles).toEqual(['moderator', 'user']);
  });

  it('admin revokes one token by value or by jti, one session, and one subject', async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const phone = await suite.api.login(alice.name, PASSWORD);
    const laptop = await suite.api.login(alice.name, PASSWORD);
    const bobs = await suite.api.login(bob.name, PASSWORD);
    const { jti, exp } = decodeJwt(phone.accessToken);

    const { events: tokenEvents } = await committedBy(
      'POST',
      '/admin/tokens/revoke',
      { token: admin.accessToken, json: { token: phone.accessToken } },
      200,
    );
    expect(tokenEvents).toEqual([
      expect.objectContaining({
        kind: 'token',
        jti,
        expiresAt: (exp ?? 0) * 1000,
        reason: 'admin',
        actor: adminId,
      }),
    ]);
    await waitForVerdict(verifier, phone.accessToken, 'TOKEN_REVOKED');
    expect(await verdict(verifier, laptop.accessToken)).toBe('ok');
    // Only that token: the same session's next token is fine.
    const next = await refreshWith<Tokens>(phone.refreshToken);
    expect(await verdict(verifier, next.body.accessToken)).toBe('ok');

    const { events: byJti } = await committedBy(
      'POST',
      '/admin/tokens/revoke',
      { token: admin.accessToken, json: { jti: 'some-token-id' } },
      200,
    );
    expect(byJti).toEqual([expect.objectContaining({ kind: 'token', jti: 'some-token-id' })]);

    const { events: sessionEvents } = await committedBy(
      'DELETE',
      `/admin/sessions/${laptop.sessionId}`,
      { token: admin.accessToken },
      204,
    );
    expect(sessionEvents).toEqual([
      expect.objectContaining({
        kind: 'session',
        sid: laptop.sessionId,
        reason: 'admin',
        actor: adminId,
      }),
    ]);
    await waitForVerdict(verifier, laptop.accessToken, 'TOKEN_REVOKED');

    const { events: subjectEvents } = await committedBy(
      'POST',
      `/admin/users/${bob.id}/revoke`,
      { token: admin.accessToken },
      204,
    );
    expect(subjectEvents).toEqual([
      expect.objectContaining({ kind: 'subject', sub: bob.id, reason: 'admin', actor: adminId }),
    ]);
    await waitForVerdict(verifier, bobs.accessToken, 'TOKEN_REVOKED');
    expect(await verdict(verifier, next.body.accessToken)).toBe('ok');

    const { events: missing } = await committedBy(
      'POST',
      `/admin/users/00000000-0000-4000-8000-000000000000/revoke`,
      { token: admin.accessToken },
      404,
    );
    expect(missing).toEqual([]);
  });

  it('key rotation keeps the previous key published, so its tokens stay valid', async () => {
    const alice = await newUser('alice');
    const before = await suite.api.login(alice.name, PASSWORD);
    const oldKid = decodeProtectedHeader(before.accessToken).kid;
    const jwksBefore = await suite.api.request<{ keys: Array<{ kid: string }> }>(
      'GET',
      '/.well-known/jwks.json',
    );
    const rotation = await suite.api.request<{ activeKid: string }>('POST', '/admin/keys/rotate', {
      token: admin.accessToken,
    });
    expect(rotation.status).toBe(200);
    expect(rotation.body.activeKid).not.toBe(oldKid);
    // Pre-published: verifiers knew the new signing key before its first token.
    expect(jwksBefore.body.keys.map((k) => k.kid)).toContain(rotation.body.activeKid);
    const jwks = await suite.api.request<{ keys: Array<{ kid: string }> }>(
      'GET',
      '/.well-known/jwks.json',
    );
    expect(jwks.body.keys.map((k) => k.kid)).toEqual(
      expect.arrayContaining([oldKid, rotation.body.activeKid]),
    );

    const after = await suite.api.login(alice.name, PASSWORD);
    expect(decodeProtectedHeader(after.accessToken).kid).toBe(rotation.body.activeKid);
    // A verifier that starts now only knows the JWKS as published after the rotation.
    const fresh = await startVerifier(suite.service);
    try {
      expect(await verdict(fresh, before.accessToken)).toBe('ok');
      expect(await verdict(fresh, after.accessToken)).toBe('ok');
    } finally {
      await fresh.close();
    }
  });

  it('key compromise revokes the kid and rotates: its tokens die, the new key’s live', async () => {
    const alice = await newUser('alice');
    const before = await suite.api.login(alice.name, PASSWORD);
    const kid = decodeProtectedHeader(before.accessToken).kid ?? '';
    // A verifier that fetched the key before the compromise keeps it cached: only the key
    // rule from Kafka can stop it from accepting the key's tokens.
    const cached = await startVerifier(suite.service, { jwksCacheMs: 600_000 });
    expect(await verdict(cached, before.accessToken)).toBe('ok');
    let activeKid = '';
    const { answer, events } = await committedBy<{
      revokedKid: string;
      activeKid: string;
    }>('POST', `/admin/keys/${kid}/revoke`, { token: admin.accessToken }, 200);
    expect(answer.body.revokedKid).toBe(kid);
    activeKid = answer.body.activeKid;
    expect(activeKid).not.toBe(kid);
    expect(events).toEqual([
      expect.objectContaining({ kind: 'key', kid, reason: 'key-compromise', actor: adminId }),
    ]);
    try {
      await waitForVerdict(cached, before.accessToken, 'TOKEN_REVOKED');
    } finally {
      await cached.close();
    }
    // A verifier that refetches the JWKS no longer finds the key at all.
    expect(await verdict(verifier, before.accessToken)).not.toBe('ok');
    const jwks = await suite.api.request<{ keys: Array<{ kid: string }> }>(
      'GET',
      '/.well-known/jwks.json',
    );
    expect(jwks.body.keys.map((k) => k.kid)).not.toContain(kid);

    const after = await suite.api.login(alice.name, PASSWORD);
    expect(decodeProtectedHeader(after.accessToken).kid).toBe(activeKid);
    expect(await verdict(verifier, after.accessToken)).toBe('ok');
  });

  it('the emergency cutoff rejects every earlier token of everyone; tokens issued after it live', async () => {
    const alice = await newUser('alice');
    const bob = await newUser('bob');
    const phone = await suite.api.login(alice.name, PASSWORD);
    const bobs = await suite.api.login(bob.name, PASSWORD);
    const { events } = await committedBy<{ generation: number }>(
      'POST',
      '/admin/emergency-cutoff',
      { token: admin.accessToken },
      200,
    );
    expect(events).toEqual([
      expect.objectContaining({ kind: 'global', reason: 'emergency', actor: adminId }),
    ]);
    const after = await suite.api.login(alice.name, PASSWORD);
    await waitForVerdict(verifier, phone.accessToken, 'TOKEN_REVOKED');
    expect(await verdict(verifier, bobs.accessToken)).toBe('TOKEN_REVOKED');
    expect(await verdict(verifier, after.accessToken)).toBe('ok');
    // Sessions survive the brake unless asked otherwise: a refresh yields a valid token.
    const refreshed = await refreshWith<Tokens>(bobs.refreshToken);
    expect(refreshed.status).toBe(200);
    expect(await verdict(verifier, refreshed.body.accessToken)).toBe('ok');
  });

  it('admin endpoints refuse missing, malformed and non-admin tokens, and emit nothing', async () => {
    const alice = await newUser('alice');
    const user = await suite.api.login(alice.name, PASSWORD);
    const target = '00000000-0000-4000-8000-000000000000';
    const endpoints: Array<[string, string, unknown]> = [
      ['GET', `/admin/users/${target}`, undefined],
      ['POST', `/admin/users/${target}/ban`, undefined],
      ['POST', `/admin/users/${target}/suspend`, {}],
      ['POST', `/admin/users/${target}/unban`, undefined],
      ['PUT', `/admin/users/${target}/roles`, { roles: ['admin'] }],
      ['POST', `/admin/users/${target}/revoke`, undefined],
      ['DELETE', `/admin/sessions/${target}`, undefined],
      ['POST', '/admin/tokens/revoke', { jti: 'x' }],
      ['GET', '/admin/keys', undefined],
      ['POST', '/admin/keys/rotate', undefined],
      ['POST', '/admin/keys/some-kid/revoke', undefined],
      ['POST', '/admin/emergency-cutoff', {}],
    ];
    const events = await committed(async () => {
      for (const [method, path, json] of endpoints) {
        const missing = await suite.api.request(method, path, { json });
        expect(missing.status, `${method} ${path} without a token`).toBe(401);
        expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
        const malformed = await suite.api.request(method, path, {
          json,
          headers: { authorization: 'Bearer nope' },
        });
        expect(malformed.status, `${method} ${path} with a malformed token`).toBe(401);
        const forged = await suite.api.request(method, path, {
          json,
          token: `${user.accessToken.slice(0, -4)}AAAA`,
        });
        expect(forged.status, `${method} ${path} with a bad signature`).toBe(401);
        const userToken = await suite.api.request<{ error: { code: string } }>(method, path, {
          json,
          token: user.accessToken,
        });
        expect(userToken.status, `${method} ${path} with a user token`).toBe(403);
        expect(userToken.body.error.code).toBe('FORBIDDEN');
      }
    });
    expect(events).toEqual([]);
  });

  it('admin endpoints refuse at once a logged-out admin session, a banned admin and an admin whose role was taken away', async () => {
    const deputy = await newUser('deputy');
    const promoted = await suite.api.request('PUT', `/admin/users/${deputy.id}/roles`, {
      token: admin.accessToken,
      json: { roles: ['admin'] },
    });
    expect(promoted.status).toBe(200);
    // No waiting for Kafka anywhere below: admins are judged from the database.
    const read = (token: string) =>
      suite.api.request<{ error: { code: string } }>('GET', `/admin/users/${adminId}`, { token });
    const expectRefused = async (token: string, status: 401 | 403, why: string) => {
      const answer = await read(token);
      expect(answer.status, why).toBe(status);
      expect(answer.body.error.code, why).toBe(status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN');
    };
    const phone = await suite.api.login(deputy.name, PASSWORD);
    const laptop = await suite.api.login(deputy.name, PASSWORD);
    expect((await read(phone.accessToken)).status).toBe(200);

    const logout = await suite.api.request('POST', '/auth/logout', { token: phone.accessToken });
    expect(logout.status).toBe(204);
    await expectRefused(phone.accessToken, 401, 'a logged-out admin session');
    expect((await read(laptop.accessToken)).status, 'the admin’s other session').toBe(200);

    const ban = await suite.api.request('POST', `/admin/users/${deputy.id}/ban`, {
      token: admin.accessToken,
    });
    expect(ban.status).toBe(204);
    await expectRefused(laptop.accessToken, 401, 'a banned admin');
    const unban = await suite.api.request('POST', `/admin/users/${deputy.id}/unban`, {
      token: admin.accessToken,
    });
    expect(unban.status).toBe(204);
    const again = await suite.api.login(deputy.name, PASSWORD);
    expect((await read(again.accessToken)).status, 'a new login after the unban').toBe(200);

    const demoted = await suite.api.request('PUT', `/admin/users/${deputy.id}/roles`, {
      token: admin.accessToken,
      json: { roles: ['user'] },
    });
    expect(demoted.status).toBe(200);
    await expectRefused(again.accessToken, 401, 'a token naming the admin role taken away');
    const asUser = await suite.api.login(deputy.name, PASSWORD);
    await expectRefused(asUser.accessToken, 403, 'the same account as a non-admin');
  });

  it('user endpoints refuse missing tokens and tokens of revoked sessions', async () => {
    const alice = await newUser('alice');
    const phone = await suite.api.login(alice.name, PASSWORD);
    const laptop = await suite.api.login(alice.name, PASSWORD);
    expect(
      (await suite.api.request('POST', '/auth/logout', { token: phone.accessToken })).status,
    ).toBe(204);
    // The same session's user, on a session still live, is admitted: the refusals below are the
    // revoked session's, not the account's.
    expect((await suite.api.request('GET', '/me', { token: laptop.accessToken })).status).toBe(200);
    for (const [method, path] of [
      ['GET', '/sessions'],
      ['GET', '/me'],
      ['POST', '/auth/logout'],
      ['POST', '/auth/logout-all'],
      ['POST', '/auth/password'],
      ['DELETE', '/sessions/00000000-0000-4000-8000-000000000000'],
    ] as const) {
      expect((await suite.api.request(method, path)).status, `${method} ${path}`).toBe(401);
      const revoked = await suite.api.request<{ error: { code: string } }>(method, path, {
        token: phone.accessToken,
      });
      expect(revoked.status, `${method} ${path} with a revoked session's token`).toBe(401);
      expect(revoked.body.error.code).toBe('UNAUTHORIZED');
    }
  });

  it('throttles logins per account with the same answer for unknown users', async () => {
    const alice = await newUser('alice');
    for (let attempt = 0; attempt < 5; attempt++) {
      const wrong = await signIn(alice.name, 'wrong password');
      expect(wrong.status).toBe(401);
      const ghost = await signIn('ghost-user-x', 'wrong password');
      expect(ghost.status).toBe(401);
      expect(ghost.body).toEqual({
        error: { ...(wrong.body as { error: object }).error, requestId: expect.any(String) },
      });
    }
    const blocked = await signIn(alice.name, PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    const ghostBlocked = await signIn('ghost-user-x', PASSWORD);
    expect(ghostBlocked.status).toBe(429);
  });
});
