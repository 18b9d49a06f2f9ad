import { createConnection, type Socket } from 'node:net';
import { scramClient } from './scram.js';

/**
 * A minimal Kafka protocol connection over a raw socket: request header v1 (non-flexible), one
 * request in flight at a time. Enough for readiness probes, SASL/SCRAM and ACL creation without
 * a Kafka client dependency; every API used here has a non-flexible version Kafka 4.x accepts.
 */
export class KafkaWire {
  readonly #socket: Socket;
  #received = Buffer.alloc(0);
  #pending: { resolve: (frame: Buffer) => void; reject: (error: Error) => void } | undefined;
  #failure: Error | undefined;
  #correlation = Math.floor(Math.random() * 0x7fff0000);

  private constructor(socket: Socket, timeoutMs: number) {
    this.#socket = socket;
    socket.setTimeout(timeoutMs, () =>
      this.#fail(new Error(`no answer from the broker within ${timeoutMs} ms`)),
    );
    socket.on('error', (error) => this.#fail(error));
    socket.on('close', () => this.#fail(new Error('connection closed by the broker')));
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
  }

  /** Connects to `host:port`; every later step fails after `timeoutMs` of silence. */
  static connect(host: string, port: number, timeoutMs: number): Promise<KafkaWire> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host, port });
      socket.once('error', reject);
      socket.setTimeout(timeoutMs, () => {
        socket.destroy();
        reject(new Error(`no connection within ${timeoutMs} ms`));
      });
      socket.once('connect', () => {
        socket.removeListener('error', reject);
        resolve(new KafkaWire(socket, timeoutMs));
      });
    });
  }

  /** Sends one request and resolves with the response body (after the correlation id). */
  request(
    apiKey: number,
    version: number,
    body: Buffer,
    clientId = 'kafka-local',
  ): Promise<Buffer> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const correlationId = (this.#correlation += 1);
    const client = Buffer.from(clientId, 'utf8');
    const header = Buffer.alloc(10 + client.length);
    header.writeInt16BE(apiKey, 0);
    header.writeInt16BE(version, 2);
    header.writeInt32BE(correlationId, 4);
    header.writeInt16BE(client.length, 8);
    client.copy(header, 10);
    const size = Buffer.alloc(4);
    size.writeInt32BE(header.length + body.length, 0);
    return new Promise<Buffer>((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#socket.write(Buffer.concat([size, header, body]));
    }).then((frame) => {
      const echoed = frame.readInt32BE(0);
      if (echoed !== correlationId) {
        throw new Error(`response has correlation id ${echoed}, expected ${correlationId}`);
      }
      return frame.subarray(4);
    });
  }

  /** Raw request frame for callers that already hold an encoded request (size prefix included). */
  send(frame: Buffer): Promise<Buffer> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#socket.write(frame);
    });
  }

  /** SASL/SCRAM (SaslHandshake v1 + SaslAuthenticate v1) as `username`. */
  async authenticate(
    mechanism: 'SCRAM-SHA-512',
    username: string,
    password: string,
  ): Promise<void> {
    const handshake = await this.request(17, 1, encodeString(mechanism));
    const handshakeError = handshake.readInt16BE(0);
    if (handshakeError !== 0) {
      throw new Error(`broker refused SASL mechanism ${mechanism} (error code ${handshakeError})`);
    }
    const scram = scramClient(username, password);
    let message = scram.first();
    for (;;) {
      const length = Buffer.alloc(4);
      length.writeInt32BE(message.length, 0);
      const response = await this.request(36, 1, Buffer.concat([length, message]));
      const errorCode = response.readInt16BE(0);
      const messageLength = response.readInt16BE(2);
      let offset = 4 + Math.max(messageLength, 0);
      if (errorCode !== 0) {
        const reason = messageLength < 0 ? '' : response.toString('utf8', 4, offset);
        throw new Error(
          `SASL authentication as ${username} failed (error code ${errorCode}): ${reason}`,
        );
      }
      const bytes = response.readInt32BE(offset);
      offset += 4;
      const next = scram.answer(response.subarray(offset, offset + Math.max(bytes, 0)));
      if (next === undefined) return;
      message = next;
    }
  }

  close(): void {
    this.#socket.removeAllListeners('close');
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    this.#received = Buffer.concat([this.#received, chunk]);
    if (this.#received.length < 4) return;
    const size = this.#received.readInt32BE(0);
    if (this.#received.length < 4 + size) return;
    const frame = this.#received.subarray(4, 4 + size);
    this.#received = this.#received.subarray(4 + size);
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.resolve(frame);
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    this.#socket.destroy();
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(error);
  }
}

/** A non-null protocol string: int16 length, then UTF-8 bytes. */
export function encodeString(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  const length = Buffer.alloc(2);
  length.writeInt16BE(bytes.length, 0);
  return Buffer.concat([length, bytes]);
}
