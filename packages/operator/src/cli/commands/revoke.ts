/**
 * `revoke`: every revocation through the user-service's admin API, the brakes (`key`,
 * `global`) confirmed by typing their target, and with `--wait` the receipt of the live
 * verifiers that applied it.
 */
import { EXIT } from '../exit-codes.js';
import type { ExitCode } from '../exit-codes.js';
import { NotConfirmedError, UsageError } from '../errors.js';
import { flag, stringOption } from '../lib/arguments.js';
import { callAdmin } from '../lib/admin-api.js';
import type { RevocationReceipt } from '../../receipts.js';
import type { AdminAnswer, AdminApi } from '../lib/admin-api.js';
import type { Command, CommandContext } from '../lib/command.js';
import { receiptSentence } from '../lib/receipt-text.js';
import {
  DEFAULT_WAIT_SECONDS,
  MAX_WAIT_SECONDS,
  revokeRequest,
  waitSeconds,
} from '../lib/revoke-request.js';
import type { RevokeRequest } from '../lib/revoke-request.js';
import { readAll } from '../lib/stdin.js';
import { isoTime } from '../lib/text.js';

/** The environment variables of the admin API. */
export const ADMIN_ENV = {
  url: 'REVOCATION_FABRIC_URL',
  adminToken: 'REVOCATION_FABRIC_ADMIN_TOKEN',
} as const;

function adminApi(context: CommandContext): AdminApi {
  const env = context.io.env;
  const url = stringOption(context.values, 'url') ?? env[ADMIN_ENV.url];
  const token = stringOption(context.values, 'admin-token') ?? env[ADMIN_ENV.adminToken];
  if (url === undefined || url.trim() === '')
    throw new UsageError(`no user-service: pass --url or set ${ADMIN_ENV.url}`, 'revoke');
  if (!/^https?:\/\//.test(url.trim()))
    throw new UsageError(`--url must be an http(s) URL, got ${JSON.stringify(url)}`, 'revoke');
  if (token === undefined || token.trim() === '')
    throw new UsageError(
      `no admin token: set ${ADMIN_ENV.adminToken} (or pass --admin-token) to an access token of an admin`,
      'revoke',
    );
  return { url: url.trim(), token: token.trim() };
}

/** What a brake refuses, and the word to type to pull it. */
function brakeWarning(
  request: RevokeRequest,
): { readonly warning: string; readonly word: string } | undefined {
  if (request.what === 'key')
    return {
      warning: `This refuses every token signed with key ${request.target}, at every verifier, and rotates the signing key.`,
      word: request.target,
    };
  if (request.what === 'global')
    return {
      warning:
        'This refuses EVERY access token issued so far, at every verifier: everyone refreshes or signs in again.',
      word: 'global',
    };
  return undefined;
}

async function confirm(context: CommandContext, request: RevokeRequest): Promise<void> {
  const brake = brakeWarning(request);
  if (brake === undefined || flag(context.values, 'yes')) return;
  if (context.io.stdin.isTTY !== true || context.io.ask === undefined) {
    throw new UsageError(
      `revoke ${request.what} pulls a brake and asks for confirmation, but stdin is not a terminal: pass --yes`,
      'revoke',
    );
  }
  context.io.stderr.write(`${brake.warning}\n`);
  const typed = await context.io.ask(`Type ${JSON.stringify(brake.word)} to confirm: `);
  if (typed.trim() !== brake.word)
    throw new NotConfirmedError(
      `not confirmed (typed ${JSON.stringify(typed.trim())}): nothing revoked`,
    );
}

/** A field of the answer as text. */
function field(body: Readonly<Record<string, unknown>>, name: string): string {
  const value = body[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '?';
}

function whatWasDone(request: RevokeRequest, answer: AdminAnswer): string {
  const body = answer.body;
  switch (request.what) {
    case 'session':
      return `revoked session ${request.target}`;
    case 'user':
      return `revoked every token and session of user ${request.target}`;
    case 'token':
      return `revoked token ${field(body, 'jti')}${typeof body['expiresAt'] === 'number' ? ` (expires ${isoTime(body['expiresAt'])})` : ''}`;
    case 'key':
      return `revoked signing key ${field(body, 'revokedKid')}; now signing with ${field(body, 'activeKid')}`;
    case 'global':
      return `global cutoff: every access token issued so far is refused (generation ${field(body, 'generation')})`;
  }
}

/** What became of the wait, in one line. */
export function receiptLine(receipt: RevocationReceipt): string {
  switch (receipt.state) {
    case 'unpublished':
      return `not in Kafka yet: committed to the outbox, the relay publishes it once Kafka answers (waited ${receipt.ms} ms)`;
    case 'unknown':
      return `receipt unknown: the user-service could not tell who applied it${receipt.error === undefined ? '' : ` (${receipt.error})`}; see revocation-fabric status`;
    default:
      return receiptSentence(receipt);
  }
}

async function run(context: CommandContext): Promise<ExitCode> {
  const { out } = context;
  const positionals = [...context.positionals];
  const wait = waitSeconds(stringOption(context.values, 'wait'));
  const api = adminApi(context);
  if (positionals[0] === 'token' && positionals[1] === '-')
    positionals[1] = await readAll(context.io.stdin);
  const request = revokeRequest(positionals, { endSessions: flag(context.values, 'end-sessions') });
  await confirm(context, request);
  const answer = await callAdmin(api, request.method, request.path, {
    json: request.json,
    waitSeconds: wait,
  });
  const target = request.what === 'token' ? field(answer.body, 'jti') : request.target;
  let exit: ExitCode = EXIT.ok;
  if (
    answer.receipt !== undefined &&
    (!answer.receipt.complete || answer.receipt.state !== 'applied')
  )
    exit = EXIT.negative;
  out.document({
    revoked: { kind: request.what, target },
    status: answer.status,
    answer: answer.body,
    ...(answer.receipt === undefined ? {} : { receipt: answer.receipt }),
    ...(answer.waitIgnored ? { waitIgnored: true } : {}),
  });
  out.line(whatWasDone(request, answer));
  if (answer.receipt !== undefined) {
    const receipt = answer.receipt;
    out.line(receiptLine(receipt));
  }
  if (answer.waitIgnored)
    out.note(
      'warning: the user-service did not wait for receipts (no Preference-Applied: wait=applied): it is published, but who applied it is unknown; see `revocation-fabric status`',
    );
  return exit;
}

/** The `revoke` command. */
export const revokeCommand: Command = {
  name: 'revoke',
  summary:
    'revoke a session, a user, a token, a signing key, or everything (through the user-service)',
  usage:
    'revoke session <sid> | user <userId> | token <access-token|-> | key <kid> | global [options]',
  options: {
    url: { type: 'string' },
    'admin-token': { type: 'string' },
    wait: { type: 'string' },
    yes: { type: 'boolean', short: 'y' },
    'end-sessions': { type: 'boolean' },
  },
  optionalValued: ['--wait'],
  help: `Revokes through the user-service's admin API (the acting admin becomes the event's actor):
  session <sid>        DELETE /admin/sessions/<sid>        one login on one device
  user <userId>        POST /admin/users/<userId>/revoke    every token and session of a user
  token <token|->      POST /admin/tokens/revoke            one access token (- reads it from stdin)
  key <kid>            POST /admin/keys/<kid>/revoke        a compromised signing key (a brake)
  global               POST /admin/emergency-cutoff         every token issued so far (a brake)
The brakes ask you to type the key id or the word "global"; --yes skips that (required when
stdin is not a terminal).

Options:
  --url <url>            the user-service (env ${ADMIN_ENV.url})
  --admin-token <jwt>    an admin's access token (env ${ADMIN_ENV.adminToken}; prefer the variable)
  --wait[=<seconds>]     answer once every live verifier applied it (default ${DEFAULT_WAIT_SECONDS} s, at most ${MAX_WAIT_SECONDS});
                         exit 3 if not in time (or not published, or unknown)
  -y, --yes              do not ask before pulling a brake
  --end-sessions         global only: also end every session (everyone signs in again)

Example:
  $ revocation-fabric revoke session 3f0c… --wait
  revoked session 3f0c…
  applied by 2 of 2 verifiers in 41 ms`,
  run,
};
