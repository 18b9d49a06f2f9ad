/**
 * `Prefer: wait=applied` (RFC 7240 syntax): the client asks a revocation endpoint to answer
 * only once every live verifier has applied what it committed, within a bound it may give as
 * the preference's `timeout` parameter in seconds (`Prefer: wait=applied; timeout=10`).
 * Preferences the service does not know are ignored, as RFC 7240 asks; a `timeout` that is not
 * a number of seconds within the bound is the client's mistake and answered as one.
 */
import { UserServiceError } from '../errors.js';

/** Default bound of a wait, ms. */
export const DEFAULT_APPLIED_WAIT_MS = 5_000;
/** Longest wait a client may ask for, ms: a request must not hold a connection for minutes. */
export const MAX_APPLIED_WAIT_MS = 30_000;

/** What a request's `Prefer` header asks of a revocation: nothing, or a bounded wait. */
export type AppliedPreference = { readonly timeoutMs: number } | undefined;

/**
 * Reads `Prefer` header values.
 *
 * @throws {@link UserServiceError} `INVALID_REQUEST` naming `headers.prefer` when the `wait=applied`
 *   preference carries a `timeout` that is not a number of seconds in (0, 30].
 * @example
 * ```ts
 * parseAppliedPreference('wait=applied; timeout=2'); // { timeoutMs: 2000 }
 * parseAppliedPreference('respond-async'); // undefined
 * ```
 */
export function parseAppliedPreference(header: string | string[] | undefined): AppliedPreference {
  const values = header === undefined ? [] : Array.isArray(header) ? header : [header];
  for (const preference of values.flatMap((value) => value.split(','))) {
    const [head = '', ...parameters] = preference.split(';').map((part) => part.trim());
    const [name, value] = splitPair(head);
    if (name.toLowerCase() !== 'wait' || value?.toLowerCase() !== 'applied') continue;
    let timeoutMs = DEFAULT_APPLIED_WAIT_MS;
    for (const parameter of parameters) {
      const [key, raw] = splitPair(parameter);
      if (key.toLowerCase() !== 'timeout') continue;
      const seconds = raw !== undefined && /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
      if (!(seconds > 0 && seconds * 1000 <= MAX_APPLIED_WAIT_MS)) {
        throw new UserServiceError({
          code: 'INVALID_REQUEST',
          message: `Prefer: wait=applied takes timeout=<seconds>, more than 0 and at most ${MAX_APPLIED_WAIT_MS / 1000}`,
          fields: [{ path: 'headers.prefer', message: `bad timeout ${JSON.stringify(raw ?? '')}` }],
        });
      }
      timeoutMs = Math.round(seconds * 1000);
    }
    return { timeoutMs };
  }
  return undefined;
}

function splitPair(text: string): [string, string | undefined] {
  const at = text.indexOf('=');
  if (at < 0) return [text.trim(), undefined];
  return [
    text.slice(0, at).trim(),
    text
      .slice(at + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1'),
  ];
}
