/**
 * B6 — Keycloak: from a revocation call to the moment a live socket.io connection to a
 * game-service is cut, for the paths a Keycloak user's revocation takes, beside the
 * user-service's own path, measured in the same run on the same stack:
 *
 * - `keycloak-backchannel`: Keycloak user logout (`POST …/openid-connect/logout`) → OIDC
 *   back-channel logout → revocation gateway → Kafka → game-service;
 * - `keycloak-ssf-push`: Keycloak admin password reset → SSF push (CAEP credential-change,
 *   Keycloak's outbox drainer ticking every second) → gateway → Kafka → game-service;
 * - `user-service`: the user-service's `POST /auth/logout` → its outbox → Kafka → game-service;
 * - `keycloak-ssf-poll`: the same password reset, the gateway polling Keycloak's SSF stream
 *   (RFC 8936) at its default interval instead. Keycloak delivers every SET to every stream, so
 *   this path runs afterwards on a stack of its own, whose gateway polls and is not pushed to.
 *
 * The stack is the demo's (`pnpm demo --keycloak`: real processes, real Keycloak, real broker).
 * Rounds interleave the paths of a stack, so each sees the same machine. The clock starts when the call
 * is sent (Keycloak sends back-channel logouts before it answers) and stops at the client's
 * `disconnect`; one process, one clock.
 */
import { randomBytes } from 'node:crypto';
import { UserApi, startKeycloakPeer, startStack } from '@revocation-fabric/demo';
import type { Stack } from '@revocation-fabric/demo';
import type { BenchContext } from '../context.js';
import { summarize } from '../lib/stats.js';
import type { Distribution } from '../lib/stats.js';
import { busyShare, cpuTimes } from '../lib/cpu-busy.js';
import { CALLS, round } from './round.js';
import type { B6Path, Sample } from './round.js';

export type { B6Path } from './round.js';

export interface B6Row {
  readonly path: B6Path;
  /** What starts the clock. */
  readonly call: string;
  /** Call sent → the client's `disconnect`, ms. */
  readonly cutMs: Distribution;
  /** Call sent → its HTTP response, ms. */
  readonly callMs: Distribution;
  /** Rounds whose socket was not cut within the wait, or cut for another reason. */
  readonly missing: number;
  /** Share of the machine's CPU time busy while this row's stack ran its rounds (all cores), 0..1. */
  readonly cpuBusy: number;
}

export interface B6Result {
  readonly rounds: number;
  readonly keycloakVersion: string;
  readonly keycloakSource: string;
  readonly rows: readonly B6Row[];
  readonly method: string;
}

/** One stack's rounds: its paths interleaved, after one unmeasured round each. */
async function measure(
  ctx: BenchContext,
  delivery: 'push' | 'poll',
  paths: readonly B6Path[],
  rounds: number,
): Promise<{ rows: B6Row[]; version: string; source: string }> {
  const log = (line: string): void => ctx.log(line);
  const peer = await startKeycloakPeer({ log, fullJit: true, ssfDelivery: delivery });
  let stack: Stack | undefined;
  try {
    stack = await startStack({ mode: 'short', log, keycloak: peer });
    const api = new UserApi(stack.userService.url);
    const run = randomBytes(3).toString('hex');
    // The first login of a realm and the first socket are slow: not measured.
    for (const path of paths) await round(path, stack, peer, api, `warm-${path}-${run}`);
    const samples = new Map<B6Path, Sample[]>(paths.map((p) => [p, []]));
    const before = cpuTimes();
    for (let i = 0; i < rounds; i++) {
      for (const path of paths) {
        samples.get(path)?.push(await round(path, stack, peer, api, `b6-${i}-${path}-${run}`));
      }
      if ((i + 1) % 10 === 0) ctx.log(`B6 ${delivery}: ${i + 1}/${rounds} rounds`);
    }
    const after = cpuTimes();
    const cpuBusy = busyShare(before, after);
    const rows = paths.map((path): B6Row => {
      const list = samples.get(path) ?? [];
      const cut = list.flatMap((s) => (s.cutMs === undefined ? [] : [s.cutMs]));
      return {
        path,
        call: CALLS[path],
        cutMs: summarize(cut, 1, 2),
        callMs: summarize(
          list.map((s) => s.callMs),
          1,
          2,
        ),
        missing: list.length - cut.length,
        cpuBusy,
      };
    });
    for (const row of rows) {
      ctx.log(
        `B6 ${row.path}: cut p50 ${row.cutMs.p50} ms, p99 ${row.cutMs.p99} ms, missing ${row.missing}, CPU busy ${Math.round(cpuBusy * 100)} %`,
      );
    }
    return { rows, version: peer.version, source: peer.source };
  } finally {
    await stack?.stop();
    await peer.stop();
  }
}

/**
 * Runs B6. Rounds: `ctx.rounds`, else 50 (quick: 5). A fresh user per round and path, so a
 * subject cutoff of one round never touches the next.
 *
 * @example
 * ```ts
 * const b6 = await runB6(ctx);
 * ```
 */
export async function runB6(ctx: BenchContext): Promise<B6Result> {
  const rounds = ctx.rounds ?? (ctx.quick ? 5 : 50);
  const pushed = await measure(
    ctx,
    'push',
    ['keycloak-backchannel', 'keycloak-ssf-push', 'user-service'],
    rounds,
  );
  const polled = await measure(ctx, 'poll', ['keycloak-ssf-poll'], rounds);
  const local = pushed.source === 'local';
  return {
    rounds,
    keycloakVersion: pushed.version,
    keycloakSource: pushed.source,
    rows: [...pushed.rows, ...polled.rows],
    method: `The demo's stack (pnpm demo --keycloak): Keycloak ${pushed.version} (start-dev, SSF drainer tick 1 s, ${local ? 'started with both JIT compilers' : `${pushed.source}: as it was started`}), the revocation gateway (SQLite outbox, back-channel logout and SSF), the user-service, game-services trusting both issuers, one broker. Per round and path: a fresh user logs in, opens a socket.io connection to a game-service, then the revocation call is sent; latency = the client's disconnect − the call being sent (Keycloak sends back-channel logouts while handling the call). ${rounds} rounds per path after one unmeasured round each; back-channel logout, SSF push and user-service interleaved on one stack (gateway pushed to), then SSF poll on a second stack and realm whose gateway polls every 1 s (its default) and is not pushed to. CPU busy = share of all cores' time not idle during a stack's rounds (the machine is shared: other work counts too).`,
  };
}
