/**
 * End to end over real Kafka: two game-service instances in this process, each with its own
 * verifier (its own consumer of every partition), real socket.io-client connections, tokens
 * signed with real keys and served from a real JWKS endpoint, and revocation events published
 * to the broker the way the user-service's relay does. Nothing asserts a latency: outcomes are
 * awaited with generous timeouts (timing claims live in the demo's report and bench/).
 *
 * One clock for everything in this process: fake timers and `Date`, installed before the
 * instances are built, so their verifiers, socket adapters, kafkajs and jose all read it. It
 * flows with real time (see {@link startClock}) so Kafka and socket.io run as ever; a test that
 * needs time to stand still stops it and moves it by hand. Nothing sleeps.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGameService, loadConfig } from '@revocation-fabric/game-service';
import type { GameService } from '@revocation-fabric/game-service';
import {
  BRAKE_SIGNATURE_TYPE,
  REVOCATION_SIGNATURE_HEADER,
  createEvent,
  encodeEvent,
  isBrake,
} from '@revocation-fabric/protocol';
import type { RevocationEventInput } from '@revocation-fabric/protocol';
import {
  createRevocationTopic,
  openTopicWriter,
  uniqueTopic,
  waitFor,
} from '@revocation-fabric/testkit';
import type { TopicWriter } from '@revocation-fabric/testkit';
import { FlattenedSign, SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { CUT_TIMEOUT_MS, ask, connectGame, cutOf, served } from './support/game-client.js';

const brokers = inject('kafkaBrokers');
const AUDIENCE = 'revocation-fabric';
/** How far the flowing clock moves per step, ms of real time. */
const CLOCK_STEP_MS = 5;

interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

let issuer: string;
let jwksServer: HttpServer;
let key: SigningKey;
let compromised: SigningKey;
let topic: string;
let producer: TopicWriter | undefined;
const games: GameService[] = [];
const clients: Socket[] = [];
let clockPump: NodeJS.Timeout | undefined;
let clockStopped = false;

/**
 * Fakes `setTimeout` and `Date` and keeps them flowing: a real interval (setInterval is left
 * real) moves the fake clock a step at a time, unless a test has stopped it.
 */
function startClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  clockPump = setInterval(() => {
    if (!clockStopped) vi.advanceTimersByTime(CLOCK_STEP_MS);
  }, CLOCK_STEP_MS);
}

function stopClockPump(): void {
  clearInterval(clockPump);
  vi.useRealTimers();
}

/**
 * Runs `body` with the clock standing still: however long connecting and refreshing take on a
 * busy machine, no token ages meanwhile; `vi.advanceTimersByTime` moves time by hand.
 */
async function withClockStopped(body: () => Promise<void>): Promise<void> {
  clockStopped = true;
  try {
    await body();
  } finally {
    clockStopped = false;
  }
}

async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return {
    kid,
    privateKey,
    jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
  };
}

interface MintOptions {
  readonly sub: string;
  readonly sid?: string;
  readonly jti?: string;
  readonly key?: SigningKey;
  /** Issue time, seconds since the epoch; default now. */
  readonly iat?: number;
  /** Seconds; default 300. */
  readonly lifetime?: number;
}

function mint(options: MintOptions): Promise<string> {
  const iat = options.iat ?? Math.floor(Date.now() / 1000);
  const signer = options.key ?? key;
  return new SignJWT({
    sid: options.sid ?? randomUUID(),
    jti: options.jti ?? randomUUID(),
    roles: ['user'],
  })
    .setProtectedHeader({ alg: 'ES256', kid: signer.kid, typ: 'at+jwt' })
    .setIssuer(issuer)
    .setAudience(AUDIENCE)
    .setSubject(options.sub)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.lifetime ?? 300))
    .sign(signer.privateKey);
}

/** An event as a test states it: the envelope's actor and issuer are filled in. */
type EventBody = RevocationEventInput extends infer E
  ? E extends RevocationEventInput
    ? Omit<E, 'actor' | 'iss'>
    : never
  : never;

async function publish(input: EventBody): Promise<void> {
  const event = createEvent({ actor: 'e2e-test', iss: issuer, ...input });
  if (producer === undefined) throw new Error('the test producer is not open');
  const encoded = encodeEvent(event);
  // Brakes count only signed by the issuer's key, as the user-service signs them.
  const headers = isBrake(event.kind)
    ? { [REVOCATION_SIGNATURE_HEADER]: await signBrake(encoded.value) }
    : undefined;
  await producer.send(topic, [{ ...encoded, headers }], { acks: -1 });
}

/** A detached JWS over the record value, by the issuer's (uncompromised) key. */
async function signBrake(payload: string): Promise<string> {
  const jws = await new FlattenedSign(new TextEncoder().encode(payload))
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: BRAKE_SIGNATURE_TYPE })
    .sign(key.privateKey);
  return `${jws.protected ?? ''}..${jws.signature}`;
}

beforeAll(async () => {
  startClock();
  key = await signingKey('e2e-k1');
  compromised = await signingKey('e2e-compromised');
  jwksServer = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [key.jwk, compromised.jwk] }));
  });
  jwksServer.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => jwksServer.once('listening', resolve));
  issuer = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;

  topic = uniqueTopic('socket-e2e');
  await createRevocationTopic(brokers, topic);
  producer = await openTopicWriter(brokers, { clientId: 'socket-e2e' });

  for (const instance of ['e2e-game-1', 'e2e-game-2']) {
    const game = createGameService(
      loadConfig({
        INSTANCE_ID: instance,
        HOST: '127.0.0.1',
        PORT: '0',
        ISSUER: issuer,
        JWKS_URL: `${issuer}/.well-known/jwks.json`,
        KAFKA_BROKERS: brokers.join(','),
        REVOCATION_TOPIC: topic,
        MOVE_INTERVAL_MS: '0',
        LOG_LEVEL: 'silent',
      }),
    );
    games.push(game);
    await game.start();
  }
  await Promise.all(games.map((game) => game.ready()));
});

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

afterAll(async () => {
  await Promise.all(games.map((game) => game.stop()));
  await producer?.close();
  await new Promise<void>((resolve) => jwksServer?.close(() => resolve()));
  stopClockPump();
});

function urlOf(game: GameService): string {
  if (game.url === undefined) throw new Error('game-service is not listening');
  return game.url;
}

/** Connects to `/game` on an instance; rejects with the connect_error's code. */
function connect(game: GameService, token: string): Promise<Socket> {
  return connectGame(urlOf(game), token, clients);
}

/** Connects one socket per instance. */
function connectEverywhere(token: string): Promise<Socket[]> {
  return Promise.all(games.map((game) => connect(game, token)));
}

async function refusalCode(game: GameService, token: string): Promise<string> {
  try {
    (await connect(game, token)).close();
    return 'connected';
  } catch (error) {
    return (error as Error).message;
  }
}

async function meStatus(game: GameService, token: string): Promise<number> {
  const response = await fetch(`${urlOf(game)}/me`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await response.body?.cancel();
  return response.status;
}

describe('a revocation cuts the matching sockets on every instance and no others', () => {
  it('token rule: the sockets of that jti', async () => {
    const sub = `tok-${randomUUID()}`;
    const jti = randomUUID();
    const victimToken = await mint({ sub, jti });
    const victims = await connectEverywhere(victimToken);
    const sameUserOtherToken = await connectEverywhere(await mint({ sub }));
    const otherUser = await connectEverywhere(await mint({ sub: `other-${randomUUID()}` }));
    const cuts = victims.map(cutOf);
    await publish({ kind: 'token', jti, expiresAt: Date.now() + 300_000, reason: 'logout' });
    for (const cut of await Promise.all(cuts)) {
      expect(cut).toEqual({
        revoked: { code: 'TOKEN_REVOKED', kind: 'token', reason: 'logout' },
        reason: 'io server disconnect',
      });
    }
    for (const socket of [...sameUserOtherToken, ...otherUser])
      expect(await served(socket)).toBe(true);
    for (const game of games) expect(await meStatus(game, victimToken)).toBe(401);
  });

  it('session rule: the sockets of that sid', async () => {
    const sub = `ses-${randomUUID()}`;
    const sid = randomUUID();
    const victimToken = await mint({ sub, sid });
    const victims = [
      ...(await connectEverywhere(victimToken)),
      ...(await connectEverywhere(await mint({ sub, sid }))),
    ];
    const otherSession = await connectEverywhere(await mint({ sub }));
    const otherUser = await connectEverywhere(await mint({ sub: `other-${randomUUID()}` }));
    const cuts = victims.map(cutOf);
    await publish({ kind: 'session', sid, reason: 'logout' });
    for (const cut of await Promise.all(cuts)) {
      expect(cut.revoked).toEqual({ code: 'TOKEN_REVOKED', kind: 'session', reason: 'logout' });
    }
    for (const socket of [...otherSession, ...otherUser]) expect(await served(socket)).toBe(true);
    for (const game of games) expect(await meStatus(game, victimToken)).toBe(401);
  });

  it('subject rule: the sockets of that user issued before the cutoff', async () => {
    const sub = `sub-${randomUUID()}`;
    const now = Math.floor(Date.now() / 1000);
    const victimToken = await mint({ sub, iat: now - 20 });
    const victims = await connectEverywhere(victimToken);
    const issuedAfter = await connectEverywhere(await mint({ sub, iat: now }));
    const otherUser = await connectEverywhere(
      await mint({ sub: `other-${randomUUID()}`, iat: now - 20 }),
    );
    const cuts = victims.map(cutOf);
    await publish({ kind: 'subject', sub, cutoff: (now - 10) * 1000, reason: 'ban' });
    for (const cut of await Promise.all(cuts)) {
      expect(cut.revoked).toEqual({ code: 'TOKEN_REVOKED', kind: 'subject', reason: 'ban' });
    }
    for (const socket of [...issuedAfter, ...otherUser]) expect(await served(socket)).toBe(true);
    for (const game of games) expect(await meStatus(game, victimToken)).toBe(401);
  });

  it('key rule: every socket whose token that key signed', async () => {
    const victimToken = await mint({ sub: `key-${randomUUID()}`, key: compromised });
    const victims = [
      ...(await connectEverywhere(victimToken)),
      ...(await connectEverywhere(await mint({ sub: `key-${randomUUID()}`, key: compromised }))),
    ];
    const otherKey = await connectEverywhere(await mint({ sub: `other-${randomUUID()}` }));
    const cuts = victims.map(cutOf);
    await publish({ kind: 'key', kid: compromised.kid, reason: 'key-compromise' });
    for (const cut of await Promise.all(cuts)) {
      expect(cut.revoked).toEqual({ code: 'TOKEN_REVOKED', kind: 'key', reason: 'key-compromise' });
    }
    for (const socket of otherKey) expect(await served(socket)).toBe(true);
    for (const game of games) expect(await meStatus(game, victimToken)).toBe(401);
  });

  it('global rule: every socket issued before the cutoff, whoever it belongs to', async () => {
    const now = Math.floor(Date.now() / 1000);
    const victims = [
      ...(await connectEverywhere(await mint({ sub: `g-${randomUUID()}`, iat: now - 60 }))),
      ...(await connectEverywhere(await mint({ sub: `g-${randomUUID()}`, iat: now - 60 }))),
    ];
    const issuedAfter = await connectEverywhere(await mint({ sub: `g-${randomUUID()}`, iat: now }));
    const cuts = victims.map(cutOf);
    await publish({ kind: 'global', cutoff: (now - 30) * 1000, reason: 'emergency' });
    for (const cut of await Promise.all(cuts)) {
      expect(cut.revoked).toEqual({ code: 'TOKEN_REVOKED', kind: 'global', reason: 'emergency' });
    }
    for (const socket of issuedAfter) expect(await served(socket)).toBe(true);
  });
});

describe('handshake', () => {
  it('refuses a malformed, a forged and an expired token with their codes', async () => {
    const stranger = await signingKey(key.kid);
    const expired = await mint({
      sub: 'hs',
      iat: Math.floor(Date.now() / 1000) - 600,
      lifetime: 60,
    });
    for (const game of games) {
      expect(await refusalCode(game, 'not.a.jwt')).toBe('TOKEN_MALFORMED');
      expect(await refusalCode(game, await mint({ sub: 'hs', key: stranger }))).toBe(
        'SIGNATURE_INVALID',
      );
      expect(await refusalCode(game, expired)).toBe('TOKEN_EXPIRED');
    }
  });

  it('refuses a token revoked over Kafka with TOKEN_REVOKED on every instance', async () => {
    const sid = randomUUID();
    const token = await mint({ sub: `hs-${randomUUID()}`, sid });
    await publish({ kind: 'session', sid, reason: 'logout' });
    for (const game of games) {
      await waitFor(async () => (await refusalCode(game, token)) === 'TOKEN_REVOKED', {
        timeoutMs: CUT_TIMEOUT_MS,
        description: `${game.config.instanceId} refusing the revoked token`,
      });
    }
  });
});

describe('in-band refresh', () => {
  it('keeps a socket alive past its first token’s expiry, while an unrefreshed one is cut at exp', async () => {
    const sub = `rf-${randomUUID()}`;
    const sid = randomUUID();
    await withClockStopped(async () => {
      const iat = Math.floor(Date.now() / 1000);
      const firstExp = (iat + 3) * 1000;
      const first = await mint({ sub, sid, iat, lifetime: 3 });
      const refreshed = await connectEverywhere(first);
      const unrefreshed = await connect(games[0] as GameService, first);
      const lapse = cutOf(unrefreshed);
      const fresh = await mint({ sub, sid, lifetime: 120 });
      for (const socket of refreshed) {
        const ack = await ask<{ ok: boolean; exp?: number }>(socket, 'auth:refresh', {
          token: fresh,
        });
        expect(ack.ok).toBe(true);
      }
      vi.advanceTimersByTime(firstExp - 1 - Date.now());
      expect(await served(unrefreshed)).toBe(true);
      vi.advanceTimersByTime(1);
      expect((await lapse).revoked).toEqual({ code: 'TOKEN_EXPIRED' });
      // Past the first token's exp and the verifiers' clock tolerance.
      vi.advanceTimersByTime(Math.max(...games.map((g) => g.config.auth.clockToleranceMs)) + 1_000);
      for (const socket of refreshed) expect(await served(socket)).toBe(true);
    });
  });

  it('cuts a socket whose refreshed token is revoked, and not for its old token', async () => {
    const sub = `rr-${randomUUID()}`;
    const oldJti = randomUUID();
    const newJti = randomUUID();
    const sockets = await connectEverywhere(await mint({ sub, jti: oldJti }));
    const fresh = await mint({ sub, jti: newJti });
    for (const socket of sockets) {
      expect(await ask(socket, 'auth:refresh', { token: fresh })).toMatchObject({ ok: true });
    }
    // Once each instance refuses a handshake with the old jti, it has applied that rule: only
    // then does the socket being still served mean the rule spared it.
    await publish({ kind: 'token', jti: oldJti, expiresAt: Date.now() + 300_000, reason: 'admin' });
    for (const game of games) {
      await waitFor(
        async () => (await refusalCode(game, await mint({ sub, jti: oldJti }))) === 'TOKEN_REVOKED',
        { timeoutMs: CUT_TIMEOUT_MS, description: 'the old-token rule applied' },
      );
    }
    for (const socket of sockets) expect(await served(socket)).toBe(true);

    const cuts = sockets.map(cutOf);
    await publish({
      kind: 'token',
      jti: newJti,
      expiresAt: Date.now() + 300_000,
      reason: 'logout',
    });
    for (const cut of await Promise.all(cuts)) {
      expect(cut.revoked).toEqual({ code: 'TOKEN_REVOKED', kind: 'token', reason: 'logout' });
    }
  });

  it('refuses a refresh to another user’s token and keeps the socket', async () => {
    const sockets = await connectEverywhere(await mint({ sub: `mine-${randomUUID()}` }));
    const intruder = await mint({ sub: `theirs-${randomUUID()}` });
    for (const socket of sockets) {
      expect(await ask(socket, 'auth:refresh', { token: intruder })).toEqual({
        ok: false,
        code: 'SUBJECT_MISMATCH',
      });
      expect(await served(socket)).toBe(true);
    }
  });
});

describe('service surface', () => {
  it('reports ready, and exposes the verifier’s and the sockets’ metrics', async () => {
    for (const game of games) {
      const ready = await fetch(`${urlOf(game)}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ok', verifier: { ready: true } });
      const metrics = await (await fetch(`${urlOf(game)}/metrics`)).text();
      expect(metrics).toMatch(/^revocation_verifier_ready\{[^}]*\} 1$/m);
      expect(metrics).toMatch(/^game_sockets\{/m);
      expect(metrics).toMatch(/^game_sockets_disconnected_total\{code="TOKEN_REVOKED"/m);
    }
  });
});
