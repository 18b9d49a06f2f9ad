/**
 * The CLI's exit codes, one table for every command (documented in the README and `--help`).
 */

/** What each exit code means. */
export const EXIT = {
  /** The command did what was asked; `inspect`: nothing refuses the token. */
  ok: 0,
  /** It could not: brokers or the user-service unreachable, a refusal of the API, … */
  failure: 1,
  /** The command line is wrong (unknown option, missing argument, bad value). */
  usage: 2,
  /**
   * The answer is "no": `inspect` — the token is refused; `check` — a problem was found;
   * `revoke --wait` — not confirmed applied by every live verifier in time.
   */
  negative: 3,
} as const;

/** One of {@link EXIT}'s codes. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit codes as `--help` prints them. */
export const EXIT_CODES_HELP = `Exit codes:
  0  done; inspect: nothing refuses the token
  1  failure: brokers or user-service unreachable, the API refused, …
  2  usage error: unknown option, missing or bad argument
  3  the answer is no: inspect — the token is refused; check — problems found;
     revoke --wait — not confirmed applied by every live verifier in time`;
