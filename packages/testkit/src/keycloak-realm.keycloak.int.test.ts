import { createRemoteJWKSet, jwtVerify } from 'jose';
import { describe, expect, inject, it } from 'vitest';
import { keycloakRealm } from './keycloak-realm.js';

const keycloak = inject('keycloak');

describe('keycloakRealm', () => {
  it('gives each caller a realm of its own whose users log in with the issuer and audience it names', async () => {
    const first = await keycloakRealm(keycloak, { prefix: 'testkit', clientId: 'svc' });
    const second = await keycloakRealm(keycloak, { prefix: 'testkit', clientId: 'svc' });
    try {
      expect(first.name).not.toBe(second.name);
      const user = await first.addUser();
      const tokens = await first.login(user);
      const { payload } = await jwtVerify(
        tokens.accessToken,
        createRemoteJWKSet(new URL(first.jwksUri)),
        { issuer: first.issuer, audience: 'svc' },
      );
      expect(payload.sub).toBe(user.id);
      await expect(second.login(user)).rejects.toMatchObject({ status: 400 });
    } finally {
      await first.remove();
      await second.remove();
    }
    const gone = await fetch(`${first.issuer}/.well-known/openid-configuration`);
    expect(gone.status).toBe(404);
  });

  it('refuses a prefix that would make an awkward realm name', async () => {
    await expect(keycloakRealm(keycloak, { prefix: 'Has Spaces' })).rejects.toThrow(TypeError);
  });
});
