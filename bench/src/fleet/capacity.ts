/**
 * B10's reading of the curve: straight-line fits of each cost against the fleet size, the
 * extrapolation to 10,000 verifiers and the fleet size at which each limit is reached. A
 * linear fit is the claim under test (every verifier is its own consumer group, so every cost
 * should grow with N); its r² is recorded so a curve that bends shows as a poor fit.
 */

/** A least-squares line `y = intercept + slope·x`. */
export interface LineFit {
  readonly slope: number;
  readonly intercept: number;
  /** Coefficient of determination (1: every point on the line; NaN: fewer than 3 points). */
  readonly r2: number;
}

export function fitLine(points: ReadonlyArray<readonly [number, number]>): LineFit {
  const finite = points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const n = finite.length;
  if (n < 2) return { slope: Number.NaN, intercept: Number.NaN, r2: Number.NaN };
  const mx = finite.reduce((a, [x]) => a + x, 0) / n;
  const my = finite.reduce((a, [, y]) => a + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of finite) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  const slope = sxx === 0 ? Number.NaN : sxy / sxx;
  const r2 = n < 3 || syy === 0 ? Number.NaN : (sxy * sxy) / (sxx * syy);
  return { slope, intercept: my - slope * mx, r2 };
}

/** The value of `fit` at `x`. */
export function at(fit: LineFit, x: number): number {
  return fit.intercept + fit.slope * x;
}

/** The `x` at which `fit` reaches `y` (Infinity when it never grows to it). */
export function reachedAt(fit: LineFit, y: number): number {
  if (!(fit.slope > 0)) return Number.POSITIVE_INFINITY;
  return Math.max(0, (y - fit.intercept) / fit.slope);
}

/** The fits of one cluster shape. */
export interface FleetFits {
  readonly nodes: number;
  /** Idle broker CPU, cores, against N: the slope is core-seconds per second per verifier. */
  readonly idleBrokerCores: LineFit;
  /** Broker CPU per revocation, core-seconds per event, against N (flowing minus idle, ÷ rate). */
  readonly brokerCoreSecondsPerEvent: LineFit;
  /** The fleet's own CPU while idle, cores, against N. */
  readonly idleVerifierCores: LineFit;
  /** Open connections on the busiest broker against N. */
  readonly connectionsPerBroker: LineFit;
  /** Incremental fetch sessions on the busiest broker against N. */
  readonly fetchSessionsPerBroker: LineFit;
  /** Heartbeats per second (all brokers) against N: the group coordinator's steady load. */
  readonly heartbeatsPerS: LineFit;
  /** Requests per second (all brokers, all APIs) while idle against N. */
  readonly idleRequestsPerS: LineFit;
  /** Bytes sent per revocation (all brokers' client listeners) against N. */
  readonly networkBytesPerEvent: LineFit;
  /** Requests per revocation (flowing − idle requests/s, ÷ events/s) against N. */
  readonly requestsPerEvent: LineFit;
  /**
   * Broker cores against requests/s over the flowing windows: the same 100 produce requests/s
   * in each, so their cost stays in the intercept and the slope is the marginal cost of the
   * fleet's requests (mostly fetches), core-seconds per request.
   */
  readonly brokerCoresAgainstRequests: LineFit;
  /**
   * The marginal cost of a request used to model a CPU slope too small to resolve: this
   * cluster's when resolved, else the other cluster's (see `costPerRequestFrom`); NaN if none.
   */
  readonly brokerCoreSecondsPerRequest: number;
  /** Which cluster's flowing windows `brokerCoreSecondsPerRequest` comes from, in nodes. */
  readonly costPerRequestFrom: number | null;
}

/** A fit whose slope stands out of the noise: positive and a line explains most of it. */
export function resolved(fit: LineFit): boolean {
  return fit.slope > 0 && fit.r2 >= 0.5;
}

/**
 * The fits with a cost per request: their own when resolved, else `fallback`'s (a 3-node cluster
 * on a saturated 2-core box may not show one; the 1-node cluster does).
 */
export function withCostPerRequest(fits: FleetFits, fallback: FleetFits | undefined): FleetFits {
  if (Number.isFinite(fits.brokerCoreSecondsPerRequest) || fallback === undefined) return fits;
  return {
    ...fits,
    brokerCoreSecondsPerRequest: fallback.brokerCoreSecondsPerRequest,
    costPerRequestFrom: fallback.costPerRequestFrom,
  };
}

/** How a CPU line was obtained: fitted to CPU, or modelled as requests × cost per request. */
export type CpuBasis = 'fit' | 'requests × cost per request';

/**
 * A CPU line against N: `cpu` when resolved, else `requests`' slope times the cost of a request
 * (the intercept stays `cpu`'s: the brokers' own cost without verifiers).
 */
function cpuLine(
  cpu: LineFit,
  requests: LineFit,
  perRequest: number,
): { line: LineFit; basis: CpuBasis } {
  if (resolved(cpu)) return { line: cpu, basis: 'fit' };
  return {
    line: { slope: requests.slope * perRequest, intercept: cpu.intercept, r2: Number.NaN },
    basis: 'requests × cost per request',
  };
}

/** Idle broker cores against N, fitted or modelled. */
export function idleCoresLine(fits: FleetFits): { line: LineFit; basis: CpuBasis } {
  return cpuLine(fits.idleBrokerCores, fits.idleRequestsPerS, fits.brokerCoreSecondsPerRequest);
}

/** Broker core-seconds per revocation against N, fitted or modelled. */
export function perEventCoresLine(fits: FleetFits): { line: LineFit; basis: CpuBasis } {
  return cpuLine(
    fits.brokerCoreSecondsPerEvent,
    fits.requestsPerEvent,
    fits.brokerCoreSecondsPerRequest,
  );
}

/** One limit the fleet runs into, where it does (from the 3-node fits). */
export interface FleetLimit {
  readonly name: string;
  /** The limit, in words (value and unit). */
  readonly limit: string;
  /** The fleet size at which it is reached; null: not by this cost's growth (JSON has no ∞). */
  readonly reachedAtN: number | null;
  /** The projected figure at the extrapolated fleet size, in words. */
  readonly projected: string;
  readonly note: string;
}

/** Inputs of {@link fleetLimits} that are not fits. */
export interface LimitContext {
  readonly fleet: number;
  readonly nodes: number;
  readonly eventsPerS: number;
  /** The brokers' open-files limit (each connection holds a descriptor). */
  readonly brokerOpenFilesLimit: number;
  /** `max.incremental.fetch.session.cache.slots`, per broker. */
  readonly fetchSessionSlots: number;
  /** Bytes per second one broker's network link carries (1 Gbit/s = 125 MB/s). */
  readonly linkBytesPerS: number;
}

const count = (value: number) =>
  Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—';

/** Every candidate limit at `ctx.fleet` verifiers, the first reached first. */
export function fleetLimits(fits: FleetFits, ctx: LimitContext): FleetLimit[] {
  const { fleet, nodes, eventsPerS } = ctx;
  const idle = idleCoresLine(fits);
  const perEvent = perEventCoresLine(fits);
  const flowingCores: LineFit = {
    slope: idle.line.slope + eventsPerS * perEvent.line.slope,
    intercept: idle.line.intercept + eventsPerS * perEvent.line.intercept,
    r2: Number.NaN,
  };
  const bytesPerS: LineFit = {
    slope: (eventsPerS * fits.networkBytesPerEvent.slope) / nodes,
    intercept: (eventsPerS * fits.networkBytesPerEvent.intercept) / nodes,
    r2: Number.NaN,
  };
  const sessionsGrow = fits.fetchSessionsPerBroker.slope > 1e-3;
  const limits: Array<Omit<FleetLimit, 'reachedAtN'> & { reachedAtN: number }> = [
    {
      name: 'idle broker CPU',
      limit: '1 core for the whole cluster (the issue’s target for 10,000 idle verifiers)',
      reachedAtN: reachedAt(idle.line, 1),
      projected: `${at(idle.line, fleet).toFixed(2)} cores (${idle.basis})`,
      note: 'fetch long-polls, heartbeats and metadata refreshes of N consumers, each its own group',
    },
    {
      name: `broker CPU at ${eventsPerS} revocations/s`,
      limit: `${nodes} cores (one per broker)`,
      reachedAtN: reachedAt(flowingCores, nodes),
      projected: `${at(flowingCores, fleet).toFixed(2)} cores (${perEvent.basis})`,
      note: 'every record wakes every verifier’s parked fetch: the per-event cost grows with N',
    },
    {
      name: 'incremental fetch session slots',
      limit: `${ctx.fetchSessionSlots.toLocaleString('en-US')} per broker (max.incremental.fetch.session.cache.slots)`,
      reachedAtN: sessionsGrow
        ? reachedAt(fits.fetchSessionsPerBroker, ctx.fetchSessionSlots)
        : Number.POSITIVE_INFINITY,
      projected: sessionsGrow ? count(at(fits.fetchSessionsPerBroker, fleet)) : 'none',
      note: sessionsGrow
        ? 'past the slots, sessions are evicted and consumers fall back to full fetches'
        : 'kafkajs 2.2.4 sends every Fetch with session id 0 and epoch −1 (sessionless full fetches): the cache never fills, there is nothing to thrash, and every fetch carries its whole partition list; the sessions counted come from the brokers’ replica fetchers',
    },
    {
      name: 'connections per broker',
      limit: `${count(ctx.brokerOpenFilesLimit)} open files (the broker JVM’s limit)`,
      reachedAtN: reachedAt(fits.connectionsPerBroker, ctx.brokerOpenFilesLimit),
      projected: count(at(fits.connectionsPerBroker, fleet)),
      note: 'each connection holds a descriptor; log segments share the same limit',
    },
    {
      name: 'group coordinator',
      limit: 'no hard limit: its work is in the CPU curve',
      reachedAtN: Number.POSITIVE_INFINITY,
      projected: `${count(fleet)} groups, ${count(at(fits.heartbeatsPerS, fleet))} heartbeats/s`,
      note: 'one group per verifier: a deploy is a JoinGroup/SyncGroup per pod on the coordinators',
    },
    {
      name: `bytes out at ${eventsPerS} revocations/s`,
      limit: `${(ctx.linkBytesPerS / 1e6).toFixed(0)} MB/s per broker (1 Gbit/s link)`,
      reachedAtN: reachedAt(bytesPerS, ctx.linkBytesPerS),
      projected: `${(at(bytesPerS, fleet) / 1e6).toFixed(1)} MB/s per broker`,
      note: 'every record is sent to every verifier (fetch responses, all brokers)',
    },
  ];
  return limits
    .sort((a, b) => a.reachedAtN - b.reachedAtN)
    .map((limit) => ({
      ...limit,
      reachedAtN: Number.isFinite(limit.reachedAtN) ? Math.round(limit.reachedAtN) : null,
    }));
}
