import { describe, expect, it } from 'vitest';
import { OWASP_ARGON2ID, PasswordHasher } from './password.js';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();

  it('hashes with argon2id at the OWASP parameters and verifies', async () => {
    const stored = await hasher.hash('correct horse battery staple');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await hasher.verify(stored, 'correct horse battery staple')).toBe(true);
    expect(await hasher.verify(stored, 'correct horse battery stapler')).toBe(false);
  });

  it('compares passwords in NFKC, so composed and decomposed forms match', async () => {
    const stored = await hasher.hash('café au lait 1234');
    expect(await hasher.verify(stored, 'cafe\u0301 au lait 1234')).toBe(true);
  });

  it('never matches a malformed stored hash', async () => {
    expect(await hasher.verify('$2b$10$not-argon', 'anything')).toBe(false);
    expect(await hasher.verifyNothing('anything')).toBe(false);
  });

  it('asks for a rehash when the parameters changed', async () => {
    const weaker = new PasswordHasher({ ...OWASP_ARGON2ID, memoryCost: 8192 });
    const old = await weaker.hash('correct horse battery staple');
    expect(hasher.needsRehash(old)).toBe(true);
    expect(await hasher.verify(old, 'correct horse battery staple')).toBe(true);
    expect(hasher.needsRehash(await hasher.hash('x'.repeat(12)))).toBe(false);
  });
});
