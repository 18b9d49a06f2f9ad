/**
 * One trusted identity provider, as the operator configures it: who it is (`issuer`), where its
 * keys are, which algorithms it may sign with, and which of its signal channels the gateway
 * listens to (OIDC Back-Channel Logout, an SSF stream). Validated with zod, every problem
 * reported under its path.
 */
import { z } from 'zod';
import { ASYMMETRIC_ALGORITHMS } from '@revocation-fabric/protocol';

// The asymmetric JWS algorithms a provider may be pinned to: protocol's one list (HS* is not
// in it on purpose: a shared secret would let every receiver forge the provider's signals).
export { ASYMMETRIC_ALGORITHMS } from '@revocation-fabric/protocol';
export type { AsymmetricAlgorithm } from '@revocation-fabric/protocol';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const positiveMs = (max: number) => z.number().int().positive().max(max);

const ssfSchema = z
  .strictObject({
    configurationUrl: httpUrl.optional().meta({
      description:
        'The transmitter configuration. Default `${issuer}/.well-known/ssf-configuration`.',
    }),
    audience: z.string().min(1).optional().meta({
      description:
        'What every SET’s `aud` must contain. Default: the `aud` of the stream the gateway set up (Keycloak: `<clientId>/<streamId>`).',
    }),
    delivery: z.enum(['push', 'poll']),
    pushUrl: httpUrl.optional().meta({
      description: 'Our public URL of `POST /ssf/:provider/events`; required for push.',
    }),
    tokenUrl: httpUrl.optional().meta({
      description:
        'Token endpoint for the receiver’s client credentials. Default: the issuer’s discovered `token_endpoint`.',
    }),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    pollIntervalMs: positiveMs(3_600_000).default(1000),
    maxEvents: z.number().int().min(1).max(1000).default(50),
    maxSetAgeMs: positiveMs(30 * 86_400_000)
      .default(86_400_000)
      .meta({
        description: 'Oldest `iat` accepted; polled SETs may have waited at the transmitter.',
      }),
    eventsRequested: z.array(z.string().min(1)).optional(),
    subjects: z
      .array(z.looseObject({ format: z.string().min(1) }))
      .min(1)
      .max(1000)
      .optional()
      .meta({
        description:
          'Subjects (RFC 9493 identifiers, e.g. `{ "format": "iss_sub", "iss": …, "sub": … }`) added to the stream after set-up with the transmitter’s `add_subject_endpoint`. Needed when its `default_subjects` is `NONE`: it sends nothing for a subject not added. Default: none added (the transmitter’s default).',
      }),
  })
  .superRefine((ssf, ctx) => {
    if (ssf.delivery === 'push' && ssf.pushUrl === undefined) {
      ctx.addIssue({ code: 'custom', path: ['pushUrl'], message: 'is required for push delivery' });
    }
  });

/** The schema of one provider. */
export const providerSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be URL-safe: a-z 0-9 _ - (≤ 63, first a-z0-9)'),
  issuer: httpUrl,
  jwksUrl: httpUrl.optional(),
  algorithms: z
    .array(z.enum(ASYMMETRIC_ALGORITHMS, { error: 'must be an asymmetric JWS algorithm' }))
    .min(1, 'must pin at least one algorithm'),
  maxTokenLifetimeMs: positiveMs(7 * 86_400_000),
  maxSignalAgeMs: positiveMs(86_400_000)
    .default(300_000)
    .meta({ description: 'Oldest logout-token `iat` accepted (past skew).' }),
  backchannelLogout: z.strictObject({ clientId: z.string().min(1) }).optional(),
  ssf: ssfSchema.optional(),
});

/** The schema of the provider list (rules across providers: see {@link providerListProblems}). */
export const providersSchema = z.array(providerSchema).min(1, 'must list at least one provider');

/**
 * The rules across providers and channels, checked on the raw list so they are reported even
 * when some provider also fails its own schema (zod skips refinements of a failed array): names
 * are unique, and each provider enables at least one channel.
 *
 * @example
 * ```ts
 * providerListProblems([{ name: 'a' }, { name: 'a' }]); // [{ path: [1, 'name'], message: 'is used twice' }, …]
 * ```
 */
export function providerListProblems(
  list: unknown,
): Array<{ readonly path: readonly (string | number)[]; readonly message: string }> {
  if (!Array.isArray(list)) return [];
  const problems: Array<{ path: (string | number)[]; message: string }> = [];
  const seen = new Set<unknown>();
  list.forEach((item: unknown, index) => {
    if (typeof item !== 'object' || item === null) return;
    const { name, backchannelLogout, ssf } = item as Record<string, unknown>;
    if (typeof name === 'string' && seen.has(name)) {
      problems.push({ path: [index, 'name'], message: 'is used twice' });
    }
    seen.add(name);
    if (backchannelLogout === undefined && ssf === undefined) {
      problems.push({
        path: [index],
        message: 'enables no channel: set backchannelLogout and/or ssf',
      });
    }
  });
  return problems;
}

/** One validated provider. */
export type ProviderConfig = z.output<typeof providerSchema>;

/** The SSF part of a validated provider. */
export type SsfConfig = NonNullable<ProviderConfig['ssf']>;
