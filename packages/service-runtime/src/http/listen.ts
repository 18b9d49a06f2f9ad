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

/** Options of {@link closeGracefully}. */
export interface CloseOptions {
  /** How long requests in flight may take. Default {@link SHUTDOWN_GRACE_MS}. */
  readonly graceMs?: number | undefined;
  /**
   * Closes the server and resolves once it is closed; default `server.close()`. A socket.io
   * server gives `() => io.close()`, which disconnects its sockets first.
   */
  readonly close?: (() => Promise<void>) | undefined;
}

/**
 * Stops accepting connections, closes idle ones, lets requests in flight finish for the grace
 * period, then closes what is left.
 *
 * @example
 * ```ts
 * await closeGracefully(server);
 * await closeGracefully(http, { close: () => io.close() });
 * ```
 */
export async function closeGracefully(server: Server, options: CloseOptions = {}): Promise<void> {
  const closed = options.close?.() ?? new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(
    () => server.closeAllConnections(),
    options.graceMs ?? SHUTDOWN_GRACE_MS,
  );
  timer.unref();
  await closed;
  clearTimeout(timer);
}
