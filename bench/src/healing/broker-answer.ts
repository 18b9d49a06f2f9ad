/**
 * When does the restarted broker answer? One ApiVersions request over a raw socket (no client:
 * a client's retries would blur the moment), the same test the publisher and the verifier use.
 */
import { createConnection } from 'node:net';

function encode(correlationId: number): Buffer {
  const clientId = Buffer.from('healing-bench', 'utf8');
  const body = Buffer.alloc(10 + clientId.length);
  let offset = body.writeInt16BE(18, 0); // ApiVersions
  offset = body.writeInt16BE(0, offset);
  offset = body.writeInt32BE(correlationId, offset);
  offset = body.writeInt16BE(clientId.length, offset);
  clientId.copy(body, offset);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

/** True when `broker` (`host:port`) answers an ApiVersions request within `timeoutMs`. */
export function brokerAnswers(broker: string, timeoutMs: number): Promise<boolean> {
  const at = broker.lastIndexOf(':');
  const correlationId = Math.floor(Math.random() * 0x7fffffff);
  return new Promise((resolve) => {
    const socket = createConnection({
      host: broker.slice(0, at),
      port: Number(broker.slice(at + 1)),
    });
    let received = Buffer.alloc(0);
    const finish = (answered: boolean): void => {
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.destroy();
      resolve(answered);
    };
    socket.once('connect', () => socket.write(encode(correlationId)));
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 8) finish(received.readInt32BE(4) === correlationId);
    });
  });
}
