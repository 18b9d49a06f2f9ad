import { describe, expect, it } from 'vitest';
import { providerSchema } from './provider-config.js';

const provider = (ssf: object) => ({
  name: 'kc',
  issuer: 'https://idp.test/realms/r',
  algorithms: ['RS256'],
  maxTokenLifetimeMs: 900_000,
  ssf: { delivery: 'poll', clientId: 'gateway', clientSecret: 'secret', ...ssf },
});

describe('ssf.subjects', () => {
  it('takes RFC 9493 subject identifiers, members beyond format kept', () => {
    const subject = { format: 'email', email: 'ops@example.com' };
    expect(providerSchema.parse(provider({ subjects: [subject] })).ssf?.subjects).toEqual([
      subject,
    ]);
  });

  it('refuses a subject without a format, and an empty list, naming the path', () => {
    const noFormat = providerSchema.safeParse(provider({ subjects: [{ email: 'a@b.c' }] }));
    expect(noFormat.error?.issues[0]?.path).toEqual(['ssf', 'subjects', 0, 'format']);
    const empty = providerSchema.safeParse(provider({ subjects: [] }));
    expect(empty.error?.issues[0]?.path).toEqual(['ssf', 'subjects']);
  });
});
