/**
 * `status`: the topic (partitions, replication, retention, cleanup), the rules it states by
 * kind and by issuer, the live verifiers and their lag, and with `--event` who applied one event.
 */
import { readFleet } from '../../fleet.js';
import type { FleetView } from '../../fleet.js';
import type { TopicSettings } from '../../kafka-client.js';
import { eventTarget, receiptOf } from '../../receipts.js';
import type { Receipt } from '../../receipts.js';
import { EXIT } from '../exit-codes.js';
import type { ExitCode } from '../exit-codes.js';
import { UsageError } from '../errors.js';
import { flag, parsePosition, stringOption } from '../lib/arguments.js';
import type { TopicPosition } from '../lib/arguments.js';
import type { Command, CommandContext } from '../lib/command.js';
import { connectionOptions, topicOf, withOperator } from '../lib/connection.js';
import { receiptSentence } from '../lib/receipt-text.js';
import { readTopic } from '../lib/read-topic.js';
import { ruleCensus } from '../lib/rule-census.js';
import type { RuleCensus } from '../lib/rule-census.js';
import { count, formatTable, humanDuration, plural } from '../lib/text.js';

/** Everything `status` reports. */
export interface StatusReport {
  readonly topic: string;
  readonly settings: TopicSettings;
  readonly census: RuleCensus;
  readonly fleet: FleetView;
  readonly event?: { readonly position: TopicPosition; readonly receipt: Receipt } | undefined;
}

function retentionText(value: string | undefined): string {
  if (value === undefined) return '?';
  const ms = Number(value);
  return ms === -1
    ? '-1 (forever)'
    : Number.isFinite(ms)
      ? `${value} (${humanDuration(ms)})`
      : value;
}

/** The human report. */
export function statusLines(report: StatusReport): string[] {
  const { settings, census, fleet } = report;
  const lagging = fleet.verifiers.filter((verifier) => verifier.lag > 0).length;
  const lines = [
    `topic ${report.topic}: ${plural(settings.partitions, 'partition')}, replication ${settings.replicationFactor}, retention.ms ${retentionText(settings.configs['retention.ms'])}, cleanup.policy ${settings.configs['cleanup.policy'] ?? '?'}, min.insync.replicas ${settings.configs['min.insync.replicas'] ?? '?'}`,
    `  offsets ${fleet.partitions.map(({ partition, low, high }) => `${partition}:${low}-${high}`).join('  ')}`,
    '',
    `${plural(census.rules, 'rule')} stated by ${plural(census.records, 'record')} (${count(census.invalid)} undecodable, ${count(census.unsignedBrakes)} unsigned brakes refused)`,
    formatTable(
      ['KIND', 'RULES'],
      Object.entries(census.byKind).map(([kind, rules]) => [kind, count(rules)]),
    ),
  ];
  const issuers = Object.entries(census.byIssuer).sort((a, b) => b[1] - a[1]);
  if (issuers.length > 0)
    lines.push(
      '',
      formatTable(
        ['ISSUER', 'RULES'],
        issuers.map(([issuer, rules]) => [issuer, count(rules)]),
      ),
    );
  lines.push('', `${plural(fleet.verifiers.length, 'live verifier')}, ${count(lagging)} lagging`);
  if (fleet.verifiers.length > 0)
    lines.push(
      formatTable(
        ['GROUP', 'CLIENT ID', 'HOST', 'STATE', 'LAG', 'RECEIPT'],
        fleet.verifiers.map((verifier) => [
          verifier.groupId,
          verifier.clientId,
          verifier.host,
          verifier.state,
          count(verifier.lag),
          verifier.committed.size === 0
            ? 'none'
            : [...verifier.committed].map(([p, o]) => `${p}:${o}`).join(' '),
        ]),
      ),
    );
  if (report.event !== undefined)
    lines.push(
      '',
      `event ${report.event.position.partition}:${report.event.position.offset}: ${receiptSentence(report.event.receipt)}`,
    );
  return lines;
}

/** The JSON report. */
export function statusJson(report: StatusReport): unknown {
  const { settings, census, fleet } = report;
  return {
    topic: {
      name: report.topic,
      partitions: settings.partitions,
      replicationFactor: settings.replicationFactor,
      retentionMs:
        settings.configs['retention.ms'] === undefined
          ? null
          : Number(settings.configs['retention.ms']),
      cleanupPolicy: settings.configs['cleanup.policy'] ?? null,
      minInsyncReplicas:
        settings.configs['min.insync.replicas'] === undefined
          ? null
          : Number(settings.configs['min.insync.replicas']),
      offsets: fleet.partitions,
    },
    records: {
      read: census.records,
      invalid: census.invalid,
      unsignedBrakes: census.unsignedBrakes,
    },
    rules: { total: census.rules, byKind: census.byKind, byIssuer: census.byIssuer },
    verifiers: fleet.verifiers.map((verifier) => ({
      groupId: verifier.groupId,
      clientId: verifier.clientId,
      host: verifier.host,
      state: verifier.state,
      lag: verifier.lag,
      committed: Object.fromEntries([...verifier.committed].map(([p, o]) => [String(p), o])),
    })),
    lagging: fleet.verifiers.filter((verifier) => verifier.lag > 0).length,
    ...(report.event === undefined
      ? {}
      : { event: { ...report.event.position, receipt: report.event.receipt } }),
  };
}

async function run(context: CommandContext): Promise<ExitCode> {
  const { io, out, values } = context;
  if (context.positionals.length > 0)
    throw new UsageError(
      `status takes no arguments, got ${JSON.stringify(context.positionals[0])}`,
      'status',
    );
  const topic = topicOf(values, io.env);
  const eventText = stringOption(values, 'event');
  const position =
    eventText === undefined ? undefined : parsePosition(eventText, 'event', 'status');
  const connection = connectionOptions(values, io.env, 'status');
  const report = await withOperator(connection, topic, async (kafka): Promise<StatusReport> => {
    const settings = await kafka.topicSettings(topic);
    const records = await readTopic(kafka, topic, io, flag(values, 'progress'));
    const fleet = await readFleet(kafka, { topic, now: context.now });
    if (
      position !== undefined &&
      !fleet.partitions.some((range) => range.partition === position.partition)
    )
      throw new UsageError(
        `--event: topic ${topic} has no partition ${position.partition}`,
        'status',
      );
    return {
      topic,
      settings,
      census: ruleCensus(records),
      fleet,
      ...(position === undefined
        ? {}
        : {
            event: {
              position,
              receipt: receiptOf(fleet, eventTarget(position.partition, position.offset)),
            },
          }),
    };
  });
  out.document(statusJson(report));
  for (const line of statusLines(report)) out.line(line);
  return EXIT.ok;
}

/** The `status` command. */
export const statusCommand: Command = {
  name: 'status',
  summary: 'the topic, the rules it states by kind and issuer, the live verifiers and their lag',
  usage: 'status [--event <partition>:<offset>] [options]',
  options: { event: { type: 'string' } },
  help: `Reads the topic's layout and settings, folds every event into the distinct rules it states
(by kind:issuer:target, as verifiers merge them), and lists the live verifiers: each is a consumer
group of its own, its committed offsets are its receipts, its lag what it has not applied yet.

Options:
  --event <p>:<o>    also tell which live verifiers applied the event at partition p, offset o

Example:
  $ revocation-fabric status --event 0:17
  …
  2 live verifiers, 0 lagging
  event 0:17: applied by 2 of 2 verifiers`,
  run,
};
