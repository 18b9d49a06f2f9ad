/**
 * `tail`: the live topic decoded, one line per record (NDJSON with `--json`), filtered by
 * issuer, kind or subject; Ctrl-C ends it (exit 0).
 */
import { RULE_KINDS } from '@revocation-fabric/protocol';
import type { RuleKind } from '@revocation-fabric/protocol';
import { followRevocations } from '../../revocation-log.js';
import type { LoggedRevocation } from '../../revocation-log.js';
import { EXIT } from '../exit-codes.js';
import type { ExitCode } from '../exit-codes.js';
import { UsageError } from '../errors.js';
import { parseInteger, stringOption } from '../lib/arguments.js';
import type { Command, CommandContext } from '../lib/command.js';
import { connectionOptions, topicOf, withOperator } from '../lib/connection.js';
import { recordJson, recordLine } from '../lib/events.js';

/** Which records `tail` shows. */
export interface TailFilter {
  readonly issuer?: string | undefined;
  readonly kind?: RuleKind | undefined;
  /** Subject rules of this `sub` (other kinds name no subject). */
  readonly subject?: string | undefined;
}

/**
 * Does the record pass the filter? Invalid records pass only an empty filter: they state no
 * issuer, kind or subject.
 */
export function passes(record: LoggedRevocation, filter: TailFilter): boolean {
  const event = record.event;
  if (event === undefined)
    return filter.issuer === undefined && filter.kind === undefined && filter.subject === undefined;
  if (filter.issuer !== undefined && event.iss !== filter.issuer) return false;
  if (filter.kind !== undefined && event.kind !== filter.kind) return false;
  if (filter.subject !== undefined && (event.kind !== 'subject' || event.sub !== filter.subject))
    return false;
  return true;
}

/**
 * The filter of the command line.
 *
 * @throws {@link UsageError} for an unknown kind.
 */
export function tailFilter(values: CommandContext['values']): TailFilter {
  const kind = stringOption(values, 'kind');
  if (kind !== undefined && !(RULE_KINDS as readonly string[]).includes(kind))
    throw new UsageError(
      `--kind must be one of ${RULE_KINDS.join(', ')}, got ${JSON.stringify(kind)}`,
      'tail',
    );
  return {
    issuer: stringOption(values, 'issuer'),
    kind: kind as RuleKind | undefined,
    subject: stringOption(values, 'subject'),
  };
}

async function run(context: CommandContext): Promise<ExitCode> {
  const { io, out, values } = context;
  if (context.positionals.length > 0)
    throw new UsageError(
      `tail takes no arguments, got ${JSON.stringify(context.positionals[0])}`,
      'tail',
    );
  const topic = topicOf(values, io.env);
  const lastText = stringOption(values, 'last');
  const last = lastText === undefined ? 0 : parseInteger(lastText, 'last', 0, 'tail');
  const filter = tailFilter(values);
  const connection = connectionOptions(values, io.env, 'tail');
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  if (io.signal?.aborted) return EXIT.ok;
  io.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await withOperator(connection, topic, async (kafka) => {
      await followRevocations(kafka, {
        topic,
        last,
        signal: stop.signal,
        // Said once the start is read: every record published after the note is shown.
        onStart: (ranges) =>
          out.note(
            `following ${topic} (${ranges.length} partitions)${last > 0 ? `, the last ${last} records of each first` : ''}; Ctrl-C to stop`,
          ),
        onRevocation: (record) => {
          if (!passes(record, filter)) return;
          out.record(recordJson(record));
          out.line(recordLine(record));
        },
      });
    });
  } finally {
    io.signal?.removeEventListener('abort', onAbort);
  }
  return EXIT.ok;
}

/** The `tail` command. */
export const tailCommand: Command = {
  name: 'tail',
  summary: 'follow the topic live, decoded, one line per event (NDJSON with --json)',
  usage: 'tail [--issuer <iss>] [--kind <kind>] [--subject <sub>] [--last <n>] [options]',
  options: {
    issuer: { type: 'string' },
    kind: { type: 'string' },
    subject: { type: 'string' },
    last: { type: 'string' },
  },
  help: `Follows the topic from its end (or the last <n> records of each partition first) and prints
every record decoded: time, kind, target, reason, actor, issuer, partition/offset, and for brakes
whether they are signed. Records that are no valid event show as INVALID with their code.
Ctrl-C ends it (exit 0).

Options:
  --issuer <iss>     only this issuer's rules
  --kind <kind>      only token, session, subject, key or global rules
  --subject <sub>    only subject rules of this user
  --last <n>         start with the last n records of each partition (default 0)

Example:
  $ revocation-fabric tail --kind session
  2026-12-07T08:01:02.345Z  session  3f0c…  logout  by u-42  https://auth.example.com  0/17`,
  run,
};
