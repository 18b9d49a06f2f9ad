/**
 * What `check` finds, as pure functions of what the brokers answered: retention against the
 * token lifetime (the protocol's own check), the topic's layout, who may write it, and the
 * verifiers' receipts. Each finding says what to do about it.
 */
import { checkTopicRetention, minimumTopicRetentionMs } from '@revocation-fabric/protocol';
import type { FleetView } from '../../fleet.js';
import type { TopicAcl, TopicSettings } from '../../kafka-client.js';
import { aclFindings } from './acl-findings.js';
import { humanDuration } from './text.js';

/** How bad a finding is: `problem` makes `check` exit with 3. */
export type FindingLevel = 'ok' | 'warn' | 'problem';

/** One finding. */
export interface Finding {
  readonly level: FindingLevel;
  /** What it is about: `retention`, `replication`, `acl`, `receipts`, … */
  readonly area: string;
  readonly text: string;
  /** What to do, when there is something to do. */
  readonly fix?: string | undefined;
}

/** What the findings are drawn from. */
export interface CheckInput {
  readonly topic: string;
  readonly settings: TopicSettings;
  /** The ACL bindings on the topic, or the error DescribeAcls answered. */
  readonly acls:
    | { readonly ok: true; readonly bindings: readonly TopicAcl[] }
    | { readonly ok: false; readonly error: unknown };
  readonly fleet: FleetView;
  readonly maxTokenLifetimeMs: number;
  readonly clockToleranceMs: number;
}

function configCommand(topic: string, setting: string): string {
  return `kafka-configs.sh --bootstrap-server <broker> --alter --entity-type topics --entity-name ${topic} --add-config ${setting}`;
}

/** Retention against the longest token lifetime, through `checkTopicRetention`. */
export function retentionFindings(input: CheckInput): Finding[] {
  const { topic, settings } = input;
  const policy = {
    maxTokenLifetimeMs: input.maxTokenLifetimeMs,
    clockToleranceMs: input.clockToleranceMs,
  };
  let verdict;
  try {
    verdict = checkTopicRetention(
      {
        resourceName: topic,
        configEntries: Object.entries(settings.configs).map(([configName, configValue]) => ({
          configName,
          configValue,
        })),
      },
      policy,
    );
  } catch (error) {
    return [
      {
        level: 'warn',
        area: 'retention',
        text: `cannot judge retention: ${error instanceof Error ? error.message : String(error)}`,
        fix: 'grant this principal DescribeConfigs on the topic',
      },
    ];
  }
  const required = `${verdict.requiredRetentionMs} ms (${humanDuration(verdict.requiredRetentionMs)}) for tokens living up to ${humanDuration(input.maxTokenLifetimeMs)}`;
  const findings: Finding[] = [];
  if (!verdict.sufficient) {
    findings.push({
      level: 'problem',
      area: 'retention',
      text:
        verdict.setting === 'retention.ms'
          ? `retention.ms ${verdict.retentionMs} (${humanDuration(verdict.retentionMs)}) is below the least ${required}: a verifier that restarts misses rules that still reject live tokens`
          : `retention.bytes ${verdict.retentionBytes} deletes by size: a busy topic can drop rules of any age`,
      fix: verdict.fix,
    });
  } else if (!verdict.deletes) {
    findings.push({
      level: 'ok',
      area: 'retention',
      text: `cleanup.policy ${verdict.cleanupPolicy} never deletes by time: every rule stays (least needed ${required})`,
    });
  } else {
    findings.push({
      level: 'ok',
      area: 'retention',
      text: `retention.ms ${verdict.retentionMs === -1 ? '-1 (forever)' : `${verdict.retentionMs} (${humanDuration(verdict.retentionMs)})`} ≥ ${required}`,
    });
  }
  const policyText = verdict.cleanupPolicy.toLowerCase();
  if (!policyText.includes('compact'))
    findings.push({
      level: 'warn',
      area: 'cleanup',
      text: `cleanup.policy ${verdict.cleanupPolicy} does not compact: replays read every event, not the latest per rule`,
      fix: configCommand(topic, 'cleanup.policy=[compact,delete]'),
    });
  return findings;
}

/** Partitions, replication and `min.insync.replicas`. */
export function layoutFindings(input: CheckInput): Finding[] {
  const { topic, settings } = input;
  const findings: Finding[] = [];
  findings.push(
    settings.partitions >= 3
      ? { level: 'ok', area: 'partitions', text: `${settings.partitions} partitions` }
      : {
          level: 'warn',
          area: 'partitions',
          text: `${settings.partitions} partition${settings.partitions === 1 ? '' : 's'}: the fabric's topic spec asks for at least 3`,
          fix: `kafka-topics.sh --bootstrap-server <broker> --alter --topic ${topic} --partitions 3`,
        },
  );
  const rf = settings.replicationFactor;
  const minIsrText = settings.configs['min.insync.replicas'];
  const minIsr = minIsrText === undefined ? undefined : Number(minIsrText);
  if (rf < 3)
    findings.push({
      level: 'warn',
      area: 'replication',
      text: `replication factor ${rf}: losing ${rf === 1 ? 'the' : 'a'} broker${rf === 1 ? '' : ' more'} stops revocations (3 in production)`,
      fix: 'reassign the partitions to 3 replicas (kafka-reassign-partitions.sh)',
    });
  else findings.push({ level: 'ok', area: 'replication', text: `replication factor ${rf}` });
  if (minIsr !== undefined && Number.isFinite(minIsr)) {
    if (minIsr > rf)
      findings.push({
        level: 'problem',
        area: 'min.insync.replicas',
        text: `min.insync.replicas ${minIsr} > replication factor ${rf}: producers with acks=all cannot publish a revocation`,
        fix: configCommand(topic, `min.insync.replicas=${Math.min(2, rf)}`),
      });
    else if (rf >= 3 && minIsr < 2)
      findings.push({
        level: 'warn',
        area: 'min.insync.replicas',
        text: `min.insync.replicas ${minIsr}: an acknowledged revocation may live on one broker only`,
        fix: configCommand(topic, 'min.insync.replicas=2'),
      });
    else
      findings.push({
        level: 'ok',
        area: 'min.insync.replicas',
        text: `min.insync.replicas ${minIsr}`,
      });
  }
  return findings;
}

/** Live verifiers without receipts, on a topic that has records to apply. */
export function receiptFindings(input: CheckInput): Finding[] {
  const { fleet } = input;
  if (fleet.verifiers.length === 0)
    return [
      {
        level: 'warn',
        area: 'verifiers',
        text: 'no live verifier reads the topic',
        fix: 'start a verifier, or check --topic',
      },
    ];
  const hasRecords = fleet.partitions.some(({ low, high }) => high > low);
  const silent = fleet.verifiers.filter((verifier) => verifier.committed.size === 0);
  if (!hasRecords || silent.length === 0)
    return [
      {
        level: 'ok',
        area: 'receipts',
        text: `${fleet.verifiers.length} live verifier${fleet.verifiers.length === 1 ? '' : 's'}${hasRecords ? ', every one commits receipts' : ' (nothing published yet to receipt)'}`,
      },
    ];
  return [
    {
      level: 'warn',
      area: 'receipts',
      text: `never committed a receipt (receipts off?): ${silent.map((verifier) => `${verifier.clientId} (${verifier.host}, group ${verifier.groupId})`).join(', ')}`,
      fix: "upgrade those verifiers or leave the kafka feed's receipts option on: without receipts nobody can tell whether they applied a revocation",
    },
  ];
}

/** Every finding of `check`, in the order printed. */
export function checkFindings(input: CheckInput): Finding[] {
  return [
    ...retentionFindings(input),
    ...layoutFindings(input),
    ...aclFindings(input),
    ...receiptFindings(input),
  ];
}

/** The least retention the check demands, for the report's header. */
export function requiredRetention(
  input: Pick<CheckInput, 'maxTokenLifetimeMs' | 'clockToleranceMs'>,
): number {
  return minimumTopicRetentionMs({
    maxTokenLifetimeMs: input.maxTokenLifetimeMs,
    clockToleranceMs: input.clockToleranceMs,
  });
}
