/**
 * Measures the heap cost of token rules in the Blocklist: applies 1,000,000 token revocations
 * decoded from realistic records (as the consumer does), then reports heap bytes per rule.
 *
 * Run: `pnpm --filter @revocation-fabric/verifier bench:memory` (needs `--expose-gc`, which
 * the script passes). Optional argument: the number of rules.
 */
import { randomUUID } from 'node:crypto';
import { createEvent, decodeEvent, encodeEvent } from '@revocation-fabric/protocol';
import type { TokenRevocation } from '@revocation-fabric/protocol';
import { Blocklist } from '../src/blocklist.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

const count = Number(process.argv[2] ?? 1_000_000);
const lifetimeMs = 15 * 60_000;

function settle(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

const template = createEvent({
  kind: 'token',
  jti: randomUUID(),
  expiresAt: Date.now() + lifetimeMs,
  reason: 'logout',
  actor: 'user-00000000',
  iss: 'https://auth.example',
}) as TokenRevocation;

const blocklist = new Blocklist({ maxTokenLifetimeMs: lifetimeMs });
const before = settle();
const started = performance.now();
for (let i = 0; i < count; i++) {
  const { value } = encodeEvent({ ...template, id: randomUUID(), jti: randomUUID() });
  blocklist.apply(decodeEvent(Buffer.from(value)));
}
const elapsedMs = performance.now() - started;
const after = settle();

const bytes = after - before;
const result = {
  rules: blocklist.size().token,
  heapBytes: bytes,
  bytesPerRule: Math.round((bytes / count) * 10) / 10,
  // Encoding and decoding (schema validation) dominate this figure, as they do in the consumer.
  encodeDecodeApplyMicrosPerEvent: Math.round(((elapsedMs * 1000) / count) * 100) / 100,
  node: process.version,
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
