/**
 * The gateway's own error vocabulary, for every answer that is not a signal endpoint's (those
 * answer in their protocol's words, see signals/refusal.ts): the shared HTTP shell's codes
 * (`NOT_FOUND`, `METHOD_NOT_ALLOWED`, `INVALID_REQUEST`, …) in protocol's one error body.
 */
import { SHELL_ERROR_STATUS } from '@revocation-fabric/service-runtime';
import type { ShellErrorCode } from '@revocation-fabric/service-runtime';

/** Every code a client can receive in `{ error: { code } }`, in the shell's table order. */
export const ERROR_CODES = Object.freeze(Object.keys(SHELL_ERROR_STATUS)) as readonly [
  ShellErrorCode,
  ...ShellErrorCode[],
];

export { ConfigError } from '@revocation-fabric/service-runtime';
