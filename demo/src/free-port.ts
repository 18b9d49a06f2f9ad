import { createServer } from 'node:net';

/**
 * A TCP port nobody listens on right now, from the kernel's ephemeral range. Another process
 * could take it before the child binds it; on a developer machine that race is remote enough.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port was assigned');
  return address.port;
}
