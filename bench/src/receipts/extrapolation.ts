/**
 * B13's receipts at B10's fleet of 10,000: commits scale with verifiers (one group each), so
 * the fleet's commit rate is the measured rate per verifier times the fleet; what a commit
 * costs the broker is read two ways — the marginal CPU measured here (on − off at 100 events/s,
 * per commit: noisy at tens of commits per second on a shared box) and B10's cost per request
 * (a fit over thousands of requests per second, nearly all of them Fetch).
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
  /** (on − off) broker cores at the highest rate ÷ the commits per second: core-seconds. */
  readonly measuredBrokerCoreSecondsPerCommit: number | null;
  /** (on − off) verifier cores at the highest rate ÷ the commits per second. */
  readonly measuredVerifierCoreSecondsPerCommit: number | null;
  /** Broker cores the fleet's commits take while events flow, at the measured marginal cost. */
  readonly flowingBrokerCoresMeasured: number | null;
  /** The same at B10's cost per request (null without a B10 result). */
  readonly flowingBrokerCoresAtFleetCost: number | null;
  /** B10's own broker cores for that fleet with 100 revocations/s, receipts not counted. */
  readonly fleetFlowingBrokerCores: number | null;
}

const FLEET = 10_000;

function highest(arm: B13Arm | undefined): B13Flowing | undefined {
  return [...(arm?.flowing ?? [])].sort((a, b) => b.offeredEventsPerS - a.offeredEventsPerS)[0];
}

/** The extrapolation, or null when an arm is missing. */
export function extrapolate(
  arms: readonly B13Arm[],
  fleetCost: FleetCostPerRequest | null,
): ReceiptsExtrapolation | null {
  const on = arms.find((arm) => arm.receipts === 'on');
  const off = arms.find((arm) => arm.receipts === 'off');
  const onFlowing = highest(on);
  const offFlowing = highest(off);
  if (on === undefined || onFlowing === undefined || offFlowing === undefined) return null;
  const fleet = fleetCost?.fleet ?? FLEET;
  const commitsPerS = onFlowing.offsetCommitsPerS;
  const perCommit = (onValue: number, offValue: number) =>
    commitsPerS > 0 ? (onValue - offValue) / commitsPerS : null;
  const brokerPerCommit = perCommit(onFlowing.window.brokerCores, offFlowing.window.brokerCores);
  const flowingCommitsPerS = onFlowing.offsetCommitsPerSPerVerifier * fleet;
  return {
    fleet,
    idleCommitsPerS: on.idle.offsetCommitsPerSPerVerifier * fleet,
    flowingCommitsPerS,
    flowingEventsPerS: onFlowing.eventsPerS,
    commitsPerLoneEvent:
      on.receiptsPerLoneEventPerVerifier === null
        ? null
        : on.receiptsPerLoneEventPerVerifier * fleet,
    measuredBrokerCoreSecondsPerCommit: brokerPerCommit,
    measuredVerifierCoreSecondsPerCommit: perCommit(
      onFlowing.window.verifierCores,
      offFlowing.window.verifierCores,
    ),
    flowingBrokerCoresMeasured:
      brokerPerCommit === null ? null : brokerPerCommit * flowingCommitsPerS,
    flowingBrokerCoresAtFleetCost:
      fleetCost === null ? null : fleetCost.brokerCoreSecondsPerRequest * flowingCommitsPerS,
    fleetFlowingBrokerCores: fleetCost?.flowingBrokerCores ?? null,
  };
}
