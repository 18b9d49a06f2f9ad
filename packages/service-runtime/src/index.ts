// A workspace-private kit: every module's exports are the kit's API, so the modules re-export whole.
export * from './config-error.js';
export * from './load-environment.js';
export * from './variables.js';
export * from './kafka-security.js';

export * from './run-service.js';
export * from './lifecycle.js';
export * from './service-logger.js';
export * from './service-metrics.js';

export * from './request-log.js';
export * from './client-mistake.js';
export * from './http/http-error.js';
export * from './http/route.js';
export * from './http/http-app.js';
export * from './http/openapi.js';
export * from './http/system-routes.js';
export * from './http/listen.js';
