import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BRAKE_SIGNATURE_TYPE,
  createEvent,
  encodeEvent,
  ruleFromEvent,
} from '@revocation-fabric/protocol';
import type { RevocationEvent } from '@revocation-fabric/protocol';
import { FlattenedSign, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBrakes } from './brake-check.js';
import type { RejectingRecord } from './verdict.js';

const ISSUER = 'https://issuer.test';

async function key(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256' } };
}

async function sign(
  privateKey: CryptoKey,
  kid: string,
  payload: string,
  typ = BRAKE_SIGNATURE_TYPE,
) {
  const jws = await new FlattenedSign(new TextEncoder().encode(payload))
    .setProtectedHeader({ alg: 'ES256', kid, typ })
    .sign(privateKey);
  return `${jws.protected ?? ''}..${jws.signature}`;
}

function record(event: RevocationEvent, signature?: string): RejectingRecord {
  const payload = encodeEvent(event).value;
  return {
    topic: 't',
    partition: 0,
    offset: 0,
    timestamp: event.issuedAt,
    key: encodeEvent(event).key,
    signed: signature !== undefined,
    ...(signature === undefined ? {} : { brakeSignature: { signature, payload } }),
    event,
    // As rejectingRules judges before the check: a signed brake counts, an unsigned one not.
    counts: event.kind !== 'global' || signature !== undefined,
  };
}

describe('checkBrakes', () => {
  let url = '';
  let issuerKey: Awaited<ReturnType<typeof key>>;
  let forger: Awaited<ReturnType<typeof key>>;
  const server = createServer((_, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [issuerKey.jwk] }));
  });

  beforeAll(async () => {
    issuerKey = await key('issuer-k1');
    // The forger reuses the issuer's kid: only the signature can tell them apart.
    forger = await key('issuer-k1');
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const brake = () =>
    createEvent({
      kind: 'global',
      cutoff: Date.now() - 1_000,
      reason: 'emergency',
      actor: 'a',
      iss: ISSUER,
    });

  it('counts a brake signed by the issuer, refuses a forged or mistyped one, never an unsigned one', async () => {
    const genuine = brake();
    const forged = brake();
    const mistyped = brake();
    const unsigned = brake();
    const session = createEvent({
      kind: 'session',
      sid: 's',
      reason: 'logout',
      actor: 'a',
      iss: ISSUER,
    });
    const rules = {
      recordsRead: 5,
      invalid: 0,
      rejecting: [
        record(genuine, await sign(issuerKey.privateKey, 'issuer-k1', encodeEvent(genuine).value)),
        record(forged, await sign(forger.privateKey, 'issuer-k1', encodeEvent(forged).value)),
        record(
          mistyped,
          await sign(issuerKey.privateKey, 'issuer-k1', encodeEvent(mistyped).value, 'JWT'),
        ),
        record(unsigned),
        record(session),
      ],
    };
    const checked = await checkBrakes(rules, url);
    expect(checked.rejecting.map((r) => [r.brakeCheck, r.counts])).toEqual([
      ['valid', true],
      ['invalid', false],
      ['invalid', false],
      [undefined, false],
      [undefined, true],
    ]);
    // The rule itself is untouched: only whether a verifier would apply it.
    expect(ruleFromEvent(checked.rejecting[0]?.event ?? genuine)).toEqual(ruleFromEvent(genuine));
  });

  it('leaves a signed brake counting, marked not checked, when there are no keys to check it', async () => {
    const genuine = brake();
    const checked = await checkBrakes(
      { recordsRead: 1, invalid: 0, rejecting: [record(genuine, 'e30..c2ln')] },
      undefined,
    );
    expect(checked.rejecting.map((r) => [r.brakeCheck, r.counts])).toEqual([['not-checked', true]]);
  });
});
