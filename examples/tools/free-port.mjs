#!/usr/bin/env node
/**
 * Prints a TCP port on 127.0.0.1 that nothing listens on: `node free-port.mjs [--pair]`.
 * With --pair the port above it is free as well (a local Kafka node takes N and N+1).
 * Another process may still take it before it is used: callers retry a failed start.
 */
import { createServer } from 'node:net';

const pair = process.argv.includes('--pair');

function listenOn(port) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
const close = (server) => new Promise((resolve) => server.close(resolve));

for (let attempt = 0; attempt < 50; attempt += 1) {
  const first = await listenOn(0);
  const { port } = first.address();
  if (!pair) {
    await close(first);
    console.log(port);
    process.exit(0);
  }
  try {
    const second = await listenOn(port + 1);
    await close(second);
    await close(first);
    console.log(port);
    process.exit(0);
  } catch {
    await close(first);
  }
}
console.error('free-port: no free port found in 50 attempts');
process.exit(1);
