/**
 * Receipts on the revocation endpoints: a request with `Prefer: wait=applied` is answered only
 * once every live verifier has applied what it committed, or its bound ran out — with the
 * receipt in the body either way (`receipt.pending` names the laggards). Without the
 * preference an endpoint answers exactly as before, without touching Kafka.
 */
import { z } from 'zod';
import { parseAppliedPreference } from '../receipts/prefer-applied.js';
import type { RevocationReceipts } from '../receipts/revocation-receipts.js';
import { receiptOnlyResponse, receiptSchema } from '../receipts/receipt-schemas.js';
import type { Route } from './route.js';

const PREFER_PARAMETER = Object.freeze({
  name: 'Prefer',
  in: 'header',
  required: false,
  description:
    '`wait=applied` (RFC 7240 syntax): answer once every live verifier has applied the ' +
    'revocation, within `timeout` seconds (default 5, at most 30): `Prefer: wait=applied; ' +
    'timeout=10`. The answer is then 200 with `receipt`, and `Preference-Applied: wait=applied`.',
  schema: { type: 'string' },
});

/**
 * The route with the `Prefer: wait=applied` behaviour (see the file's comment).
 *
 * @example
 * ```ts
 * const routes = adminRoutes(ctx).map((route) => withReceipts(route, receipts, ctx.now));
 * ```
 */
export function withReceipts(route: Route, receipts: RevocationReceipts, now: () => number): Route {
  const ok = route.responses[200];
  const schema =
    ok?.schema instanceof z.ZodObject
      ? ok.schema.extend({ receipt: receiptSchema.optional() })
      : ok?.schema;
  return {
    ...route,
    parameters: [...(route.parameters ?? []), PREFER_PARAMETER],
    responses: {
      ...route.responses,
      200:
        ok === undefined
          ? {
              description: 'With `Prefer: wait=applied`: the receipt.',
              schema: receiptOnlyResponse,
            }
          : { ...ok, schema },
    },
    invoke: async (input) => {
      // Before the revocation runs: a malformed preference must not half-succeed.
      const preference = parseAppliedPreference(input.request.headers.prefer);
      const result = await route.invoke(input);
      if (preference === undefined || result.status >= 300) return result;
      const receipt = await receipts.afterCommit(now(), preference.timeoutMs);
      const body: unknown = result.body ?? {};
      return {
        status: 200,
        headers: { ...result.headers, 'Preference-Applied': 'wait=applied' },
        body:
          typeof body === 'object' && body !== null && !Array.isArray(body)
            ? { ...body, receipt }
            : body,
      };
    },
  };
}

/** The operations that commit a revocation: they accept `Prefer: wait=applied`. */
export const REVOKING_OPERATIONS: ReadonlySet<string> = new Set([
  'logout',
  'logoutEverywhere',
  'changePassword',
  'revokeMySession',
  'banUser',
  'suspendUser',
  'setRoles',
  'revokeSubject',
  'revokeAnySession',
  'revokeToken',
  'revokeKey',
  'emergencyCutoff',
]);
