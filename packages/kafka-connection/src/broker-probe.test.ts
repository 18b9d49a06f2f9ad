import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probeBrokers } from './broker-probe.js';

const servers: Server[] = [];
const accepted: Socket[] = [];
afterEach(async () => {
  for (const socket of accepted.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A TCP server that accepts connections and holds them open without a word. */
async function silentListener(): Promise<string> {
  const server = createServer((socket) => accepted.push(socket));
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<string> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return `127.0.0.1:${port}`;
}

describe('probeBrokers', () => {
  it('answers false at once without brokers', async () => {
    expect(await probeBrokers({ brokers: [], tls: undefined, timeoutMs: 1_000 })).toBe(false);
  });

  it('answers false for a refused connection', async () => {
    const broker = await closedPort();
    expect(await probeBrokers({ brokers: [broker], tls: undefined, timeoutMs: 5_000 })).toBe(false);
  });

  it('does not take an accepted connection for an answering broker', async () => {
    const broker = await silentListener();
    expect(await probeBrokers({ brokers: [broker], tls: false, timeoutMs: 200 })).toBe(false);
  });
});
