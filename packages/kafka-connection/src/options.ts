/**
 * The Kafka connection settings of every part of the fabric, in our own words: no Kafka client
 * type appears here, so a package maps them to its client in the one file that imports it.
 */
import type { ConnectionOptions, KeyObject, PxfObject } from 'node:tls';

/** The SASL mechanisms the fabric speaks (the local cluster's secured mode uses SCRAM). */
export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/** One of {@link KAFKA_SASL_MECHANISMS}. */
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/**
 * SASL authentication towards the brokers: one member per mechanism, so it fits the Kafka
 * clients' discriminated unions as it is.
 */
export type KafkaSasl = {
  readonly [M in KafkaSaslMechanism]: {
    /** SASL mechanism. */
    readonly mechanism: M;
    /** The principal's name. */
    readonly username: string;
    /** The principal's password; never part of an error message. */
    readonly password: string;
  };
}[KafkaSaslMechanism];

/**
 * TLS towards the brokers: the part of Node's TLS options a client needs. PEM strings or
 * buffers; Node's defaults apply to what is left out.
 */
export interface KafkaTlsOptions {
  /** Trusted CA certificates. Default: Node's bundled roots. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[] | undefined;
  /** Client certificate chain, for mutual TLS. Default: none. */
  readonly cert?: string | Buffer | readonly (string | Buffer)[] | undefined;
  /** Client private key, for mutual TLS. Default: none. */
  readonly key?: string | Buffer | readonly (string | Buffer | KeyObject)[] | undefined;
  /** Passphrase of `key` or `pfx`. Default: none. */
  readonly passphrase?: string | undefined;
  /** PKCS#12 key and certificate, instead of `key` and `cert`. Default: none. */
  readonly pfx?: string | Buffer | readonly (string | Buffer | PxfObject)[] | undefined;
  /** Refuse brokers whose certificate does not verify. Default `true`. */
  readonly rejectUnauthorized?: boolean | undefined;
  /** Server name for SNI and the certificate check. Default: the broker's host. */
  readonly servername?: string | undefined;
}

/** The names of {@link KafkaTlsOptions}, the only TLS options accepted. */
export const KAFKA_TLS_OPTION_NAMES = [
  'ca',
  'cert',
  'key',
  'passphrase',
  'pfx',
  'rejectUnauthorized',
  'servername',
] as const satisfies readonly (keyof KafkaTlsOptions)[];

/** How to reach the brokers: the options every Kafka-facing factory of the fabric takes. */
export interface KafkaConnectionOptions {
  /** Bootstrap brokers, `host:port`. Required, at least one. */
  readonly brokers: readonly string[];
  /** Client id the brokers see (and ACLs may name). Default: the package's own. */
  readonly clientId?: string | undefined;
  /** TLS: `true` for Node's defaults (system CAs), or the details. Default: plaintext. */
  readonly tls?: boolean | KafkaTlsOptions | undefined;
  /** SASL mechanism and credentials. Default: none. */
  readonly sasl?: KafkaSasl | undefined;
  /** Time to establish a broker connection, in ms. Default 3000. */
  readonly connectionTimeoutMs?: number | undefined;
}

/** Node's TLS options as a client takes them: {@link KafkaTlsOptions} copied, arrays included. */
export type KafkaTlsConnectionOptions = Pick<
  ConnectionOptions,
  (typeof KAFKA_TLS_OPTION_NAMES)[number]
>;

/** {@link KafkaConnectionOptions} checked, copied and with every default filled in. */
export interface KafkaConnection {
  /** A copy the caller owns. */
  readonly brokers: string[];
  readonly clientId: string;
  /** `undefined`: plaintext; `true`: Node's defaults; else the options, copied. */
  readonly tls: true | KafkaTlsConnectionOptions | undefined;
  /** A copy of the caller's object (see `resolveKafkaConnection`). */
  readonly sasl: KafkaSasl | undefined;
  /** ms */
  readonly connectionTimeoutMs: number;
}
