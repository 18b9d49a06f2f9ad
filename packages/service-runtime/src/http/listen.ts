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

/** The steps of a service that serves HTTP, around listening. */
export interface HttpServiceSteps {
  readonly server: Server;
  readonly address: ListenAddress;
  /** Before listening: connect, migrate, warm up. */
  readonly prepare: () => Promise<void>;
  /** Once listening, with the base URL: what needs the server up (receivers called back). */
  readonly listening?: ((url: string) => Promise<void> | void) | undefined;
  /** After the server closed: release what `prepare` and `listening` took. */
  readonly release: () => Promise<void>;
  /** Closes the server; default {@link closeGracefully}. */
  readonly close?: (() => Promise<void>) | undefined;
}

/**
 * The start and stop steps of a service that serves HTTP: prepare, listen, then what needs
 * the server up; on stop, close the server gracefully (if it listens), then release.
 *
 * @example
 * ```ts
 * let url: string | undefined;
 * const life = lifecycle('gateway', httpServiceSteps({ server, address, prepare, release }, (u) => (url = u)));
 * ```
 */
export function httpServiceSteps(
  steps: HttpServiceSteps,
  onUrl: (url: string | undefined) => void,
): { start: () => Promise<string>; stop: () => Promise<void> } {
  return {
    async start() {
      await steps.prepare();
      const url = await listen(steps.server, steps.address);
      onUrl(url);
      await steps.listening?.(url);
      return url;
    },
    async stop() {
      onUrl(undefined);
      if (steps.server.listening) await (steps.close?.() ?? closeGracefully(steps.server));
      await steps.release();
    },
  };
}

/** A task repeated on an unref'd timer until stopped. */
export interface Repeating {
  stop(): void;
}

/**
 * Runs `task` every `everyMs` on a timer that does not keep the process alive; a failure is
 * handed to `onError` and the schedule goes on.
 *
 * @example
 * ```ts
 * const purge = repeat(600_000, () => purgeSeenSignals(db, now()), (err) => logger.warn({ err }, 'purge failed'));
 * purge.stop();
 * ```
 */
export function repeat(
  everyMs: number,
  task: () => Promise<unknown>,
  onError: (error: unknown) => void,
): Repeating {
  const timer = setInterval(() => {
    task().catch(onError);
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
