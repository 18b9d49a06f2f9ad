import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  logoutForm,
  metricValue,
  outboxEvents,
  postLogout,
  postLogoutToken,
  useTestGateway,
} from '../test-support/harness.js';
import { logoutProvider, serveKeys, signLogoutToken, testKey } from '../test-support/signals.js';
import type { KeyServer, TestKey } from '../test-support/signals.js';

const ISSUER = 'https://idp.test/realms/r';

let key: TestKey;
let keys: KeyServer;

const token = (overrides: Record<string, unknown> = {}) => signLogoutToken(key, ISSUER, overrides);

beforeAll(async () => {
  key = await testKey('RS256');
  keys = await serveKeys([key]);
});
afterAll(async () => {
  await keys.close();
});
const suite = useTestGateway(() => [logoutProvider('kc', ISSUER, keys.jwksUrl)], {
  BODY_LIMIT_BYTES: '4096',
});

describe('POST /backchannel-logout/:provider', () => {
  it('answers 200 no-store once the session rule is in the outbox, with the provider as iss', async () => {
    const before = (await outboxEvents(suite.gateway.store)).length;
    const answer = await postLogoutToken(suite.url, 'kc', await token({ sid: 'sid-accepted' }));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const events = await outboxEvents(suite.gateway.store);
    expect(events.slice(before)).toEqual([
      expect.objectContaining({
        kind: 'session',
        sid: 'sid-accepted',
        reason: 'logout',
        iss: ISSUER,
        actor: 'gateway:kc',
      }),
    ]);
  });

  it('refuses a replayed jti with 400 and commits nothing for it', async () => {
    const form = logoutForm(await token({ sid: 'sid-replayed' }));
    expect((await postLogout(suite.url, 'kc', form)).status).toBe(200);
    const replay = await postLogout(suite.url, 'kc', form);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toEqual({
      error: 'invalid_request',
      error_description: expect.stringMatching(/already/),
    });
    const matching = (await outboxEvents(suite.gateway.store)).filter(
      (e) => e.kind === 'session' && e.sid === 'sid-replayed',
    );
    expect(matching).toHaveLength(1);
  });

  it('answers a refused token with the spec’s error body and publishes nothing, then accepts a valid one', async () => {
    const before = (await outboxEvents(suite.gateway.store)).length;
    const refused = await postLogoutToken(
      suite.url,
      'kc',
      await token({ sid: 'sid-nonce', nonce: 'n' }),
    );
    expect(refused.status).toBe(400);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(await refused.json()).toEqual({
      error: 'invalid_request',
      error_description: 'a logout token must not contain nonce',
    });
    // The round trip: a valid token after it is the only new event.
    const after = await postLogoutToken(suite.url, 'kc', await token({ sid: 'sid-after' }));
    expect(after.status).toBe(200);
    const added = (await outboxEvents(suite.gateway.store)).slice(before);
    expect(added.map((e) => (e.kind === 'session' ? e.sid : e.kind))).toEqual(['sid-after']);
  });

  it('asks for a retry (503, Retry-After) of a token signed with a key it does not know yet', async () => {
    const rotated = await testKey('RS256');
    const form = logoutForm(await signLogoutToken(rotated, ISSUER));
    const answer = await postLogout(suite.url, 'kc', form);
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).not.toBeNull();
  });

  it('refuses a token without exp', async () => {
    const answer = await postLogoutToken(suite.url, 'kc', await token({ exp: undefined }));
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('refuses a body that is not a form', async () => {
    const answer = await postLogout(
      suite.url,
      'kc',
      JSON.stringify({ logout_token: await token() }),
      'application/json',
    );
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({
      error: 'invalid_request',
      error_description: expect.stringMatching(/urlencoded/),
    });
  });

  it('refuses a form without logout_token, or with two', async () => {
    expect((await postLogout(suite.url, 'kc', 'other=1')).status).toBe(400);
    const t = await token();
    expect((await postLogout(suite.url, 'kc', `logout_token=${t}&logout_token=${t}`)).status).toBe(
      400,
    );
  });

  it('refuses a malformed logout token', async () => {
    const answer = await postLogoutToken(suite.url, 'kc', 'garbage');
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('answers 413 to a body over the limit', async () => {
    const answer = await postLogoutToken(suite.url, 'kc', 'x'.repeat(8000));
    expect(answer.status).toBe(413);
    expect(await answer.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('answers 404 for an unknown provider', async () => {
    expect((await postLogoutToken(suite.url, 'nobody', await token())).status).toBe(404);
  });

  it('counts accepted, duplicate and refused signals by provider, source and reason', async () => {
    const labels = (outcome: string, reason: string) =>
      `revocation_gateway_signals_total{provider="kc",source="backchannel",outcome="${outcome}",reason="${reason}"}`;
    const accepted = await metricValue(suite.url, labels('accepted', 'logout'));
    const nonce = await metricValue(suite.url, labels('refused', 'NONCE_PRESENT'));
    const form = logoutForm(await token({ sid: 'sid-metrics' }));
    await postLogout(suite.url, 'kc', form);
    await postLogout(suite.url, 'kc', form);
    await postLogoutToken(suite.url, 'kc', await token({ nonce: 'x' }));
    expect(await metricValue(suite.url, labels('accepted', 'logout'))).toBe(accepted + 1);
    expect(await metricValue(suite.url, labels('duplicate', 'replay'))).toBeGreaterThanOrEqual(1);
    expect(await metricValue(suite.url, labels('refused', 'NONCE_PRESENT'))).toBe(nonce + 1);
  });

  it('answers the fabric’s error body elsewhere (404, 405)', async () => {
    const missing = await fetch(`${suite.url}/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const wrongMethod = await fetch(`${suite.url}/backchannel-logout/kc`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });
});
