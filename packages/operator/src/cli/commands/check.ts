/**
 * `check`: is the fabric set up safely? Retention against token lifetimes, partitions and
 * replication, who may write the topic, verifiers without receipts. Exit 3 on any problem.
 */
import { DEFAULT_CLOCK_TOLERANCE_MS } from '@revocation-fabric/protocol';
import { readFleet } from '../../fleet.js';
import { EXIT } from '../exit-codes.js';
import type { ExitCode } from '../exit-codes.js';
import { UsageError } from '../errors.js';
import { parseDuration, stringOption } from '../lib/arguments.js';
import type { Command, CommandContext } from '../lib/command.js';
import { connectionOptions, topicOf, withOperator } from '../lib/connection.js';
import { checkFindings } from '../lib/findings.js';
import type { CheckInput, Finding } from '../lib/findings.js';
import { count } from '../lib/text.js';

/** `--max-token-lifetime` when not given. */
export const DEFAULT_MAX_TOKEN_LIFETIME = '15m';

const MARK: Readonly<Record<Finding['level'], string>> = {
  ok: 'ok     ',
  warn: 'warn   ',
  problem: 'PROBLEM',
};

/** The findings as printed, each fix on the line below it. */
export function findingLines(findings: readonly Finding[]): string[] {
  return findings.flatMap((finding) => [
    `${MARK[finding.level]}  ${finding.area}: ${finding.text}`,
    ...(finding.fix === undefined || finding.level === 'ok'
      ? []
      : [`         fix: ${finding.fix}`]),
  ]);
}

async function run(context: CommandContext): Promise<ExitCode> {
  const { io, out, values } = context;
  if (context.positionals.length > 0)
    throw new UsageError(
      `check takes no arguments, got ${JSON.stringify(context.positionals[0])}`,
      'check',
    );
  const topic = topicOf(values, io.env);
  const maxTokenLifetimeMs = parseDuration(
    stringOption(values, 'max-token-lifetime') ?? DEFAULT_MAX_TOKEN_LIFETIME,
    'max-token-lifetime',
    'check',
  );
  const tolerance = stringOption(values, 'clock-tolerance');
  const clockToleranceMs =
    tolerance === undefined
      ? DEFAULT_CLOCK_TOLERANCE_MS
      : parseDuration(tolerance, 'clock-tolerance', 'check');
  const connection = connectionOptions(values, io.env, 'check');
  const input = await withOperator(connection, topic, async (kafka): Promise<CheckInput> => {
    const settings = await kafka.topicSettings(topic);
    const acls = await kafka.topicAcls(topic).then(
      (bindings) => ({ ok: true as const, bindings }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    const fleet = await readFleet(kafka, { topic, now: context.now });
    return { topic, settings, acls, fleet, maxTokenLifetimeMs, clockToleranceMs };
  });
  const findings = checkFindings(input);
  const problems = findings.filter((finding) => finding.level === 'problem').length;
  const warnings = findings.filter((finding) => finding.level === 'warn').length;
  out.document({ topic, maxTokenLifetimeMs, clockToleranceMs, problems, warnings, findings });
  out.line(
    `check of ${topic} (tokens live up to ${stringOption(values, 'max-token-lifetime') ?? DEFAULT_MAX_TOKEN_LIFETIME})`,
  );
  for (const line of findingLines(findings)) out.line(line);
  out.line(
    `${count(problems)} problem${problems === 1 ? '' : 's'}, ${count(warnings)} warning${warnings === 1 ? '' : 's'}`,
  );
  return problems > 0 ? EXIT.negative : EXIT.ok;
}

/** The `check` command. */
export const checkCommand: Command = {
  name: 'check',
  summary:
    'check retention, replication, who may write the topic, and receipts; exit 3 on a problem',
  usage: 'check [--max-token-lifetime <duration>] [options]',
  options: {
    'max-token-lifetime': { type: 'string' },
    'clock-tolerance': { type: 'string' },
  },
  help: `Checks the topic's retention against the longest token lifetime (a verifier that replays
must find every rule that can still reject a live token), its partitions, replication and
min.insync.replicas, the ACLs that let principals write it (a wildcard writer is a problem; a
broker without an authorizer a warning), and live verifiers that never committed a receipt.
Each finding is ok, warn or PROBLEM, with a fix. Exit code 3 when there is a problem.

Options:
  --max-token-lifetime <dur>   longest access-token lifetime any verifier accepts (default ${DEFAULT_MAX_TOKEN_LIFETIME})
  --clock-tolerance <dur>      the verifiers' clock tolerance (default 5s)

Example:
  $ revocation-fabric check --max-token-lifetime 15m
  ok       retention: retention.ms 1805000 (30m 5s) ≥ 910000 ms (15m 10s) for tokens living up to 15m`,
  run,
};
