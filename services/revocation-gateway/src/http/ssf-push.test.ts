import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../signals/mapping.js';
import { metricValue, outboxEvents, useTestGateway } from '../test-support/harness.js';
import { serveKeys, setClaims, sign, testKey } from '../test-support/signals.js';
import type { KeyServer, TestKey } from '../test-support/signals.js';

const ISSUER = 'https://idp.test/realms/r';
const AUDIENCE = 'gateway/stream-1';
const user = { format: 'iss_sub', iss: ISSUER, sub: 'user-1' };

let key: TestKey;
let stranger: TestKey;
let keys: KeyServer;
let authorization: string;

const set = (
  type: string,
  subject: unknown,
  overrides: Record<string, unknown> = {},
  body: Record<string, unknown> = {},
  signer?: TestKey,
) =>
  sign(signer ?? key, setClaims(ISSUER, AUDIENCE, Date.now(), { type, subject, body }, overrides), {
    typ: 'secevent+jwt',
    kid: key.kid,
  });

const push = (token: string, headers: Record<string, string> = {}) =>
  fetch(`${suite.url}/ssf/kc/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/secevent+jwt', authorization, ...headers },
    body: token,
  });

beforeAll(async () => {
  key = await testKey('RS256');
  stranger = await testKey('RS256');
  // The test's own keys and the one discovery document that points at them.
  keys = await serveKeys([key], {
    '/ssf-configuration': (base) => ({ issuer: ISSUER, jwks_uri: `${base}/jwks` }),
  });
});
afterAll(async () => {
  await keys.close();
});
const suite = useTestGateway(() => [
  {
    name: 'kc',
    issuer: ISSUER,
    algorithms: ['RS256'],
    maxTokenLifetimeMs: 900_000,
    ssf: {
      configurationUrl: `${keys.url}/ssf-configuration`,
      audience: AUDIENCE,
      delivery: 'push',
      pushUrl: 'http://127.0.0.1:9/ssf/kc/events',
      tokenUrl: `${keys.url}/token`,
      clientId: 'gateway',
      clientSecret: 'secret',
    },
  },
]);
beforeAll(async () => {
  authorization = (await suite.gateway.providers.get('kc')?.ssf?.pushAuthorization()) ?? '';
});

describe('POST /ssf/:provider/events', () => {
  it('answers 202 once a credential change is committed as a subject cutoff at event_timestamp', async () => {
    const before = (await outboxEvents(suite.gateway.store)).length;
    const at = Math.floor(Date.now() / 1000) - 10;
    const answer = await push(
      await set(EVENT_TYPES.credentialChange, user, {}, { event_timestamp: at }),
    );
    expect(answer.status).toBe(202);
    expect((await outboxEvents(suite.gateway.store)).slice(before)).toEqual([
      expect.objectContaining({
        kind: 'subject',
        sub: 'user-1',
        cutoff: (at + 1) * 1000,
        reason: 'password-change',
        iss: ISSUER,
      }),
    ]);
  });

  it('acknowledges a redelivered SET again without a second event', async () => {
    const token = await set(EVENT_TYPES.sessionRevoked, {
      format: 'complex',
      user,
      session: { format: 'opaque', id: 'sid-push' },
    });
    expect((await push(token)).status).toBe(202);
    expect((await push(token)).status).toBe(202);
    const events = (await outboxEvents(suite.gateway.store)).filter(
      (e) => e.kind === 'session' && e.sid === 'sid-push',
    );
    expect(events).toHaveLength(1);
  });

  it('refuses a request without the Authorization header we issued', async () => {
    const token = await set(EVENT_TYPES.credentialChange, user);
    const wrong = await push(token, { authorization: 'Bearer guess' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
    expect(await wrong.json()).toEqual({
      err: 'authentication_failed',
      description: expect.any(String),
    });
    const none = await fetch(`${suite.url}/ssf/kc/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/secevent+jwt' },
      body: token,
    });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('refuses a body that is not application/secevent+jwt', async () => {
    const answer = await push(await set(EVENT_TYPES.credentialChange, user), {
      'content-type': 'application/jwt',
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ err: 'invalid_request' });
  });

  it('answers the RFC’s codes: invalid_key, invalid_issuer, invalid_audience, invalid_request', async () => {
    const codeOf = async (token: string) =>
      ((await (await push(token)).json()) as { err: string }).err;
    expect(await codeOf(await set(EVENT_TYPES.credentialChange, user, {}, {}, stranger))).toBe(
      'invalid_key',
    );
    expect(
      await codeOf(await set(EVENT_TYPES.credentialChange, user, { iss: 'https://evil.test' })),
    ).toBe('invalid_issuer');
    expect(
      await codeOf(await set(EVENT_TYPES.credentialChange, user, { aud: 'gateway/other' })),
    ).toBe('invalid_audience');
    expect(await codeOf('not.a.jwt')).toBe('invalid_request');
  });

  it('asks for a retry (503, Retry-After) of a SET signed with a key it does not know yet (just rotated)', async () => {
    const rotated = await sign(
      stranger,
      setClaims(ISSUER, AUDIENCE, Date.now(), {
        type: EVENT_TYPES.credentialChange,
        subject: user,
      }),
      { typ: 'secevent+jwt' },
    );
    const answer = await push(rotated);
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).not.toBeNull();
    expect(await answer.json()).toMatchObject({ err: 'invalid_key' });
  });

  it('refuses a polled SET longer than the body limit (reported in setErrs, not retried)', async () => {
    const receiver = suite.gateway.providers.get('kc')?.ssf;
    const big = await set(EVENT_TYPES.credentialChange, user, { padding: 'x'.repeat(20_000) });
    const outcome = await receiver?.receive(big, 'ssf-poll');
    expect(outcome).toMatchObject({
      outcome: 'refused',
      error: { code: 'PAYLOAD_TOO_LARGE', answer: { retry: false } },
    });
  });

  it('refuses a subject it cannot map (email), counts it and publishes nothing, then accepts a valid one', async () => {
    const sample =
      'revocation_gateway_signals_total{provider="kc",source="ssf-push",outcome="refused",reason="SUBJECT_UNMAPPABLE"}';
    const counted = await metricValue(suite.url, sample);
    const before = (await outboxEvents(suite.gateway.store)).length;
    const answer = await push(
      await set(EVENT_TYPES.credentialChange, { format: 'email', email: 'a@b.test' }),
    );
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({
      err: 'invalid_request',
      description: expect.stringMatching(/email/),
    });
    expect(await metricValue(suite.url, sample)).toBe(counted + 1);
    expect((await push(await set(EVENT_TYPES.accountDisabled, user))).status).toBe(202);
    const added = (await outboxEvents(suite.gateway.store)).slice(before);
    expect(added.map((e) => e.reason)).toEqual(['ban']);
  });

  it('refuses a cutoff in the future beyond the tolerance (the protocol’s rule)', async () => {
    const before = (await outboxEvents(suite.gateway.store)).length;
    const future = Math.floor(Date.now() / 1000) + 3600;
    const answer = await push(
      await set(EVENT_TYPES.credentialChange, user, {}, { event_timestamp: future }),
    );
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({
      err: 'invalid_request',
      description: expect.stringMatching(/future/),
    });
    expect((await push(await set(EVENT_TYPES.tokenClaimsChange, user))).status).toBe(202);
    expect((await outboxEvents(suite.gateway.store)).slice(before).map((e) => e.reason)).toEqual([
      'role-change',
    ]);
  });

  it('does not count a verification event without state as the answer to a request never made', async () => {
    const receiver = suite.gateway.providers.get('kc')?.ssf;
    const answer = await push(
      await set(EVENT_TYPES.verification, { format: 'opaque', id: 'stream-1' }),
    );
    expect(answer.status).toBe(202);
    expect(receiver?.status().state).not.toBe('verified');
  });

  it('accepts the verification event without a rule', async () => {
    const before = (await outboxEvents(suite.gateway.store)).length;
    const answer = await push(
      await set(EVENT_TYPES.verification, { format: 'opaque', id: 'stream-1' }, {}, { state: 's' }),
    );
    expect(answer.status).toBe(202);
    expect((await push(await set(EVENT_TYPES.credentialChange, user))).status).toBe(202);
    expect((await outboxEvents(suite.gateway.store)).slice(before).map((e) => e.reason)).toEqual([
      'password-change',
    ]);
  });
});
