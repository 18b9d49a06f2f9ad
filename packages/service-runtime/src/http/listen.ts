/**
 * Listening and stopping, alike in every service: the URL a test or a log line can use, and a
 * graceful close that lets requests in flight finish for a grace period, then cuts the rest.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Where to listen. Port 0 picks a free one. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * Starts `server` listening and resolves with its base URL; a wildcard host is reported as
 * `127.0.0.1`, an IPv6 one in brackets.
 *
 * @example
 * ```ts
 * const url = await listen(createServer(app), { host: '0.0.0.0', port: 0 }); // http://127.0.0.1:41234
 * ```
 */
export async function listen(server: Server, address: ListenAddress): Promise<string> {
  server.listen(address.port, address.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const host = ['0.0.0.0', '::', ''].includes(address.host) ? '127.0.0.1' : address.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** How long requests in flight may take to finish once a service stops. */
export const SHUTDOWN_GRACE_MS = 5000;

/**
 * Stops accepting connections, closes idle ones, lets requests in flight finish for
 * `graceMs`, then closes what is left.
 *
 * @example
 * ```ts
 * await closeGracefully(server);
 * ```
 */
export async function closeGracefully(server: Server, graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  timer.unref();
  await closed;
  clearTimeout(timer);
}
