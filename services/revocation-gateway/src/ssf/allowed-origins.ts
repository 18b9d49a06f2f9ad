/**
 * Where a URL named by a provider's document may point. The gateway sends its credentials (the
 * receiver's bearer token, the client secret) to the endpoints the provider's documents name,
 * so a document (or whoever can alter it) naming another host would collect them. Every
 * discovered URL must share the origin of the issuer, or of the URL the operator configured for
 * the document it came from.
 */

/**
 * The origins `urls` stand for (an unparseable or absent one stands for none).
 *
 * @example
 * ```ts
 * originsOf('https://idp.example/realms/r', undefined); // ['https://idp.example']
 * ```
 */
export function originsOf(...urls: readonly (string | undefined)[]): string[] {
  const origins: string[] = [];
  for (const url of urls) {
    if (url !== undefined && URL.canParse(url)) origins.push(new URL(url).origin);
  }
  return origins;
}

/**
 * Whether `url` lies outside every one of the `allowed` origins.
 *
 * @example
 * ```ts
 * outsideOrigins('https://evil.example/token', ['https://idp.example']); // true
 * ```
 */
export function outsideOrigins(url: string, allowed: readonly string[]): boolean {
  return !URL.canParse(url) || !allowed.includes(new URL(url).origin);
}
