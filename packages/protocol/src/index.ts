export { SCHEMA_VERSION, RULE_KINDS, REVOCATION_REASONS } from './event.js';
export type {
  RuleKind,
  RevocationReason,
  EventEnvelope,
  TokenRevocation,
  SessionRevocation,
  SubjectRevocation,
  KeyRevocation,
  GlobalRevocation,
  RevocationEvent,
  RevocationEventOf,
} from './event.js';

export {
  GLOBAL_TARGET,
  eventTarget,
  eventKey,
  ruleKey,
  ruleFromEvent,
  mergeRules,
  isLaterOrSame,
  rejects,
  forgetAt,
  cutoffTightened,
} from './rules.js';
export type {
  TokenFacts,
  TokenRule,
  TokenExpiry,
  SessionRule,
  KeyRule,
  CutoffRule,
  RevocationRule,
  ForgetPolicy,
  RejectOptions,
  RuleOrder,
} from './rules.js';

export {
  DEFAULT_MAX_EVENT_BYTES,
  DEFAULT_CLOCK_TOLERANCE_MS,
  validateEvent,
  decodeEvent,
  encodeEvent,
  createEvent,
} from './codec.js';
export type {
  ValidateOptions,
  DecodeOptions,
  CreateEventOptions,
  EncodedEvent,
  RevocationEventInput,
} from './codec.js';

export { revocationEventSchema } from './schema.js';

export { ASYMMETRIC_ALGORITHMS, isAsymmetricAlgorithm } from './algorithms.js';
export type { AsymmetricAlgorithm } from './algorithms.js';

export {
  BRAKE_KINDS,
  REVOCATION_SIGNATURE_HEADER,
  BRAKE_SIGNATURE_TYPE,
  isBrake,
} from './brakes.js';
export type { BrakeKind } from './brakes.js';

export {
  TRACEPARENT_HEADER,
  TRACESTATE_HEADER,
  formatTraceparent,
  parseTraceparent,
} from './trace-context.js';
export type { TraceContextHeaders, TraceParent } from './trace-context.js';

export {
  accessTokenClaimsSchema,
  issuedAccessTokenClaimsSchema,
  tokenFactsFromClaims,
} from './access-token.js';
export type { AccessTokenClaims, IssuedAccessTokenClaims } from './access-token.js';

export {
  ProtocolError,
  EventTooLargeError,
  EventNotJsonError,
  EventVersionError,
  EventInvalidError,
  CutoffInFutureError,
  TopicRetentionTooShortError,
} from './errors.js';
export type { EventErrorCode, ProtocolErrorCode } from './errors.js';

export {
  DEFAULT_REVOCATION_TOPIC,
  DEFAULT_REVOCATION_PARTITIONS,
  revocationTopicSpec,
  ensureRevocationTopic,
} from './topic.js';
export type {
  EnsuredRevocationTopic,
  RevocationTopicOptions,
  RevocationTopicSpec,
  RevocationTopicAdmin,
} from './topic.js';

export {
  TOPIC_RETENTION_CONFIG_NAMES,
  checkTopicRetention,
  describedTopic,
  minimumTopicRetentionMs,
  recommendedTopicRetentionMs,
} from './topic-retention.js';
export type {
  DescribeTopicConfigsAnswer,
  DescribedTopicConfig,
  InsufficientTopicRetention,
  SufficientTopicRetention,
  TopicRetentionFacts,
  TopicRetentionVerdict,
} from './topic-retention.js';

export { CodedError } from './coded-error.js';
export type { CodedErrorOptions } from './coded-error.js';

export { errorBody } from './error-body.js';
export type { ErrorBody, ErrorBodyExtras, ErrorFieldIssue } from './error-body.js';
