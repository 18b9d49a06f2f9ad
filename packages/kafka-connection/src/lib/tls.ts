/**
 * The `tls` option checked and copied: only the options named in `KAFKA_TLS_OPTION_NAMES`, each
 * of the type Node expects, so a misspelt option fails where it is given instead of being
 * ignored by the client (a silently dropped `ca` would mean trusting the system's roots).
 */
import { KafkaOptionError } from '../errors.js';
import { KAFKA_TLS_OPTION_NAMES } from '../options.js';
import type { KafkaTlsConnectionOptions } from '../options.js';
import { describe, isRecord } from './describe.js';

type TlsOptionName = (typeof KAFKA_TLS_OPTION_NAMES)[number];

const PEM = 'PEM text, a Buffer or an array of them';
/** What each option must be: the check, and its description for the message. */
const CHECKS: Record<TlsOptionName, readonly [(value: unknown) => boolean, string]> = {
  ca: [(v) => isPemOrList(v, false), PEM],
  cert: [(v) => isPemOrList(v, false), PEM],
  // An array entry of `key` may be { pem, passphrase }, of `pfx` { buf, passphrase }.
  key: [(v) => isPemOrList(v, true), `${PEM} (or of { pem, passphrase })`],
  pfx: [(v) => isPemOrList(v, true), `${PEM} (or of { buf, passphrase })`],
  passphrase: [(v) => typeof v === 'string', 'a string'],
  rejectUnauthorized: [(v) => typeof v === 'boolean', 'a boolean'],
  servername: [(v) => typeof v === 'string' && v.length > 0, 'a non-empty string'],
};

function isPem(value: unknown): boolean {
  return typeof value === 'string' || Buffer.isBuffer(value);
}

function isPemOrList(value: unknown, entryObjects: boolean): boolean {
  if (isPem(value)) return true;
  return Array.isArray(value) && value.every((v) => isPem(v) || (entryObjects && isRecord(v)));
}

function isTlsOptionName(name: string): name is TlsOptionName {
  return (KAFKA_TLS_OPTION_NAMES as readonly string[]).includes(name);
}

/** `false`/absent: plaintext (`undefined`); `true`; or a checked copy of the options. */
export function resolveTls(
  value: unknown,
  name: string,
): true | KafkaTlsConnectionOptions | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return true;
  if (!isRecord(value) || Buffer.isBuffer(value)) {
    throw new KafkaOptionError(
      'tls',
      `${name}.tls must be a boolean or TLS options, got ${describe(value)}`,
    );
  }
  const copy: Record<string, unknown> = {};
  for (const [option, given] of Object.entries(value)) {
    if (!isTlsOptionName(option)) {
      throw new KafkaOptionError(
        'tls',
        `${name}.tls.${option} is not a supported TLS option (give only ${KAFKA_TLS_OPTION_NAMES.join(', ')})`,
      );
    }
    if (given === undefined) continue;
    const [check, expected] = CHECKS[option];
    if (!check(given)) {
      // The passphrase is a secret: its kind only.
      const got = option === 'passphrase' ? typeof given : describe(given);
      throw new KafkaOptionError('tls', `${name}.tls.${option} must be ${expected}, got ${got}`);
    }
    copy[option] = Array.isArray(given) ? [...(given as readonly unknown[])] : given;
  }
  return copy;
}
