export { createVerifier } from './verifier.js';
export type { RevokedContext, RevokedListener, Verifier } from './verifier.js';
export type { VerifierStats } from './stats.js';

export {
  DEFAULT_CACHE_SIZE,
  DEFAULT_MAX_STALENESS_MS,
  DEFAULT_MAX_TOKEN_LIFETIME_MS,
  DEFAULT_METRICS_PREFIX,
} from './options.js';
export type {
  CommonVerifierOptions,
  MultiIssuerVerifierOptions,
  SingleIssuerVerifierOptions,
  MetricsRegistry,
  VerifierMetricsOptions,
  VerifierOptions,
} from './options.js';
export type {
  AsymmetricAlgorithm,
  ClaimMapping,
  RemoteJwksOptions,
  RevocationAuthority,
  TrustedIssuer,
} from './issuers.js';
export { REFUSED_EVENT_REASONS } from './authority.js';
export type { RefusedEventReason, RevocationSourceGrant } from './authority.js';

export type {
  EventOrigin,
  FeedStats,
  PoisonCode,
  RevocationFeed,
  RevocationFeedContext,
  RevocationFeedFactory,
  RevocationSink,
  SinkSnapshots,
} from './feed.js';

export type { AccessTokenClaims, VerifiedToken } from './claims.js';
export type { RecentAuthOptions } from './auth-age.js';
export { MAX_TOKEN_LENGTH } from './token-verification.js';

export type { VerifierLogger } from './logger.js';

export {
  VERIFIER_ERROR_RESPONSES,
  VerifierError,
  TokenMissingError,
  TokenMalformedError,
  TokenExpiredError,
  TokenNotYetValidError,
  SignatureInvalidError,
  ClaimInvalidError,
  TokenRevokedError,
  InsufficientScopeError,
  InsufficientUserAuthenticationError,
  NotReadyError,
  NOT_READY_REASONS,
  StaleError,
  JwksUnavailableError,
} from './errors.js';
export type {
  BearerErrorCode,
  ClaimInvalidErrorOptions,
  InsufficientScopeErrorOptions,
  InsufficientUserAuthenticationErrorOptions,
  NotReadyErrorOptions,
  NotReadyReason,
  StaleErrorOptions,
  TokenMalformedErrorOptions,
  TokenRevokedErrorOptions,
  VerifierErrorCode,
  VerifierErrorResponse,
} from './errors.js';
