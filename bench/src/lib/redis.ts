/**
 * The "jti in Redis" baseline: the common design that checks a central store on every request.
 */
import { createClient } from 'redis';

export type RedisClient = ReturnType<typeof createClient>;

/** Where the benchmark's Redis runs; `REDIS_URL` overrides. */
export function redisUrl(): string {
  return process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
}

export async function connectRedis(url = redisUrl()): Promise<RedisClient> {
  const redis = createClient({ url });
  redis.on('error', () => undefined);
  await redis.connect();
  return redis;
}

const CHUNK = 10_000;

/**
 * Stores `count` revoked-jti keys `${prefix}${i}` with a TTL of one token lifetime, as such a
 * design would, so the lookups run against a Redis holding as many entries as the verifier
 * holds rules. The TTL also cleans up after an interrupted run.
 */
export async function loadRevokedKeys(
  redis: RedisClient,
  prefix: string,
  count: number,
  ttlSeconds: number,
): Promise<void> {
  for (let start = 0; start < count; start += CHUNK) {
    const writes: Promise<unknown>[] = [];
    // Commands issued in one tick are pipelined by node-redis.
    for (let i = start; i < Math.min(count, start + CHUNK); i++) {
      writes.push(redis.set(`${prefix}${i}`, '1', { EX: ttlSeconds }));
    }
    await Promise.all(writes);
  }
}

/** Removes what {@link loadRevokedKeys} stored. */
export async function unlinkRevokedKeys(
  redis: RedisClient,
  prefix: string,
  count: number,
): Promise<void> {
  for (let start = 0; start < count; start += CHUNK) {
    const keys: string[] = [];
    for (let i = start; i < Math.min(count, start + CHUNK); i++) keys.push(`${prefix}${i}`);
    if (keys.length > 0) await redis.unlink(keys);
  }
}
