import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PortInUseError } from './errors.js';
import { startKeycloak } from './start-keycloak.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function listen(): Promise<number> {
  server = createServer();
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('startKeycloak', () => {
  it('refuses a port another process listens on, before starting anything', async () => {
    const port = await listen();
    const attempt = startKeycloak({ port, name: `port-check-${port}` });
    await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
    await expect(attempt).rejects.toMatchObject({ code: 'PORT_IN_USE', port });
  });

  it('refuses a busy management port too', async () => {
    const busy = await listen();
    const attempt = startKeycloak({ port: busy - 1, managementPort: busy, name: `mgmt-${busy}` });
    await expect(attempt).rejects.toMatchObject({ code: 'PORT_IN_USE', port: busy });
  });

  it.each([80, 70_000, 1.5])('refuses the port %s as a TypeError', async (port) => {
    await expect(startKeycloak({ port })).rejects.toThrow(TypeError);
  });
});
