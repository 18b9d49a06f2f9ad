/**
 * B3 worker: a socket.io server guarded by the verifier's socket.io adapter. Clients connect
 * with a token; a revocation must cut their connection.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { Verifier } from '@revocation-fabric/verifier';
import { socketAuth } from '@revocation-fabric/verifier/socket.io';
import type { Message } from '../lib/child.js';
import { fail, listen, reply } from '../lib/worker-side.js';
import { benchVerifier } from '../lib/bench-verifier.js';

export interface SocketServerRequest extends Message {
  readonly type: 'start';
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUrl: string;
}

export interface SocketServerReady extends Message {
  readonly type: 'ready';
  readonly url: string;
}

let verifier: Verifier | undefined;
let io: Server | undefined;

async function start(request: SocketServerRequest): Promise<SocketServerReady> {
  const created = benchVerifier({
    issuer: request.issuer,
    audience: request.audience,
    jwks: { url: request.jwksUrl },
    brokers: request.brokers,
    topic: request.topic,
    clientId: 'bench-b3-socket',
  });
  verifier = created;
  await created.ready();
  const http = createServer();
  const server = new Server(http, { transports: ['websocket'] });
  io = server;
  server.use(socketAuth(created));
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  return { type: 'ready', url: `http://127.0.0.1:${port}` };
}

listen<SocketServerRequest | { type: 'stop' }>(async (message) => {
  if (message.type === 'stop') {
    await io?.close();
    await verifier?.close();
    process.exit(0);
  }
  reply(await start(message));
});
process.on('uncaughtException', fail);
