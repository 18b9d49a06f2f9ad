/**
 * Schemas of the admin console's API: the user search's query string and its page. A query
 * string is strict like a body: an unknown or repeated parameter is a 400, not ignored.
 */
import { z } from 'zod';
import { MAX_USERS_PAGE } from '../accounts/find-users.js';
import { UserServiceError } from '../errors.js';
import { accountResponse } from './schemas.js';

const usernameCharacters = /^[\p{L}\p{N}._-]+$/u;

/** `GET /admin/users?query=&limit=&after=`. */
export const userSearchQuery = z.strictObject({
  query: z
    .string()
    .min(1)
    .max(64)
    .regex(usernameCharacters, 'letters, digits, dot, underscore and hyphen only')
    .meta({ description: 'The start of a username (any case), or a whole user id.' }),
  limit: z
    .string()
    .regex(/^[0-9]{1,3}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_USERS_PAGE))
    .optional()
    .meta({ description: `Accounts per page, 1 to ${MAX_USERS_PAGE}; default 20.` }),
  after: z
    .string()
    .min(1)
    .max(64)
    .regex(usernameCharacters, 'must be a `next` cursor')
    .optional()
    .meta({ description: 'The `next` cursor of the previous page.' }),
});

/** The OpenAPI `parameters` of {@link userSearchQuery}. */
export const userSearchParameters = [
  {
    name: 'query',
    in: 'query',
    required: true,
    description: 'The start of a username (any case), or a whole user id.',
    schema: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[\\p{L}\\p{N}._-]+$' },
  },
  {
    name: 'limit',
    in: 'query',
    required: false,
    description: `Accounts per page, 1 to ${MAX_USERS_PAGE}; default 20.`,
    schema: { type: 'integer', minimum: 1, maximum: MAX_USERS_PAGE, default: 20 },
  },
  {
    name: 'after',
    in: 'query',
    required: false,
    description: 'The `next` cursor of the previous page.',
    schema: { type: 'string', minLength: 1, maxLength: 64 },
  },
] as const;

/** One page of accounts. */
export const userPageResponse = z.object({
  users: z.array(accountResponse),
  next: z.string().nullable().meta({ description: 'The cursor of the next page; null if last.' }),
});

/**
 * Parses a query string with `schema`, refusing it as the shell refuses a bad body: 400
 * `INVALID_REQUEST`, each offending parameter named `query.<name>`.
 */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const result = schema.safeParse({ ...(query as object) });
  if (result.success) return result.data;
  throw new UserServiceError({
    code: 'INVALID_REQUEST',
    message: 'invalid query',
    fields: result.error.issues.map((issue) => ({
      path: ['query', ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  });
}
