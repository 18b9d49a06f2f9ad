/**
 * SASL credentials for the brokers `KAFKA_BROKERS` names, from the same variables the services
 * read (`KAFKA_SASL_MECHANISM`, `KAFKA_SASL_USERNAME`, `KAFKA_SASL_PASSWORD`), so a secured
 * broker someone else runs (the secured compose stack) can be confirmed like a plain one.
 */
import { KAFKA_SASL_MECHANISMS as MECHANISMS } from '@revocation-fabric/kafka-connection';
import type { KafkaSasl } from '@revocation-fabric/kafka-connection';

/**
 * The credentials of `env`, or `undefined` when `KAFKA_SASL_MECHANISM` is unset or empty.
 *
 * @throws TypeError naming the variable when the mechanism is unknown or a username or password
 *   is missing.
 */
export function saslFromEnvironment(env: NodeJS.ProcessEnv): KafkaSasl | undefined {
  const mechanism = env['KAFKA_SASL_MECHANISM']?.trim().toLowerCase();
  if (mechanism === undefined || mechanism === '') return undefined;
  const known = MECHANISMS.find((name) => name === mechanism);
  if (known === undefined) {
    throw new TypeError(
      `KAFKA_SASL_MECHANISM: expected one of ${MECHANISMS.join(', ')}, got ${JSON.stringify(mechanism)}`,
    );
  }
  const username = env['KAFKA_SASL_USERNAME'];
  const password = env['KAFKA_SASL_PASSWORD'];
  if (username === undefined || username === '') {
    throw new TypeError('KAFKA_SASL_USERNAME: required with KAFKA_SASL_MECHANISM');
  }
  if (password === undefined || password === '') {
    throw new TypeError('KAFKA_SASL_PASSWORD: required with KAFKA_SASL_MECHANISM');
  }
  return { mechanism: known, username, password };
}
