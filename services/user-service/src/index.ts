export { createUserService } from './service.js';
export type { UserService, UserServiceOptions } from './service.js';

export { loadConfig } from './config.js';
export type { UserServiceConfig, DatabaseConfig, Environment } from './config.js';

export { ConfigError, UserServiceError, HTTP_STATUS } from './errors.js';
export type { ErrorCode, FieldIssue } from './errors.js';

export { OWASP_ARGON2ID } from './accounts/password.js';
export type { Argon2Parameters } from './accounts/password.js';

export { OutboxRelay } from '@revocation-fabric/publisher';
export type { RelayStatus } from '@revocation-fabric/publisher';

export type { TokenPair } from './tokens/issue-tokens.js';
export type { AccessTokenClaims } from './tokens/access-token.js';
