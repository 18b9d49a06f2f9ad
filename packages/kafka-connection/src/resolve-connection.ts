import { KafkaOptionError } from './errors.js';
import { describe, isRecord } from './lib/describe.js';
import { resolveTls } from './lib/tls.js';
import { KAFKA_SASL_MECHANISMS } from './options.js';
import type { KafkaConnection, KafkaSasl, KafkaSaslMechanism } from './options.js';

/** Default of `connectionTimeoutMs`, ms. */
export const DEFAULT_CONNECTION_TIMEOUT_MS = 3_000;

/** How {@link resolveKafkaConnection} fills in and names what it checks. */
export interface ResolveKafkaConnectionOptions {
  /** The client id when the options give none: the package's own (`revocation-verifier`, …). */
  readonly defaultClientId: string;
  /** How messages name the options object: `${name}.brokers must be …`. Default `kafka`. */
  readonly name?: string | undefined;
}

/** `host:port`, the host possibly a bracketed IPv6 address. */
const BROKER = /^(?:\[[0-9a-fA-F:.]+\]|[^\s:[\]/]+):(\d{1,5})$/;

function isBroker(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const port = BROKER.exec(value)?.[1];
  return port !== undefined && Number(port) >= 1 && Number(port) <= 65_535;
}

function resolveBrokers(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every(isBroker)) {
    const culprit: unknown = Array.isArray(value) ? value.find((b) => !isBroker(b)) : undefined;
    const got = Array.isArray(value) && value.length > 0 ? describe(culprit) : describe(value);
    throw new KafkaOptionError(
      'brokers',
      `${name}.brokers must be a non-empty array of host:port strings, got ${got}`,
    );
  }
  return [...(value as string[])];
}

function isMechanism(value: unknown): value is KafkaSaslMechanism {
  return (KAFKA_SASL_MECHANISMS as readonly unknown[]).includes(value);
}

function resolveSasl(value: unknown, name: string): KafkaSasl | undefined {
  if (value === undefined) return undefined;
  const shape = `{ mechanism: ${KAFKA_SASL_MECHANISMS.map((m) => `'${m}'`).join(' | ')}, username, password }`;
  if (!isRecord(value)) {
    throw new KafkaOptionError('sasl', `${name}.sasl must be ${shape}, got ${describe(value)}`);
  }
  const { mechanism, username, password } = value;
  if (!isMechanism(mechanism)) {
    throw new KafkaOptionError(
      'sasl',
      `${name}.sasl.mechanism must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}, got ${describe(mechanism)}`,
    );
  }
  if (typeof username !== 'string' || username.length === 0) {
    throw new KafkaOptionError(
      'sasl',
      `${name}.sasl.username must be a non-empty string, got ${describe(username)}`,
    );
  }
  if (typeof password !== 'string' || password.length === 0) {
    // Never the password itself, not even part of it: its kind only.
    const got = typeof password === 'string' ? 'an empty string' : typeof password;
    throw new KafkaOptionError(
      'sasl',
      `${name}.sasl.password must be a non-empty string, got ${got}`,
    );
  }
  // A copy: kafkajs stores its authentication state on the object it is given, bound to the
  // password it first saw, so a caller's object reused with another password would keep the old.
  return { mechanism, username, password };
}

/**
 * Checks Kafka connection options once, where they are given, and returns them copied with
 * every default filled in. Other properties of `value` (a topic, a logger…) are ignored: the
 * caller checks its own.
 *
 * @example
 * ```ts
 * const connection = resolveKafkaConnection(
 *   { brokers: ['kafka-1:9093'], tls: true, sasl: { mechanism: 'scram-sha-512', username, password } },
 *   { defaultClientId: 'my-service' },
 * );
 * ```
 * @throws KafkaOptionError (a `TypeError`) naming the first option at fault:
 *   `kafka.brokers must be a non-empty array of host:port strings, got …`.
 */
export function resolveKafkaConnection(
  value: unknown,
  how: ResolveKafkaConnectionOptions,
): KafkaConnection {
  const name = how.name ?? 'kafka';
  if (!isRecord(value)) {
    throw new KafkaOptionError(
      'options',
      `${name} options must be an object, got ${describe(value)}`,
    );
  }
  const brokers = resolveBrokers(value.brokers, name);
  const { clientId, connectionTimeoutMs } = value;
  if (clientId !== undefined && (typeof clientId !== 'string' || clientId.length === 0)) {
    throw new KafkaOptionError(
      'clientId',
      `${name}.clientId must be a non-empty string, got ${describe(clientId)}`,
    );
  }
  const tls = resolveTls(value.tls, name);
  const sasl = resolveSasl(value.sasl, name);
  if (
    connectionTimeoutMs !== undefined &&
    (typeof connectionTimeoutMs !== 'number' ||
      !Number.isSafeInteger(connectionTimeoutMs) ||
      connectionTimeoutMs < 1)
  ) {
    throw new KafkaOptionError(
      'connectionTimeoutMs',
      `${name}.connectionTimeoutMs must be an integer number of milliseconds ≥ 1, got ${describe(connectionTimeoutMs)}`,
    );
  }
  return {
    brokers,
    clientId: clientId ?? how.defaultClientId,
    tls,
    sasl,
    connectionTimeoutMs: connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
  };
}
