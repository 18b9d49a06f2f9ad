/**
 * Password hashing with argon2id at the OWASP Password Storage Cheat Sheet's baseline
 * (m = 19 MiB, t = 2, p = 1). argon2id rather than scrypt: it is OWASP's first choice, and
 * @node-rs/argon2 ships prebuilt binaries through npm, so nothing is compiled on install and the
 * hashing runs off the event loop.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, hashRaw } from '@node-rs/argon2';
import type { Algorithm, Version } from '@node-rs/argon2';

/** argon2id cost parameters. */
export interface Argon2Parameters {
  /** Memory in KiB. */
  readonly memoryCost: number;
  /** Iterations. */
  readonly timeCost: number;
  /** Lanes. */
  readonly parallelism: number;
}

/** OWASP's recommended argon2id baseline (2024–2025 cheat sheet). */
export const OWASP_ARGON2ID: Argon2Parameters = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

// The package declares these as `const enum`s, which isolatedModules cannot inline.
const ARGON2ID = 2 as Algorithm;
const VERSION_0X13 = 1 as Version;

interface ParsedHash extends Argon2Parameters {
  readonly salt: Buffer;
  readonly digest: Buffer;
}

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

function parse(phc: string): ParsedHash | undefined {
  const match = PHC.exec(phc);
  if (match === null) return undefined;
  const [, m, t, p, salt, digest] = match;
  return {
    memoryCost: Number(m),
    timeCost: Number(t),
    parallelism: Number(p),
    salt: Buffer.from(salt ?? '', 'base64'),
    digest: Buffer.from(digest ?? '', 'base64'),
  };
}

/** Unicode passwords are compared in NFKC, so the same password typed on two keyboards matches. */
function normalize(password: string): string {
  return password.normalize('NFKC');
}

/**
 * Hashes and verifies passwords. Verification recomputes the digest and compares it with
 * `timingSafeEqual`, and {@link PasswordHasher.verifyNothing} burns the same work for unknown
 * users, so "no such user" and "wrong password" take the same time.
 */
export class PasswordHasher {
  private readonly params: Argon2Parameters;
  private dummy: string | undefined;

  constructor(params: Argon2Parameters = OWASP_ARGON2ID) {
    this.params = params;
  }

  /** Hashes a new password into a PHC string. */
  async hash(password: string): Promise<string> {
    return hash(normalize(password), {
      algorithm: ARGON2ID,
      version: VERSION_0X13,
      memoryCost: this.params.memoryCost,
      timeCost: this.params.timeCost,
      parallelism: this.params.parallelism,
    });
  }

  /** True when `password` matches `stored`. A malformed stored hash never matches. */
  async verify(stored: string, password: string): Promise<boolean> {
    const parsed = parse(stored);
    if (parsed === undefined) {
      await this.verifyNothing(password);
      return false;
    }
    const digest = await hashRaw(normalize(password), {
      algorithm: ARGON2ID,
      version: VERSION_0X13,
      memoryCost: parsed.memoryCost,
      timeCost: parsed.timeCost,
      parallelism: parsed.parallelism,
      outputLen: parsed.digest.length,
      salt: parsed.salt,
    });
    return digest.length === parsed.digest.length && timingSafeEqual(digest, parsed.digest);
  }

  /** Does the work of one verification against a throw-away hash; always false. */
  async verifyNothing(password: string): Promise<false> {
    this.dummy ??= await this.hash(randomBytes(32).toString('base64'));
    const parsed = parse(this.dummy);
    if (parsed !== undefined) {
      const digest = await hashRaw(normalize(password), {
        algorithm: ARGON2ID,
        version: VERSION_0X13,
        memoryCost: parsed.memoryCost,
        timeCost: parsed.timeCost,
        parallelism: parsed.parallelism,
        outputLen: parsed.digest.length,
        salt: parsed.salt,
      });
      timingSafeEqual(digest, Buffer.alloc(digest.length));
    }
    return false;
  }

  /** Prepares the throw-away hash now, so the first unknown-user login is not faster than the rest. */
  async warmUp(): Promise<void> {
    await this.verifyNothing('warm-up');
  }

  /** True when `stored` was made with other parameters than today's: rehash at the next login. */
  needsRehash(stored: string): boolean {
    const parsed = parse(stored);
    return (
      parsed === undefined ||
      parsed.memoryCost !== this.params.memoryCost ||
      parsed.timeCost !== this.params.timeCost ||
      parsed.parallelism !== this.params.parallelism
    );
  }
}
