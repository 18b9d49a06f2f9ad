/**
 * A cheap "does the broker answer?" check, with no Kafka client: one ApiVersions request over a
 * fresh TCP (or TLS) connection to each bootstrap broker. ApiVersions is the one request a
 * broker answers before authentication (SASL listeners included), and a KRaft broker only
 * starts processing requests once it is unfenced — an accepted TCP connection alone proves
 * nothing, the listening socket is bound long before. The publisher's relay probes while it waits to
 * retry a failed publish, and the verifier's Kafka feed while it is out of contact, to notice the
 * broker's return at once instead of sleeping out a backoff. It lives beside the connection
 * settings it probes with, because both packages need it and packages do not import each other;
 * it speaks only the one request and is no Kafka client.
 */
import { createConnection } from 'node:net';
import type { Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { ConnectionOptions } from 'node:tls';

const API_VERSIONS_KEY = 18;
const API_VERSIONS_VERSION = 0;
const CLIENT_ID = 'revocation-probe';

/** Where and how to probe. */
export interface BrokerProbeOptions {
  /** Bootstrap brokers, `host:port`. */
  readonly brokers: readonly string[];
  /**
   * TLS: `true` (system CAs) or Node TLS options (a resolved connection's `tls`); plaintext when
   * absent or `false`.
   */
  readonly tls: boolean | ConnectionOptions | undefined;
  /** Per-broker deadline for connect + answer, ms. */
  readonly timeoutMs: number;
}

function encodeApiVersionsRequest(correlationId: number): Buffer {
  const clientId = Buffer.from(CLIENT_ID, 'utf8');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
  let offset = body.writeInt16BE(API_VERSIONS_KEY, 0);
  offset = body.writeInt16BE(API_VERSIONS_VERSION, offset);
  offset = body.writeInt32BE(correlationId, offset);
  offset = body.writeInt16BE(clientId.length, offset);
  clientId.copy(body, offset);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

function splitBroker(broker: string): { host: string; port: number } {
  const at = broker.lastIndexOf(':');
  return { host: broker.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(broker.slice(at + 1)) };
}

/** One broker: resolves true when it answers with a frame echoing our correlation id. */
function probeOne(broker: string, options: BrokerProbeOptions): Promise<boolean> {
  const { host, port } = splitBroker(broker);
  const correlationId = Math.floor(Math.random() * 0x7fffffff);
  return new Promise((resolve) => {
    let socket: Socket;
    let received = Buffer.alloc(0);
    const finish = (answered: boolean): void => {
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.destroy();
      resolve(answered);
    };
    const send = (): void => {
      socket.write(encodeApiVersionsRequest(correlationId));
    };
    if (options.tls === undefined || options.tls === false) {
      socket = createConnection({ host, port }, send);
    } else {
      const tls = options.tls === true ? {} : options.tls;
      socket = connectTls({ servername: host, ...tls, host, port }, send);
    }
    socket.setTimeout(options.timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 8) return;
      finish(received.readInt32BE(4) === correlationId);
    });
  });
}

/**
 * Probes every bootstrap broker at once; resolves true as soon as one answers, false when none
 * does within `timeoutMs`. Never rejects.
 *
 * @example
 * ```ts
 * if (await probeBrokers({ brokers: ['kafka-1:9092'], tls: undefined, timeoutMs: 1000 })) restart();
 * ```
 */
export function probeBrokers(options: BrokerProbeOptions): Promise<boolean> {
  return new Promise((resolve) => {
    let pending = options.brokers.length;
    if (pending === 0) resolve(false);
    for (const broker of options.brokers) {
      void probeOne(broker, options).then((answered) => {
        pending -= 1;
        if (answered) resolve(true);
        else if (pending === 0) resolve(false);
      });
    }
  });
}
