import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { UnexpectedResponseError } from '../errors.js';
import type { KeycloakAdmin } from './connect-admin.js';
import { createdId } from './created-id.js';
import type { RealmClient } from './create-client.js';

/** How a receiver may get its SETs: pushed to it (RFC 8935) or polled by it (RFC 8936). */
export type SsfDelivery = 'push' | 'poll';

/** The SSF receiver client (the gateway) to create. */
export interface SsfReceiverSpec {
  readonly clientId: string;
  /** Client secret. Default: random. */
  readonly secret?: string;
  /** Delivery families the receiver may use for its stream. Default: both. */
  readonly delivery?: readonly SsfDelivery[];
  /** Push endpoint URLs (or `prefix*` patterns) the stream may name; needed for push. */
  readonly pushUrls?: readonly string[];
  /** `ALL`: every user of the realm is a subject of the stream. Default: `ALL`. */
  readonly defaultSubjects?: 'ALL' | 'NONE';
  /** Event type URIs the receiver may request. Default: all Keycloak emits. */
  readonly supportedEvents?: readonly string[];
}

// Keycloak joins multi-valued client attributes with '##'.
const MULTI = '##';
const SSF_SCOPES = ['ssf.read', 'ssf.manage'] as const;

/**
 * Creates the SSF receiver client: confidential, service account on, `ssf.enabled`, and the
 * transmitter's scopes `ssf.read` + `ssf.manage` as *default* scopes, so a plain
 * client-credentials token may create, read and delete its stream. (The realm lists them as
 * optional scopes, which a new client may or may not inherit; requesting an optional scope a
 * client lacks fails with `invalid_scope`.)
 *
 * @throws {UnexpectedResponseError} the realm has no SSF scopes (transmitter not enabled).
 * @example
 * ```ts
 * const gateway = await configureSsfReceiver(admin, 'test', {
 *   clientId: 'revocation-gateway', pushUrls: ['http://127.0.0.1:4100/ssf/push'],
 * });
 * ```
 */
export async function configureSsfReceiver(
  admin: KeycloakAdmin,
  realm: string,
  spec: SsfReceiverSpec,
): Promise<RealmClient> {
  const delivery = spec.delivery ?? ['push', 'poll'];
  if (delivery.includes('push') && (spec.pushUrls ?? []).length === 0) {
    throw new TypeError('pushUrls must name at least one URL when delivery includes push');
  }
  const secret = spec.secret ?? randomBytes(18).toString('base64url');
  const attributes: Record<string, string> = {
    'ssf.enabled': 'true',
    'ssf.allowedDeliveryMethods': delivery.join(MULTI),
    'ssf.defaultSubjects': spec.defaultSubjects ?? 'ALL',
  };
  if (spec.pushUrls !== undefined) attributes['ssf.validPushUrls'] = spec.pushUrls.join(MULTI);
  if (spec.supportedEvents !== undefined) {
    attributes['ssf.supportedEvents'] = spec.supportedEvents.join(',');
  }
  const realmPath = `/realms/${encodeURIComponent(realm)}`;
  const answer = await admin.send('POST', `${realmPath}/clients`, {
    clientId: spec.clientId,
    enabled: true,
    protocol: 'openid-connect',
    publicClient: false,
    secret,
    serviceAccountsEnabled: true,
    standardFlowEnabled: false,
    directAccessGrantsEnabled: false,
    attributes,
  });
  const id = createdId(answer, `${realmPath}/clients`);
  for (const scopeId of await ssfScopeIds(admin, realmPath)) {
    await admin.send(
      'DELETE',
      `${realmPath}/clients/${id}/optional-client-scopes/${scopeId}`,
      undefined,
      [404],
    );
    await admin.send('PUT', `${realmPath}/clients/${id}/default-client-scopes/${scopeId}`);
  }
  return { id, clientId: spec.clientId, secret };
}

const scopesSchema = z.array(z.object({ id: z.string(), name: z.string() }));

// The transmitter creates its scopes when it first sees the realm, which may be a moment after
// the realm was created.
async function ssfScopeIds(admin: KeycloakAdmin, realmPath: string): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const scopes = await admin.get(`${realmPath}/client-scopes`, scopesSchema);
    const ids = SSF_SCOPES.flatMap((name) => scopes.find((scope) => scope.name === name)?.id ?? []);
    if (ids.length === SSF_SCOPES.length) return ids;
    if (Date.now() > deadline) {
      throw new UnexpectedResponseError(
        `/admin${realmPath}/client-scopes`,
        `no ${SSF_SCOPES.join('/')} scopes: is the realm's SSF transmitter enabled?`,
      );
    }
    await sleep(250);
  }
}
