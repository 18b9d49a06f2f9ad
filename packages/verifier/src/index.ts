export { createVerifier } from './verifier.js';
export type { Verifier, VerifierEvents, VerifierStats } from './verifier.js';

export {
  DEFAULT_CACHE_SIZE,
  DEFAULT_KAFKA_CLIENT_ID,
  DEFAULT_MAX_STALENESS_MS,
  DEFAULT_MAX_TOKEN_LIFETIME_MS,
  DEFAULT_METRICS_PREFIX,
} from './options.js';
export type {
  AsymmetricAlgorithm,
  RemoteJwksOptions,
  VerifierKafkaOptions,
  VerifierMetricsOptions,
  VerifierOptions,
} from './options.js';

export { Blocklist } from './blocklist.js';
export type { BlocklistOptions, RevocationMatch, RuleCounts } from './blocklist.js';

export type { AccessTokenClaims, VerifiedToken } from './claims.js';
export { MAX_TOKEN_LENGTH } from './token-verification.js';

export type { PoisonCode } from './lib/feed.js';
export type { VerifierLogger } from './logger.js';

export {
  HTTP_STATUS_BY_CODE,
  VerifierError,
  TokenMissingError,
  TokenMalformedError,
  TokenExpiredError,
  TokenNotYetValidError,
  SignatureInvalidError,
  ClaimInvalidError,
  TokenRevokedError,
  InsufficientScopeError,
  NotReadyError,
  StaleError,
  JwksUnavailableError,
} from './errors.js';
export type { VerifierErrorCode } from './errors.js';
