import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeyProtectionError, PrivateKeySealer } from './key-protection.js';

describe('PrivateKeySealer', () => {
  const jwk = JSON.stringify({ kty: 'EC', crv: 'P-256', d: 'secret' });

  it('seals with AES-256-GCM so the stored form does not contain the key', () => {
    const sealer = new PrivateKeySealer(randomBytes(32));
    const sealed = sealer.seal('kid-1', jwk);
    expect(sealed).toMatch(/^a256gcm\.v1\./);
    expect(sealed).not.toContain('secret');
    expect(sealer.open('kid-1', sealed)).toBe(jwk);
  });

  it('refuses a sealed key moved to another row, a wrong KEK, and a missing KEK', () => {
    const sealed = new PrivateKeySealer(randomBytes(32)).seal('kid-1', jwk);
    expect(() => new PrivateKeySealer(randomBytes(32)).open('kid-1', sealed)).toThrow(
      KeyProtectionError,
    );
    const kek = randomBytes(32);
    const mine = new PrivateKeySealer(kek).seal('kid-1', jwk);
    expect(() => new PrivateKeySealer(kek).open('kid-2', mine)).toThrow(KeyProtectionError);
    expect(() => new PrivateKeySealer(undefined).open('kid-1', mine)).toThrow(
      /KEY_ENCRYPTION_KEY is not set/,
    );
  });

  it('stores keys in the clear without a KEK, and says so in the format', () => {
    const sealer = new PrivateKeySealer(undefined);
    expect(sealer.encrypts).toBe(false);
    expect(sealer.open('kid-1', sealer.seal('kid-1', jwk))).toBe(jwk);
  });

  it('rejects a KEK of the wrong size', () => {
    expect(() => new PrivateKeySealer(randomBytes(16))).toThrow(TypeError);
  });
});
