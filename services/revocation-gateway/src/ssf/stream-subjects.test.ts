/**
 * A transmitter whose `default_subjects` is `NONE` sends nothing until subjects are added: the
 * gateway adds the configured ones after set-up, and says in `/readyz` when none are. The
 * transmitters run in this process (the test's own inputs).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestGateway } from '../test-support/harness.js';
import { testKey } from '../test-support/signals.js';
import { startTransmitter, transmitterProvider } from '../test-support/transmitter.js';
import { addConfiguredSubjects } from './stream-subjects.js';
import { TransmitterRequestError } from './transmitter-request.js';
import type { TestTransmitter } from '../test-support/transmitter.js';

const ISSUER = 'https://idp.test/realms/r';
const SUBJECTS = [
  { format: 'iss_sub', iss: ISSUER, sub: 'user-1' },
  { format: 'email', email: 'ops@example.com' },
];
let withSubjects: TestTransmitter;
let without: TestTransmitter;

beforeAll(async () => {
  const key = await testKey('RS256');
  const none = (base: string) => ({
    default_subjects: 'NONE',
    add_subject_endpoint: `${base}/subjects:add`,
  });
  withSubjects = await startTransmitter(key, ISSUER, { configuration: none });
  without = await startTransmitter(key, ISSUER, { configuration: none });
});
afterAll(async () => {
  await withSubjects.close();
  await without.close();
});
const suite = useTestGateway(() => [
  transmitterProvider('listed', ISSUER, withSubjects.url, { subjects: SUBJECTS }),
  transmitterProvider('unlisted', ISSUER, without.url),
]);

const readyz = async () =>
  ((await (await fetch(`${suite.gateway.url}/readyz`)).json()) as { ssf: Record<string, unknown> })
    .ssf;

describe('a transmitter whose default_subjects is NONE', () => {
  it('is asked to add each configured subject to the stream, and /readyz says they were', async () => {
    await expect
      .poll(() => suite.gateway.providers.get('listed')?.ssf?.status(), { timeout: 4000 })
      .toMatchObject({ state: 'registered', subjects: 'added' });
    const streamId = withSubjects.streams[0]?.stream_id;
    expect(
      withSubjects.requests.filter((r) => r.path === '/subjects:add').map((r) => r.body),
    ).toEqual(SUBJECTS.map((subject) => ({ stream_id: streamId, subject })));
    expect((await readyz())['listed']).toMatchObject({ state: 'registered', subjects: 'added' });
  });

  it('with no subjects configured, has its stream reported in /readyz as covering none', async () => {
    await expect
      .poll(() => suite.gateway.providers.get('unlisted')?.ssf?.status(), { timeout: 4000 })
      .toMatchObject({ state: 'registered', subjects: 'none' });
    expect(without.requests.some((r) => r.path === '/subjects:add')).toBe(false);
    expect((await readyz())['unlisted']).toMatchObject({ state: 'registered', subjects: 'none' });
  });
});

describe('addConfiguredSubjects', () => {
  const transmitter = (members: object) => ({
    issuer: ISSUER,
    jwks_uri: `${without.url}/jwks`,
    ...members,
  });
  const input = { streamId: 's1', token: 't' };

  it('adds nothing and reports the transmitter’s default when it is not NONE', async () => {
    const outcome = await addConfiguredSubjects({
      ...input,
      transmitter: transmitter({ default_subjects: 'ALL' }),
      subjects: undefined,
    });
    expect(outcome).toEqual({ coverage: 'default', problem: undefined });
  });

  it('names the missing add_subject_endpoint when subjects are configured', async () => {
    const outcome = await addConfiguredSubjects({
      ...input,
      transmitter: transmitter({ default_subjects: 'NONE' }),
      subjects: SUBJECTS,
    });
    expect(outcome).toEqual({
      coverage: 'none',
      problem: expect.stringMatching(/no add_subject_endpoint/) as unknown,
    });
  });

  it('fails as the subject-add step with the transmitter’s status when it refuses a subject', async () => {
    const error: unknown = await addConfiguredSubjects({
      ...input,
      transmitter: transmitter({ add_subject_endpoint: `${without.url}/refusing` }),
      subjects: SUBJECTS,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransmitterRequestError);
    expect(error).toMatchObject({ step: 'subject-add', status: 404 });
  });
});
