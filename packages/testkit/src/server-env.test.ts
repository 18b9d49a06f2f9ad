import { afterEach, describe, expect, it, vi } from 'vitest';
import { getKeycloak } from './get-keycloak.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

// How getKeycloak reads its environment; reaching a real server is the keycloak project's job.
describe('getKeycloak', () => {
  it('refuses KEYCLOAK_URL without the admin login, naming the missing variable', async () => {
    vi.stubEnv('KEYCLOAK_URL', 'http://127.0.0.1:1');
    vi.stubEnv('KEYCLOAK_ADMIN_USERNAME', '');
    await expect(getKeycloak()).rejects.toThrow(/KEYCLOAK_ADMIN_USERNAME/);
  });

  it('reports a KEYCLOAK_URL nobody answers at as a typed error', async () => {
    vi.stubEnv('KEYCLOAK_URL', 'http://127.0.0.1:1/');
    vi.stubEnv('KEYCLOAK_ADMIN_USERNAME', 'admin');
    vi.stubEnv('KEYCLOAK_ADMIN_PASSWORD', 'pw');
    await expect(getKeycloak()).rejects.toMatchObject({ code: 'ADMIN_REQUEST_FAILED', status: 0 });
  });

  it.each(['80', 'x', '70000'])('refuses KEYCLOAK_LOCAL_PORT=%s', async (port) => {
    vi.stubEnv('KEYCLOAK_URL', '');
    vi.stubEnv('KEYCLOAK_LOCAL_PORT', port);
    await expect(getKeycloak()).rejects.toThrow(/KEYCLOAK_LOCAL_PORT/);
  });
});
