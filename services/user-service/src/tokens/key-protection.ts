/**
 * Private signing keys at rest. With a key-encryption key (KEK, `KEY_ENCRYPTION_KEY`), each
 * private JWK is sealed with AES-256-GCM under a fresh 96-bit IV, the row's `kid` as associated
 * data (a sealed key cannot be swapped onto another row). Without a KEK — allowed outside
 * production only — keys are stored in the clear and the service says so at start.
 *
 * This protects a stolen database dump or backup, not a compromised running instance: the
 * instance holds the KEK and the decrypted keys in memory. KEK rotation is not automated.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const SEALED_PREFIX = 'a256gcm.v1.';
const PLAIN_PREFIX = 'plain.';

/** A stored key cannot be opened: no KEK, a different KEK, or a damaged row. */
export class KeyProtectionError extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
    this.name = 'KeyProtectionError';
  }
}

/** Seals and opens private keys with the configured KEK. */
export class PrivateKeySealer {
  private readonly kek: Buffer | undefined;

  /** @param kek 32 bytes, or undefined to store keys in the clear. */
  constructor(kek: Buffer | undefined) {
    if (kek !== undefined && kek.length !== 32) {
      throw new TypeError('kek must be 32 bytes');
    }
    this.kek = kek;
  }

  /** True when keys written now are encrypted. */
  get encrypts(): boolean {
    return this.kek !== undefined;
  }

  /** Seals a private JWK (as JSON) for the row of `kid`. */
  seal(kid: string, privateJwk: string): string {
    if (this.kek === undefined) return PLAIN_PREFIX + privateJwk;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.kek, iv);
    cipher.setAAD(Buffer.from(kid, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(privateJwk, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return `${SEALED_PREFIX}${iv.toString('base64url')}.${ciphertext.toString('base64url')}.${tag.toString('base64url')}`;
  }

  /**
   * Opens a stored private key.
   *
   * @throws {@link KeyProtectionError} when the key is sealed and the KEK is missing or wrong.
   */
  open(kid: string, stored: string): string {
    if (stored.startsWith(PLAIN_PREFIX)) return stored.slice(PLAIN_PREFIX.length);
    if (!stored.startsWith(SEALED_PREFIX)) {
      throw new KeyProtectionError(`signing key ${kid} is stored in an unknown format`);
    }
    if (this.kek === undefined) {
      throw new KeyProtectionError(
        `signing key ${kid} is encrypted but KEY_ENCRYPTION_KEY is not set`,
      );
    }
    const [iv, ciphertext, tag] = stored.slice(SEALED_PREFIX.length).split('.');
    try {
      const decipher = createDecipheriv(
        'aes-256-gcm',
        this.kek,
        Buffer.from(iv ?? '', 'base64url'),
      );
      decipher.setAAD(Buffer.from(kid, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag ?? '', 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext ?? '', 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch (cause) {
      throw new KeyProtectionError(
        `signing key ${kid} cannot be decrypted: wrong KEY_ENCRYPTION_KEY or damaged row`,
        { cause },
      );
    }
  }
}
