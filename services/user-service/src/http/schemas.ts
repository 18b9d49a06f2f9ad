/**
 * Request and response schemas. The same zod schemas validate requests and generate the
 * OpenAPI document, so the documentation cannot drift from what the service accepts.
 * Request objects are strict: an unknown field is a 400, not silently ignored.
 */
import { z } from 'zod';

const username = z
  .string()
  .min(3)
  .max(64)
  .regex(/^[\p{L}\p{N}._-]+$/u, 'letters, digits, dot, underscore and hyphen only')
  .meta({ description: 'Login name; compared case-insensitively (NFKC, lower case).' });

// OWASP: at least 8 characters with MFA, 15 without; we take 12 and allow long passphrases.
const newPassword = z
  .string()
  .min(12)
  .max(256)
  .meta({ description: '12 to 256 characters; any characters, compared in NFKC.' });

const uuid = z.uuid();

export const credentialsBody = z.strictObject({
  username,
  password: z.string().min(1).max(256),
});

export const registrationBody = z.strictObject({ username, password: newPassword });

export const refreshBody = z.strictObject({
  refreshToken: z.string().min(1).max(512).meta({ description: 'The opaque refresh token.' }),
});

export const passwordChangeBody = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword,
});

export const sessionParams = z.strictObject({
  sid: uuid.meta({ description: 'Session id (`sid`).' }),
});
export const userParams = z.strictObject({
  userId: uuid.meta({ description: 'User id (`sub`).' }),
});
export const keyParams = z.strictObject({
  kid: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be a key id')
    .meta({ description: 'Signing key id (`kid`).' }),
});

export const suspendBody = z
  .strictObject({
    until: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: 'End of the suspension, ms since the epoch; open-ended if absent.' }),
  })
  .default({});

export const rolesBody = z.strictObject({
  roles: z.array(z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'must be a role name')).max(32),
});

export const tokenRevocationBody = z.union([
  z.strictObject({
    token: z.string().min(1).max(8192).meta({ description: 'The access token to revoke.' }),
  }),
  z.strictObject({
    jti: z.string().min(1).max(256),
    expiresAt: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: "The token's `exp` in ms, if known; else the longest possible." }),
  }),
]);

export const emergencyBody = z
  .strictObject({
    endSessions: z
      .boolean()
      .default(false)
      .meta({ description: 'Also end every session, so everyone must sign in again.' }),
  })
  .default({ endSessions: false });

export const tokenPairResponse = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int().meta({
    description: 'Access-token lifetime, seconds; shorter when the session ends sooner.',
  }),
  refreshToken: z.string(),
  refreshExpiresIn: z.number().int().meta({
    description:
      'Refresh-token lifetime, seconds; never past the session’s end, after which signing in again is the way on.',
  }),
  sessionId: z.string(),
});

export const accountResponse = z.object({
  id: z.string(),
  username: z.string(),
  roles: z.array(z.string()),
  status: z.enum(['active', 'suspended', 'banned']),
  createdAt: z.number().int(),
});

export const sessionsResponse = z.object({
  sessions: z.array(
    z.object({
      id: z.string(),
      current: z.boolean(),
      createdAt: z.number().int(),
      lastUsedAt: z.number().int(),
      authTime: z.number().int(),
      userAgent: z.string().nullable(),
      clientAddress: z.string().nullable(),
    }),
  ),
});

export const rolesResponse = z.object({ roles: z.array(z.string()) });

export const tokenRevocationResponse = z.object({
  jti: z.string(),
  expiresAt: z.number().int(),
});

export const keyRevocationResponse = z.object({ revokedKid: z.string(), activeKid: z.string() });
export const keyRotationResponse = z.object({ activeKid: z.string() });
export const keysResponse = z.object({
  keys: z.array(
    z.object({
      kid: z.string(),
      status: z.enum(['next', 'active', 'retired', 'revoked']),
      activatedAt: z.number().int().nullable(),
      createdAt: z.number().int(),
      retiredAt: z.number().int().nullable(),
      revokedAt: z.number().int().nullable(),
    }),
  ),
});
export const emergencyResponse = z.object({ generation: z.number().int() });

export const jwksResponse = z.object({
  keys: z.array(z.record(z.string(), z.unknown())),
});

/** `Authorization: Bearer <jwt>`. */
export const bearerHeader = z
  .string()
  .max(8192)
  .regex(/^Bearer [A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'must be "Bearer <jwt>"');
