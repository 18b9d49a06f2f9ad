/**
 * B13's receipts at B10's fleet of 10,000: commits scale with verifiers (one group each), so
 * the fleet's commit rate is the measured rate per verifier times the fleet. What one commit
 * costs the broker is read two ways: measured here, in the arm that commits every 10 ms
 * ((its broker cores − off's at 100 revocations/s) ÷ its commits per second: a signal of tenths
 * of a core, where the default interval's twenty commits a second are lost in the noise of a
 * shared box), and B10's cost per request (a fit over thousands of requests per second, nearly
 * all of them Fetch).
 */
import type { FleetCostPerRequest } from './fleet-cost.js';
import type { B13Arm, B13Flowing } from './run.js';

export interface ReceiptsExtrapolation {
  readonly fleet: number;
  /** OffsetCommits per second of the whole fleet while idle (measured rate × fleet). */
  readonly idleCommitsPerS: number;
  /** The same while events flow at the highest rate measured (the interval's ceiling). */
  readonly flowingCommitsPerS: number;
  readonly flowingEventsPerS: number;
  /** OffsetCommits of the whole fleet for one lone revocation (after a quiet spell). */
  readonly commitsPerLoneEvent: number | null;
  /** OffsetCommits per second of the arm the cost per commit is measured in (all verifiers). */
  readonly costArmCommitsPerS: number;
  /** (cost arm − off) broker cores at the same event rate ÷ the cost arm's commits/s. */
  readonly measuredBrokerCoreSecondsPerCommit: number | null;
  /**
   * The same with the two windows' difference in Fetch requests priced at B10's cost per
   * request and taken out: how fast verifiers drain the topic sets how many fetches they make,
   * and that varies between windows by more than the commits cost.
   */
  readonly measuredBrokerCoreSecondsPerCommitFetchAdjusted: number | null;
  /** The same for the verifiers' processes. */
  readonly measuredVerifierCoreSecondsPerCommit: number | null;
  /** Broker cores the fleet's commits take while events flow, at the measured cost. */
  readonly flowingBrokerCoresMeasured: number | null;
  /** The same at B10's cost per request (null without a B10 result). */
  readonly flowingBrokerCoresAtFleetCost: number | null;
  /** Broker core-seconds one lone revocation's receipts take, at the measured cost. */
  readonly loneEventBrokerCoreSecondsMeasured: number | null;
  /** B10's own broker cores for that fleet with 100 revocations/s, receipts not counted. */
  readonly fleetFlowingBrokerCores: number | null;
}

const FLEET = 10_000;

function at(arm: B13Arm | undefined, rate: number): B13Flowing | undefined {
  return arm?.flowing.find((w) => w.offeredEventsPerS === rate);
}

/** The extrapolation, or null when an arm is missing. */
export function extrapolate(
  arms: readonly B13Arm[],
  fleetCost: FleetCostPerRequest | null,
): ReceiptsExtrapolation | null {
  const off = arms.find((arm) => arm.receipts === 'off');
  // The arm at the default interval is the one with an idle window too.
  const on = arms.find((arm) => arm.receipts === 'on' && arm.idle !== null);
  // The cost arm: the shortest interval (most commits); the default arm if there is no other.
  const costArm = [...arms]
    .filter((arm) => arm.intervalMs !== null)
    .sort((a, b) => (a.intervalMs ?? 0) - (b.intervalMs ?? 0))[0];
  const rate = Math.max(...(on?.flowing.map((w) => w.offeredEventsPerS) ?? []));
  const onFlowing = at(on, rate);
  const costFlowing = at(costArm, rate);
  const offFlowing = at(off, rate);
  if (on?.idle === null || on?.idle === undefined || onFlowing === undefined) return null;
  if (costFlowing === undefined || offFlowing === undefined) return null;
  const fleet = fleetCost?.fleet ?? FLEET;
  const commitsPerS = costFlowing.offsetCommitsPerS;
  const perCommit = (costValue: number, offValue: number) =>
    commitsPerS > 0 ? (costValue - offValue) / commitsPerS : null;
  const brokerPerCommit = perCommit(costFlowing.window.brokerCores, offFlowing.window.brokerCores);
  const fetchDelta =
    (costFlowing.window.requestsPerS['Fetch'] ?? 0) -
    (offFlowing.window.requestsPerS['Fetch'] ?? 0);
  const adjusted =
    brokerPerCommit === null || fleetCost === null
      ? null
      : brokerPerCommit - (fetchDelta * fleetCost.brokerCoreSecondsPerRequest) / commitsPerS;
  const flowingCommitsPerS = onFlowing.offsetCommitsPerSPerVerifier * fleet;
  const commitsPerLoneEvent =
    on.receiptsPerLoneEventPerVerifier === null ? null : on.receiptsPerLoneEventPerVerifier * fleet;
  return {
    fleet,
    idleCommitsPerS: on.idle.offsetCommitsPerSPerVerifier * fleet,
    flowingCommitsPerS,
    flowingEventsPerS: onFlowing.eventsPerS,
    commitsPerLoneEvent,
    costArmCommitsPerS: commitsPerS,
    measuredBrokerCoreSecondsPerCommit: brokerPerCommit,
    measuredBrokerCoreSecondsPerCommitFetchAdjusted: adjusted,
    measuredVerifierCoreSecondsPerCommit: perCommit(
      costFlowing.window.verifierCores,
      offFlowing.window.verifierCores,
    ),
    flowingBrokerCoresMeasured:
      brokerPerCommit === null ? null : brokerPerCommit * flowingCommitsPerS,
    flowingBrokerCoresAtFleetCost:
      fleetCost === null ? null : fleetCost.brokerCoreSecondsPerRequest * flowingCommitsPerS,
    loneEventBrokerCoreSecondsMeasured:
      brokerPerCommit === null || commitsPerLoneEvent === null
        ? null
        : brokerPerCommit * commitsPerLoneEvent,
    fleetFlowingBrokerCores: fleetCost?.flowingBrokerCores ?? null,
  };
}
