/**
 * B3 worker: one verifier instance (its own process, like one service replica) that holds a
 * set of probe tokens and reports, for each, the moment it rejects it: on every
 * `revoked` rule, the matching probe is re-judged with `check()` and the time it throws
 * TOKEN_REVOKED is stamped with the shared clock.
 */
import { TokenRevokedError } from '@revocation-fabric/verifier';
import type { AccessTokenClaims, Verifier, VerifiedToken } from '@revocation-fabric/verifier';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { RevocationRule } from '@revocation-fabric/protocol';
import { wallClockMs } from '../lib/clock.js';
import { fail, listen, reply } from '../lib/worker-side.js';
import { benchVerifier } from '../lib/bench-verifier.js';

export type VerifierWorkerRequest =
  | {
      readonly type: 'init';
      readonly name: string;
      readonly brokers: readonly string[];
      readonly topic: string;
      readonly issuer: string;
      readonly audience: string;
      readonly jwksUrl: string;
    }
  | { readonly type: 'probes'; readonly tokens: readonly string[] }
  | { readonly type: 'stop' };

export type VerifierWorkerReply =
  | { readonly type: 'ready'; readonly ms: number }
  | { readonly type: 'armed'; readonly count: number; readonly failed: number }
  | {
      readonly type: 'rejected';
      readonly sids: readonly string[];
      /** {@link wallClockMs} of each rejection. */
      readonly at: Float64Array;
    }
  | { readonly type: 'anomaly'; readonly message: string };

/** How often rejections are sent to the parent, ms: batching keeps IPC off the hot path. */
const FLUSH_INTERVAL_MS = 25;

const probes = new Map<string, VerifiedToken>();
let pendingSids: string[] = [];
let pendingAt: number[] = [];
let verifier: Verifier | undefined;
let flushTimer: NodeJS.Timeout | undefined;

function flush(): void {
  if (pendingSids.length === 0) return;
  reply<VerifierWorkerReply>({
    type: 'rejected',
    sids: pendingSids,
    at: Float64Array.from(pendingAt),
  });
  pendingSids = [];
  pendingAt = [];
}

function onRevoked(rule: RevocationRule): void {
  if (rule.kind !== 'session' || verifier === undefined) return;
  const probe = probes.get(rule.target);
  if (probe === undefined) return;
  probes.delete(rule.target);
  try {
    verifier.check(probe);
    reply<VerifierWorkerReply>({
      type: 'anomaly',
      message: `sid ${rule.target} still accepted after its rule`,
    });
  } catch (error) {
    if (!(error instanceof TokenRevokedError)) {
      reply<VerifierWorkerReply>({ type: 'anomaly', message: `check failed: ${String(error)}` });
      return;
    }
    pendingAt.push(wallClockMs());
    pendingSids.push(rule.target);
  }
}

/**
 * A sample of the probes goes through `verify()` (proving the verifier accepts the user-service's
 * tokens); the rest are decoded into the same `VerifiedToken` shape without the signature check.
 * `check()` judges only claims and `kid`, so the rejection instant is the same, and ten
 * processes on two cores are spared tens of thousands of ES256 verifications before the run.
 */
const VERIFIED_SAMPLE = 50;

function decodedProbe(token: string): VerifiedToken {
  const claims = decodeJwt(token) as unknown as AccessTokenClaims;
  const { kid } = decodeProtectedHeader(token);
  return { claims, kid, scopes: claims.scope?.split(' ') ?? [] };
}

async function loadProbes(target: Verifier, tokens: readonly string[]): Promise<number> {
  let failed = 0;
  for (const [index, token] of tokens.entries()) {
    try {
      const probe = index < VERIFIED_SAMPLE ? await target.verify(token) : decodedProbe(token);
      if (probe.claims.sid !== undefined) probes.set(probe.claims.sid, probe);
    } catch {
      failed += 1;
    }
  }
  return failed;
}

listen<VerifierWorkerRequest>(async (message) => {
  switch (message.type) {
    case 'init': {
      const started = performance.now();
      verifier = benchVerifier({
        issuer: message.issuer,
        audience: message.audience,
        jwks: { url: message.jwksUrl },
        brokers: message.brokers,
        topic: message.topic,
        clientId: `bench-b3-${message.name}`,
      });
      verifier.onRevoked(onRevoked);
      flushTimer = setInterval(flush, FLUSH_INTERVAL_MS);
      await verifier.ready();
      reply<VerifierWorkerReply>({ type: 'ready', ms: performance.now() - started });
      break;
    }
    case 'probes': {
      if (verifier === undefined) throw new Error('probes sent before init');
      const failed = await loadProbes(verifier, message.tokens);
      reply<VerifierWorkerReply>({ type: 'armed', count: probes.size, failed });
      break;
    }
    case 'stop':
      clearInterval(flushTimer);
      flush();
      await verifier?.close();
      process.exit(0);
  }
});
process.on('uncaughtException', fail);
