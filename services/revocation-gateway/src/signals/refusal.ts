/**
 * Why a signal was refused, and how each protocol says so. One code per validation rule;
 * {@link REFUSALS} gives each its HTTP status and its RFC 8935 `err` value in one table the
 * compiler checks, so a new rule cannot forget how it is answered. Back-Channel Logout has a
 * single error code (`invalid_request`, §2.8), so only the description differs there.
 */
import { CodedError } from '@revocation-fabric/protocol';
import type { CodedErrorOptions } from '@revocation-fabric/protocol';

/** The error codes of RFC 8935 §2.4 (push) and RFC 8936 §2.4.4 (`setErrs`). */
export const SET_ERROR_CODES = [
  'invalid_request',
  'invalid_key',
  'invalid_issuer',
  'invalid_audience',
  'authentication_failed',
  'access_denied',
] as const;

/** One of {@link SET_ERROR_CODES}. */
export type SetErrorCode = (typeof SET_ERROR_CODES)[number];

/** Every reason a signal is refused. */
export type RefusalCode =
  | 'UNKNOWN_PROVIDER'
  | 'CHANNEL_NOT_ENABLED'
  | 'AUTHENTICATION_FAILED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PAYLOAD_TOO_LARGE'
  | 'MALFORMED_BODY'
  | 'MALFORMED_TOKEN'
  | 'TYPE_NOT_ALLOWED'
  | 'ALGORITHM_NOT_ALLOWED'
  | 'KEY_NOT_FOUND'
  | 'SIGNATURE_INVALID'
  | 'ISSUER_MISMATCH'
  | 'AUDIENCE_MISMATCH'
  | 'ISSUED_AT_MISSING'
  | 'ISSUED_AT_OUT_OF_WINDOW'
  | 'EXPIRED'
  | 'EXPIRATION_MISSING'
  | 'JTI_MISSING'
  | 'JTI_REPLAYED'
  | 'EVENTS_MISSING'
  | 'EVENT_INVALID'
  | 'NONCE_PRESENT'
  | 'SUBJECT_MISSING'
  | 'SUBJECT_UNMAPPABLE'
  | 'CUTOFF_IN_FUTURE'
  | 'KEY_SOURCE_UNAVAILABLE';

/** How a refusal is answered. */
export interface RefusalAnswer {
  /** HTTP status on the push and logout endpoints. */
  readonly status: 400 | 401 | 403 | 404 | 413 | 415 | 503;
  /** `err` of RFC 8935/8936. */
  readonly setErr: SetErrorCode;
  /**
   * Whether the sender should try again later: the signal may be valid and we could not
   * check it (its keys were out of reach, or its key is not yet in our copy of the set). A polled SET refused so is neither acknowledged nor
   * reported in `setErrs`, so the transmitter delivers it again.
   */
  readonly retry: boolean;
}

const invalid: RefusalAnswer = { status: 400, setErr: 'invalid_request', retry: false };

/** The answer of every refusal code. */
export const REFUSALS: Readonly<Record<RefusalCode, RefusalAnswer>> = Object.freeze({
  UNKNOWN_PROVIDER: { status: 404, setErr: 'invalid_request', retry: false },
  CHANNEL_NOT_ENABLED: { status: 404, setErr: 'invalid_request', retry: false },
  AUTHENTICATION_FAILED: { status: 401, setErr: 'authentication_failed', retry: false },
  UNSUPPORTED_MEDIA_TYPE: invalid,
  PAYLOAD_TOO_LARGE: { status: 413, setErr: 'invalid_request', retry: false },
  MALFORMED_BODY: invalid,
  MALFORMED_TOKEN: invalid,
  TYPE_NOT_ALLOWED: invalid,
  ALGORITHM_NOT_ALLOWED: { status: 400, setErr: 'invalid_key', retry: false },
  // A key just rotated in is fetched only after jose's refetch cooldown (30 s): refusing for
  // good would drop a valid signal, so the sender is asked to try again.
  KEY_NOT_FOUND: { status: 503, setErr: 'invalid_key', retry: true },
  SIGNATURE_INVALID: { status: 400, setErr: 'invalid_key', retry: false },
  ISSUER_MISMATCH: { status: 400, setErr: 'invalid_issuer', retry: false },
  AUDIENCE_MISMATCH: { status: 400, setErr: 'invalid_audience', retry: false },
  ISSUED_AT_MISSING: invalid,
  ISSUED_AT_OUT_OF_WINDOW: invalid,
  EXPIRED: invalid,
  EXPIRATION_MISSING: invalid,
  JTI_MISSING: invalid,
  JTI_REPLAYED: invalid,
  EVENTS_MISSING: invalid,
  EVENT_INVALID: invalid,
  NONCE_PRESENT: invalid,
  SUBJECT_MISSING: invalid,
  SUBJECT_UNMAPPABLE: invalid,
  CUTOFF_IN_FUTURE: invalid,
  KEY_SOURCE_UNAVAILABLE: { status: 503, setErr: 'invalid_key', retry: true },
});

/** Options of {@link SignalRefusedError}. */
export interface SignalRefusedErrorOptions extends CodedErrorOptions {
  readonly code: RefusalCode;
  /** Shown to the sender verbatim (`error_description`, `description`): never internals. */
  readonly message: string;
}

/**
 * A signal the gateway will not turn into an event. Its message is the description the sender
 * sees.
 *
 * @example
 * ```ts
 * throw new SignalRefusedError({ code: 'NONCE_PRESENT', message: 'a logout token must not contain nonce' });
 * ```
 */
export class SignalRefusedError extends CodedError<RefusalCode> {
  override readonly code: RefusalCode;

  constructor(options: SignalRefusedErrorOptions) {
    super(options.message, options);
    this.code = options.code;
  }

  /** How this refusal is answered. */
  get answer(): RefusalAnswer {
    return REFUSALS[this.code];
  }
}

/**
 * Shorthand for a refusal.
 *
 * @example
 * ```ts
 * throw refuse('JTI_MISSING', 'the token has no jti');
 * ```
 */
export function refuse(code: RefusalCode, message: string, cause?: unknown): SignalRefusedError {
  return new SignalRefusedError({ code, message, cause });
}
