/**
 * Discovery: the OpenID Provider configuration (its `jwks_uri` and `token_endpoint`) and the SSF
 * transmitter configuration (SSF 1.0 §7.1). Both are refused unless they name the configured
 * issuer exactly and every endpoint they name shares an allowed origin: the gateway's
 * credentials go where they point.
 */
import { z } from 'zod';
import { originsOf } from './allowed-origins.js';
import {
  TransmitterRequestError,
  absentOrNull,
  checkOrigin,
  parseAnswer,
  request,
} from './transmitter-request.js';

const openIdConfiguration = z.looseObject({
  issuer: z.string(),
  jwks_uri: z.url(),
  token_endpoint: absentOrNull(z.url()),
});
/** The members of an OpenID Provider configuration the gateway reads. */
export type OpenIdConfiguration = z.output<typeof openIdConfiguration>;

const ssfConfiguration = z.looseObject({
  issuer: z.string(),
  jwks_uri: z.url(),
  delivery_methods_supported: absentOrNull(z.array(z.string())),
  configuration_endpoint: absentOrNull(z.url()),
  verification_endpoint: absentOrNull(z.url()),
  status_endpoint: absentOrNull(z.url()),
  add_subject_endpoint: absentOrNull(z.url()),
  remove_subject_endpoint: absentOrNull(z.url()),
  /** `ALL` or `NONE` (SSF 1.0 §7.1): whether a new stream covers every subject or none. */
  default_subjects: absentOrNull(z.string()),
});
/** The members of an SSF transmitter configuration (SSF 1.0 §7.1) the gateway reads. */
export type SsfConfiguration = z.output<typeof ssfConfiguration>;

/** The endpoints of a transmitter configuration that receive our bearer token. */
const SSF_ENDPOINTS = [
  'jwks_uri',
  'configuration_endpoint',
  'verification_endpoint',
  'status_endpoint',
  'add_subject_endpoint',
  'remove_subject_endpoint',
] as const;

function checkIssuer(step: string, announced: string, configured: string): void {
  if (announced !== configured) {
    throw new TransmitterRequestError(
      step,
      `the document names issuer ${announced}, not the configured ${configured}`,
    );
  }
}

/**
 * Fetches `${issuer}/.well-known/openid-configuration`, refusing a document whose `issuer` is
 * not `issuer` exactly (OpenID Connect Discovery 1.0 §4.3) or whose `jwks_uri` or
 * `token_endpoint` lies outside the issuer's origin.
 *
 * @example
 * ```ts
 * const { jwks_uri } = await fetchOpenIdConfiguration('https://idp.example/realms/demo');
 * ```
 */
export async function fetchOpenIdConfiguration(
  issuer: string,
  signal?: AbortSignal,
): Promise<OpenIdConfiguration> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const { body } = await request('openid-discovery', url, { signal });
  const document = parseAnswer('openid-discovery', openIdConfiguration, body);
  checkIssuer('openid-discovery', document.issuer, issuer);
  const origins = originsOf(issuer);
  checkOrigin('openid-discovery', 'jwks_uri', document.jwks_uri, origins);
  checkOrigin('openid-discovery', 'token_endpoint', document.token_endpoint, origins);
  return document;
}

/**
 * Fetches an SSF transmitter configuration, refusing one whose `issuer` is not `issuer`
 * exactly, or whose endpoints lie outside the origin of the issuer and of `url`.
 *
 * @example
 * ```ts
 * const ssf = await fetchSsfConfiguration(`${issuer}/.well-known/ssf-configuration`, issuer);
 * ```
 */
export async function fetchSsfConfiguration(
  url: string,
  issuer: string,
  signal?: AbortSignal,
): Promise<SsfConfiguration> {
  const { body } = await request('ssf-discovery', url, { signal });
  const document = parseAnswer('ssf-discovery', ssfConfiguration, body);
  checkIssuer('ssf-discovery', document.issuer, issuer);
  const origins = originsOf(issuer, url);
  for (const member of SSF_ENDPOINTS) {
    checkOrigin('ssf-discovery', member, document[member], origins);
  }
  return document;
}
