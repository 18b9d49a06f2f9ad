/**
 * The revocation gateway as a child process, configured for the demo's Keycloak realm, and ready
 * once its SSF stream is registered at Keycloak (before that, a password reset in Keycloak
 * would reach no one).
 */
import { join } from 'node:path';
import type { KeycloakPeer } from './keycloak-peer.js';
import { PROVIDER_NAME } from './keycloak-peer.js';
import { startService } from './service-process.js';
import type { ServiceProcess } from './service-process.js';

/** Options of {@link startGateway}. */
export interface GatewayOptions {
  readonly entry: string;
  readonly peer: KeycloakPeer;
  /** The environment it shares with the other services (node, Kafka, topic). */
  readonly env: Readonly<Record<string, string>>;
  readonly workDir: string;
  readonly log: (line: string) => void;
  /** How long the stream may take to be registered. Default: 60 s. */
  readonly streamTimeoutMs?: number;
}

/** The SSF state `/readyz` reports for the demo's provider, or `undefined` if none yet. */
async function streamState(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
    const body = (await response.json()) as { ssf?: Record<string, { state?: unknown }> };
    const state = body.ssf?.[PROVIDER_NAME]?.state;
    return typeof state === 'string' ? state : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts the gateway on the peer's port and waits for its SSF stream.
 *
 * @throws Error when the stream is not registered in time (the gateway is stopped first).
 * @example
 * ```ts
 * const gateway = await startGateway({ entry, peer, env, workDir, log: console.error });
 * ```
 */
export async function startGateway(options: GatewayOptions): Promise<ServiceProcess> {
  const { peer, log } = options;
  const url = `http://127.0.0.1:${peer.gatewayPort}`;
  log(`starting revocation-gateway at ${url}`);
  const child = await startService({
    name: 'revocation-gateway',
    entry: options.entry,
    url,
    logFile: join(options.workDir, 'revocation-gateway.log'),
    env: {
      ...options.env,
      HOST: '127.0.0.1',
      PORT: String(peer.gatewayPort),
      SQLITE_PATH: join(options.workDir, 'revocation-gateway.sqlite'),
      OUTBOX_POLL_INTERVAL_MS: '200',
      ...peer.gatewayEnv,
    },
  });
  const deadline = Date.now() + (options.streamTimeoutMs ?? 60_000);
  let state: string | undefined;
  while (Date.now() < deadline) {
    state = await streamState(url);
    if (state === 'registered' || state === 'verified') {
      log(`revocation-gateway: SSF ${peer.ssfDelivery} stream ${state}`);
      return child;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await child.stop();
  throw new Error(
    `the gateway's SSF stream was not registered within the wait (state ${state ?? 'unknown'}); see ${child.logFile}`,
  );
}
