/**
 * `inspect`: why is this token refused? Its header and claims, its signature against the
 * issuer's keys, its expiry, and every rule event of the topic that rejects it — the verdict
 * first.
 */
import { DEFAULT_CLOCK_TOLERANCE_MS, tokenFactsFromClaims } from '@revocation-fabric/protocol';
import { EXIT } from '../exit-codes.js';
import type { ExitCode } from '../exit-codes.js';
import { UsageError } from '../errors.js';
import { flag, parseDuration, stringOption } from '../lib/arguments.js';
import type { Command, CommandContext } from '../lib/command.js';
import { connectionOptions, topicOf, withOperator } from '../lib/connection.js';
import { recordJson, signedText, targetText } from '../lib/events.js';
import { readTopic } from '../lib/read-topic.js';
import { readAll } from '../lib/stdin.js';
import { count, formatTable, isoTime, plural, relativeTime } from '../lib/text.js';
import { checkSignature, decodeToken } from '../lib/token-check.js';
import type { DecodedToken, SignatureCheck } from '../lib/token-check.js';
import { inspectVerdict, rejectingRules } from '../lib/verdict.js';
import type { RejectingRecord, RejectingRules } from '../lib/verdict.js';
import { checkBrakes } from '../lib/brake-check.js';

function signatureText(signature: SignatureCheck): string {
  switch (signature.status) {
    case 'valid':
      return `valid (kid ${signature.kid ?? '-'}, ${signature.alg}, keys from ${signature.jwksUrl})`;
    case 'invalid':
      return `INVALID: ${signature.reason} (keys from ${signature.jwksUrl})`;
    case 'not-checked':
      return `not checked: ${signature.reason}`;
  }
}

function timeClaim(value: unknown, now: number): string | undefined {
  return typeof value === 'number'
    ? `${isoTime(value * 1000)} (${relativeTime(value * 1000, now)})`
    : undefined;
}

function tokenLines(decoded: DecodedToken, signature: SignatureCheck, now: number): string[] {
  const claims = decoded.payload;
  const text = (value: unknown) =>
    value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
  const generations = [
    claims['sgen'] === undefined ? undefined : `sgen ${text(claims['sgen'])}`,
    claims['ggen'] === undefined ? undefined : `ggen ${text(claims['ggen'])}`,
  ].filter((part) => part !== undefined);
  const rows: [string, string | undefined][] = [
    ['issuer', text(claims.iss)],
    ['audience', text(claims.aud)],
    ['subject', text(claims.sub)],
    ['session', text(claims['sid'])],
    ['token id', text(claims.jti)],
    ['key id', decoded.header.kid],
    ['algorithm', decoded.header.alg],
    ['issued', timeClaim(claims.iat, now)],
    ['expires', timeClaim(claims.exp, now)],
    ['generations', generations.length === 0 ? undefined : generations.join(', ')],
    [
      'roles',
      Array.isArray(claims['roles'])
        ? (claims['roles'] as unknown[]).map(String).join(', ')
        : undefined,
    ],
    ['signature', signatureText(signature)],
  ];
  return rows
    .filter((row): row is [string, string] => row[1] !== undefined)
    .map(([name, value]) => `  ${name.padEnd(12)}${value}`);
}

function rulesTable(rules: RejectingRules): string {
  return formatTable(
    [
      'KIND',
      'TARGET',
      'REASON',
      'ACTOR',
      'ISSUER',
      'EVENT',
      'ISSUED AT',
      'AT',
      'SIGNED',
      'APPLIED',
    ],
    rules.rejecting.map((record) => [
      record.event.kind,
      targetText(record.event),
      record.event.reason,
      record.event.actor,
      record.event.iss,
      record.event.id,
      isoTime(record.event.issuedAt),
      `${record.partition}/${record.offset}`,
      signedText(record),
      appliedText(record),
    ]),
  );
}

/** Whether a verifier applies the rule, and why not. */
function appliedText(record: RejectingRecord): string {
  if (record.brakeCheck === 'invalid') return 'no: brake signature invalid';
  if (!record.counts) return 'no: unsigned brake';
  return record.brakeCheck === 'not-checked' ? 'yes (signature not checked)' : 'yes';
}

async function tokenArgument(context: CommandContext): Promise<string> {
  const [token, ...extra] = context.positionals;
  if (token === undefined)
    throw new UsageError(
      'inspect what? give an access token, or - to read it from stdin',
      'inspect',
    );
  if (extra.length > 0)
    throw new UsageError(`inspect takes one token, got ${extra.length + 1} words`, 'inspect');
  const text = token === '-' ? await readAll(context.io.stdin) : token;
  if (text === '') throw new UsageError('no token on stdin', 'inspect');
  return text;
}

async function run(context: CommandContext): Promise<ExitCode> {
  const { io, out, values } = context;
  const topic = topicOf(values, io.env);
  const tolerance = stringOption(values, 'clock-tolerance');
  const clockToleranceMs =
    tolerance === undefined
      ? DEFAULT_CLOCK_TOLERANCE_MS
      : parseDuration(tolerance, 'clock-tolerance', 'inspect');
  const connection = connectionOptions(values, io.env, 'inspect');
  const decoded = decodeToken(await tokenArgument(context));
  const jwksUrl = stringOption(values, 'jwks-url');
  const signaturePending: Promise<SignatureCheck> = flag(values, 'skip-signature')
    ? Promise.resolve({ status: 'not-checked', reason: '--skip-signature' })
    : checkSignature(decoded, { jwksUrl });
  let rules: RejectingRules | undefined;
  let records: number | undefined;
  if (decoded.claims.ok) {
    const facts = tokenFactsFromClaims(decoded.claims.value, decoded.header.kid);
    const read = await withOperator(connection, topic, (kafka) =>
      readTopic(kafka, topic, io, flag(values, 'progress')),
    );
    records = read.length;
    rules = rejectingRules(read, facts, clockToleranceMs);
  }
  const signature = await signaturePending;
  // A brake counts only if its issuer signed it: checked against the keys the token's was.
  if (rules !== undefined)
    rules = await checkBrakes(
      rules,
      signature.status === 'not-checked' ? undefined : signature.jwksUrl,
    );
  const now = context.now();
  const expiresAt =
    typeof decoded.payload.exp === 'number' ? decoded.payload.exp * 1000 : undefined;
  const verdict = inspectVerdict({
    topic,
    rules,
    signature,
    claimsProblem: decoded.claims.ok ? undefined : decoded.claims.problem,
    expiresAt,
    now,
  });
  out.document({
    verdict,
    token: { header: decoded.header, claims: decoded.payload },
    signature,
    expired: expiresAt === undefined ? null : expiresAt <= now,
    topic: { name: topic, recordsRead: records ?? null, invalidRecords: rules?.invalid ?? null },
    rules: (rules?.rejecting ?? []).map((record) => ({
      ...recordJson(record),
      applied: record.counts,
    })),
  });
  out.line(verdict.text);
  out.line();
  out.line('token');
  for (const line of tokenLines(decoded, signature, now)) out.line(line);
  if (rules !== undefined) {
    out.line();
    out.line(
      `rules that reject it: ${count(rules.rejecting.length)} (${topic}: ${plural(rules.recordsRead, 'record')} read, ${count(rules.invalid)} undecodable ignored)`,
    );
    if (rules.rejecting.length > 0) out.line(rulesTable(rules));
  }
  return verdict.refused ? EXIT.negative : EXIT.ok;
}

/** The `inspect` command. */
export const inspectCommand: Command = {
  name: 'inspect',
  summary:
    'why is this token refused? its claims, signature, expiry and every rule that rejects it',
  usage: 'inspect <access-token|-> [options]',
  options: {
    'jwks-url': { type: 'string' },
    'skip-signature': { type: 'boolean' },
    'clock-tolerance': { type: 'string' },
  },
  help: `Decodes the token (header, claims), checks its signature against the issuer's keys and
its expiry, reads the whole topic and lists every rule event that rejects it, as a verifier
judges (brakes count only when their signature verifies against the issuer's keys). The verdict comes first. - reads the token from stdin
(keeps it out of your shell history). Records that are no valid event are ignored.

Options:
  --jwks-url <url>           the issuer's keys (default: its /.well-known/openid-configuration
                             jwks_uri, else <iss>/.well-known/jwks.json)
  --skip-signature           do not fetch keys
  --clock-tolerance <dur>    the verifiers' clock tolerance (default 5s)

Exit code 3 when the token is refused (revoked, bad signature, claims, expired), 0 otherwise.

Example:
  $ revocation-fabric inspect - < token.txt
  REFUSED — session 3f0c… revoked (reason logout) by u-42 at 2026-12-07T08:01:02Z (event …, partition 0, offset 17)`,
  run,
};
