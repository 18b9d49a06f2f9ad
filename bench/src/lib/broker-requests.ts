/**
 * Counts the requests this process sends to Kafka brokers, whatever client sends them: kafkajs
 * writes each request with one `socket.write`, so counting writes to the brokers' ports counts
 * requests. Wrapping `net.Socket.prototype.write` reaches the verifier's consumer, which
 * exposes no instrumentation of its own; B7 checks the count against kafkajs' REQUEST events
 * on the bare consumer.
 */
import { Socket } from 'node:net';

/**
 * Starts counting writes to TCP peers; returns the running count. Only for processes whose one
 * TCP peer is Kafka (the B7 worker): bootstrap lists need not name every broker of a cluster,
 * so every TCP write counts; the IPC channel is no TCP socket.
 */
export function countBrokerRequests(): () => number {
  let count = 0;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the socket below
  const write = Socket.prototype.write;
  Socket.prototype.write = function (this: Socket, ...args: unknown[]): boolean {
    if (this.remotePort !== undefined) count += 1;
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  };
  return () => count;
}
