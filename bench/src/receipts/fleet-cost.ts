/**
 * B10's broker cost per request and its 10,000-verifier extrapolation, from the newest full
 * result file that holds B10: B13 measures a fleet of tens and reads the fleet of thousands
 * from B10 rather than guessing it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isFailure } from '../results.js';
import type { BenchResults } from '../results.js';

/** What B13 borrows from B10. */
export interface FleetCostPerRequest {
  /** The result file it comes from. */
  readonly source: string;
  /** Broker core-seconds per request (B10's fit of broker cores against requests/s, 1 node). */
  readonly brokerCoreSecondsPerRequest: number;
  /** B10's extrapolation: fleet size, nodes and broker cores idle and with 100 revocations/s. */
  readonly fleet: number;
  readonly nodes: number;
  readonly idleBrokerCores: number;
  readonly flowingBrokerCores: number;
}

const RESULTS_DIR = fileURLToPath(new URL('../../results', import.meta.url));

/** The newest full B10 result's cost per request, or null when no file holds one. */
export function fleetCostPerRequest(dir = RESULTS_DIR): FleetCostPerRequest | null {
  const files = readdirSync(dir)
    .filter((name) => /^\d{4}-\d{2}-\d{2}-.*\.json$/.test(name))
    .sort()
    .reverse();
  for (const file of files) {
    const results = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as Partial<BenchResults>;
    const b10 = results.b10;
    if (results.mode !== 'full' || b10 === undefined || isFailure(b10)) continue;
    const one = b10.clusters.find((cluster) => cluster.nodes === 1);
    const perRequest = one?.fits.brokerCoreSecondsPerRequest;
    if (perRequest === undefined || !Number.isFinite(perRequest) || b10.extrapolation === null) {
      continue;
    }
    return {
      source: basename(file),
      brokerCoreSecondsPerRequest: perRequest,
      fleet: b10.extrapolation.fleet,
      nodes: b10.extrapolation.nodes,
      idleBrokerCores: b10.extrapolation.idleBrokerCores,
      flowingBrokerCores: b10.extrapolation.flowingBrokerCores,
    };
  }
  return null;
}
