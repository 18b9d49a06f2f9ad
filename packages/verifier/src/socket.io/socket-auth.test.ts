/**
 * The socket.io adapter with a real socket.io server and real socket.io-client connections on
 * an ephemeral port. Revocations come from a hand-driven feed into a real verifier (real keys,
 * real signed tokens); the Kafka path is covered by the end-to-end tests in test/.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connectClient } from 'socket.io-client';
import type { Socket as ClientSocket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AUDIENCE,
  ISSUER,
  ManualFeed,
  keySet,
  mint,
  revocation,
  signingKey,
} from '../lib/tokens.fixture.js';
import type { SigningKey } from '../lib/tokens.fixture.js';
import { resolveVerifierOptions } from '../options.js';
import { RevocationVerifier } from '../verifier.js';
import { REFRESH_EVENT, REVOKED_EVENT, socketAuth, socketToken } from './index.js';
import type { RefreshAck, RevokedPayload, SocketAuth, SocketAuthErrorData } from './index.js';

let key: SigningKey;
let otherKey: SigningKey;
let feed: ManualFeed;
let verifier: RevocationVerifier;
let auth: SocketAuth;
let http: HttpServer;
let io: Server;
let base: string;
const clients: ClientSocket[] = [];

function newVerifier(source: ManualFeed): RevocationVerifier {
  return new RevocationVerifier(
    resolveVerifierOptions({
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['ES256'],
      jwks: keySet(key, otherKey),
      revocations: () => source,
    }),
  );
}

/** Echo handlers: `whoami` answers with the socket's current claims. */
function serve(namespace: ReturnType<Server['of']>): void {
  namespace.on('connection', (socket) => {
    socket.on('whoami', (ack: (value: unknown) => void) => {
      const { claims } = socketToken(socket);
      ack({ ok: true, sub: claims.sub, jti: claims.jti, dataSub: socket.data.auth.claims.sub });
    });
  });
}

beforeAll(async () => {
  key = await signingKey('sk-1');
  otherKey = await signingKey('sk-2');
  feed = new ManualFeed();
  verifier = newVerifier(feed);
  feed.markReady();
  auth = socketAuth(verifier);
  http = createServer();
  io = new Server(http);
  io.use(auth);
  io.of('/game').use(auth);
  serve(io.of('/'));
  serve(io.of('/game'));
  http.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => http.once('listening', resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});

afterAll(async () => {
  auth.close();
  await io.close();
  await verifier.close();
});

interface ConnectOptions {
  readonly namespace?: string;
  readonly header?: boolean;
  readonly url?: string;
  /** Default WebSocket only; `['polling']` for HTTP long-polling. */
  readonly transports?: ('websocket' | 'polling')[];
}

function client(token: string | undefined, options: ConnectOptions = {}): ClientSocket {
  const url = (options.url ?? base) + (options.namespace ?? '/');
  const socket = connectClient(url, {
    transports: options.transports ?? ['websocket'],
    forceNew: true,
    reconnection: false,
    ...(options.header === true
      ? { extraHeaders: { authorization: `Bearer ${token}` } }
      : { auth: token === undefined ? {} : { token } }),
  });
  clients.push(socket);
  return socket;
}

/** Connects, resolving with the socket, or rejecting with the connect_error's code. */
function connect(token: string | undefined, options: ConnectOptions = {}): Promise<ClientSocket> {
  const socket = client(token, options);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error: Error & { data?: SocketAuthErrorData }) =>
      reject(new Error(error.data?.code ?? `no code: ${error.message}`)),
    );
  });
}

async function refusal(token: string | undefined, options: ConnectOptions = {}): Promise<string> {
  try {
    await connect(token, options);
    return 'connected';
  } catch (error) {
    return (error as Error).message;
  }
}

/** Resolves with the `revoked` payload and the disconnect reason, in that order. */
function cutOf(socket: ClientSocket): Promise<{ payload: RevokedPayload; reason: string }> {
  return new Promise((resolve) => {
    let payload: RevokedPayload | undefined;
    socket.once(REVOKED_EVENT, (value: RevokedPayload) => {
      payload = value;
    });
    socket.once('disconnect', (reason) => {
      if (payload !== undefined) resolve({ payload, reason });
    });
  });
}

function whoami(
  socket: ClientSocket,
): Promise<{ ok: boolean; sub?: string; jti?: string; code?: string }> {
  return socket.timeout(2000).emitWithAck('whoami');
}

function refresh(socket: ClientSocket, token: unknown): Promise<RefreshAck> {
  return socket.timeout(2000).emitWithAck(REFRESH_EVENT, token);
}

/** Connected and not cut after a round trip that follows the rule. */
async function stillServed(socket: ClientSocket): Promise<boolean> {
  if (!socket.connected) return false;
  return (await whoami(socket)).ok;
}

describe('handshake', () => {
  it('admits a token from auth.token and exposes its claims on the socket', async () => {
    const jti = randomUUID();
    const socket = await connect(await mint(key, { claims: { sub: 'hs-1', jti } }));
    expect(await whoami(socket)).toEqual({ ok: true, sub: 'hs-1', jti, dataSub: 'hs-1' });
  });

  it('admits a token from the Authorization header', async () => {
    const socket = await connect(await mint(key, { claims: { sub: 'hs-2' } }), { header: true });
    expect((await whoami(socket)).sub).toBe('hs-2');
  });

  it('accepts auth.token with the Bearer prefix', async () => {
    const socket = await connect(`Bearer ${await mint(key, { claims: { sub: 'hs-3' } })}`);
    expect((await whoami(socket)).sub).toBe('hs-3');
  });

  it('refuses a handshake without a token with TOKEN_MISSING', async () => {
    expect(await refusal(undefined)).toBe('TOKEN_MISSING');
  });

  it('refuses garbage with TOKEN_MALFORMED and a forged signature with SIGNATURE_INVALID', async () => {
    expect(await refusal('not-a-jwt')).toBe('TOKEN_MALFORMED');
    const stranger = await signingKey('sk-1');
    expect(await refusal(await mint(stranger))).toBe('SIGNATURE_INVALID');
  });

  it('refuses an expired token with TOKEN_EXPIRED', async () => {
    const expired = await mint(key, { now: Math.floor(Date.now() / 1000) - 600, lifetime: 60 });
    expect(await refusal(expired)).toBe('TOKEN_EXPIRED');
  });

  it('refuses a token inside the clock tolerance past exp rather than admitting it for nothing', async () => {
    const justExpired = await mint(key, { now: Math.floor(Date.now() / 1000) - 62, lifetime: 60 });
    expect(await refusal(justExpired)).toBe('TOKEN_EXPIRED');
  });

  it('refuses a revoked token with TOKEN_REVOKED', async () => {
    const sid = randomUUID();
    feed.deliver(revocation({ kind: 'session', sid, reason: 'logout' }));
    expect(await refusal(await mint(key, { claims: { sid } }))).toBe('TOKEN_REVOKED');
  });

  it('refuses every handshake with NOT_READY until the verifier has replayed the topic', async () => {
    const unreadyFeed = new ManualFeed();
    const unready = newVerifier(unreadyFeed);
    const unreadyAuth = socketAuth(unready);
    const server = createServer();
    const unreadyIo = new Server(server);
    unreadyIo.use(unreadyAuth);
    server.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const token = await mint(key);
      expect(await refusal(token, { url })).toBe('NOT_READY');
      unreadyFeed.markReady();
      expect((await connect(token, { url })).connected).toBe(true);
    } finally {
      unreadyAuth.close();
      await unreadyIo.close();
      await unready.close();
    }
  });
});

describe('revocation', () => {
  it('cuts the sockets of a revoked session, on every namespace, and leaves other sessions alone', async () => {
    const sid = randomUUID();
    const mine = await mint(key, { claims: { sub: 'rv-1', sid } });
    const a = await connect(mine);
    const b = await connect(mine, { namespace: '/game' });
    const other = await connect(await mint(key, { claims: { sub: 'rv-1', sid: randomUUID() } }));
    const cuts = [cutOf(a), cutOf(b)];
    feed.deliver(revocation({ kind: 'session', sid, reason: 'logout' }));
    for (const cut of await Promise.all(cuts)) {
      expect(cut).toEqual({
        payload: { code: 'TOKEN_REVOKED', kind: 'session', reason: 'logout' },
        reason: 'io server disconnect',
      });
    }
    expect(await stillServed(other)).toBe(true);
  });

  it('delivers revoked before the disconnect over HTTP long-polling too', async () => {
    const sid = randomUUID();
    const socket = await connect(await mint(key, { claims: { sid } }), { transports: ['polling'] });
    const cut = cutOf(socket);
    feed.deliver(revocation({ kind: 'session', sid, reason: 'logout' }));
    expect(await cut).toEqual({
      payload: { code: 'TOKEN_REVOKED', kind: 'session', reason: 'logout' },
      reason: 'io server disconnect',
    });
  });

  it('cuts the socket of a revoked jti only', async () => {
    const jti = randomUUID();
    const target = await connect(await mint(key, { claims: { sub: 'rv-2', jti } }));
    const sibling = await connect(await mint(key, { claims: { sub: 'rv-2' } }));
    const cut = cutOf(target);
    feed.deliver(
      revocation({ kind: 'token', jti, expiresAt: Date.now() + 300_000, reason: 'admin' }),
    );
    expect((await cut).payload).toEqual({ code: 'TOKEN_REVOKED', kind: 'token', reason: 'admin' });
    expect(await stillServed(sibling)).toBe(true);
  });

  it('cuts a subject’s sockets issued before the cutoff and spares those issued after it', async () => {
    const now = Math.floor(Date.now() / 1000);
    const before = await connect(await mint(key, { claims: { sub: 'rv-3' }, now: now - 20 }));
    const after = await connect(await mint(key, { claims: { sub: 'rv-3' }, now }));
    const bystander = await connect(
      await mint(key, { claims: { sub: 'rv-3-other' }, now: now - 20 }),
    );
    const cut = cutOf(before);
    feed.deliver(
      revocation({ kind: 'subject', sub: 'rv-3', cutoff: (now - 10) * 1000, reason: 'ban' }),
    );
    expect((await cut).payload).toEqual({ code: 'TOKEN_REVOKED', kind: 'subject', reason: 'ban' });
    expect(await stillServed(after)).toBe(true);
    expect(await stillServed(bystander)).toBe(true);
  });

  it('cuts every socket whose token a revoked key signed', async () => {
    const keyRevocationFeed = new ManualFeed();
    const own = newVerifier(keyRevocationFeed);
    keyRevocationFeed.markReady();
    const ownAuth = socketAuth(own);
    const server = createServer();
    const ownIo = new Server(server);
    ownIo.use(ownAuth);
    ownIo.on('connection', (socket) =>
      socket.on('whoami', (ack: (v: unknown) => void) => ack({ ok: true })),
    );
    server.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const signedByOther = await connect(await mint(otherKey, { claims: { sub: 'rv-4' } }), {
        url,
      });
      const signedByKey = await connect(await mint(key, { claims: { sub: 'rv-4' } }), { url });
      const cut = cutOf(signedByOther);
      keyRevocationFeed.deliver(
        revocation({ kind: 'key', kid: otherKey.kid, reason: 'key-compromise' }),
      );
      expect((await cut).payload).toEqual({
        code: 'TOKEN_REVOKED',
        kind: 'key',
        reason: 'key-compromise',
      });
      expect(await stillServed(signedByKey)).toBe(true);
      expect(ownAuth.stats()).toMatchObject({ sockets: 1, revoked: 1 });
    } finally {
      ownAuth.close();
      await ownIo.close();
      await own.close();
    }
  });

  it('cuts every socket issued before a global cutoff', async () => {
    const globalFeed = new ManualFeed();
    const own = newVerifier(globalFeed);
    globalFeed.markReady();
    const ownAuth = socketAuth(own);
    const server = createServer();
    const ownIo = new Server(server);
    ownIo.use(ownAuth);
    server.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const now = Math.floor(Date.now() / 1000);
      const old = await Promise.all(
        ['g-1', 'g-2', 'g-3'].map(async (sub) =>
          connect(await mint(key, { claims: { sub }, now: now - 30 }), { url }),
        ),
      );
      const fresh = await connect(await mint(key, { claims: { sub: 'g-4' }, now }), { url });
      const cuts = old.map(cutOf);
      globalFeed.deliver(
        revocation({ kind: 'global', cutoff: (now - 10) * 1000, reason: 'emergency' }),
      );
      for (const cut of await Promise.all(cuts)) {
        expect(cut.payload).toEqual({ code: 'TOKEN_REVOKED', kind: 'global', reason: 'emergency' });
      }
      expect(fresh.connected).toBe(true);
      expect(ownAuth.stats()).toMatchObject({ sockets: 1, revoked: 3 });
    } finally {
      ownAuth.close();
      await ownIo.close();
      await own.close();
    }
  });
});

describe('many sockets', () => {
  it('ends every one of more sockets than one batch when one rule matches them all', async () => {
    const manyFeed = new ManualFeed();
    const own = newVerifier(manyFeed);
    manyFeed.markReady();
    const ownAuth = socketAuth(own);
    const server = createServer();
    const ownIo = new Server(server);
    ownIo.use(ownAuth);
    server.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const now = Math.floor(Date.now() / 1000);
      const old = await mint(key, { claims: { sub: 'many' }, now: now - 60 });
      const victims: ClientSocket[] = [];
      for (let i = 0; i < 11; i += 1) {
        victims.push(
          ...(await Promise.all(Array.from({ length: 100 }, () => connect(old, { url })))),
        );
      }
      const spared = await connect(await mint(key, { claims: { sub: 'many' }, now }), { url });
      expect(ownAuth.stats().sockets).toBe(1101);
      const cuts = victims.map(cutOf);
      manyFeed.deliver(
        revocation({ kind: 'global', cutoff: (now - 30) * 1000, reason: 'emergency' }),
      );
      const ends = await Promise.all(cuts);
      expect(ends.every((end) => end.payload.code === 'TOKEN_REVOKED')).toBe(true);
      expect(spared.connected).toBe(true);
      expect(ownAuth.stats()).toMatchObject({ sockets: 1, revoked: 1100 });
    } finally {
      ownAuth.close();
      await ownIo.close();
      await own.close();
    }
  }, 60_000);
});

describe('in-band refresh', () => {
  it('replaces the token: the old jti no longer matters, the new one does', async () => {
    const oldJti = randomUUID();
    const newJti = randomUUID();
    const socket = await connect(await mint(key, { claims: { sub: 'rf-1', jti: oldJti } }));
    const ack = await refresh(socket, {
      token: await mint(key, { claims: { sub: 'rf-1', jti: newJti }, lifetime: 600 }),
    });
    expect(ack).toMatchObject({ ok: true });
    expect((await whoami(socket)).jti).toBe(newJti);

    feed.deliver(
      revocation({ kind: 'token', jti: oldJti, expiresAt: Date.now() + 300_000, reason: 'admin' }),
    );
    expect(await stillServed(socket)).toBe(true);

    const cut = cutOf(socket);
    feed.deliver(
      revocation({ kind: 'token', jti: newJti, expiresAt: Date.now() + 600_000, reason: 'logout' }),
    );
    expect((await cut).payload).toEqual({ code: 'TOKEN_REVOKED', kind: 'token', reason: 'logout' });
  });

  it('refuses another subject’s token with SUBJECT_MISMATCH and keeps the current one', async () => {
    const jti = randomUUID();
    const socket = await connect(await mint(key, { claims: { sub: 'rf-2', jti } }));
    expect(await refresh(socket, await mint(key, { claims: { sub: 'rf-2-intruder' } }))).toEqual({
      ok: false,
      code: 'SUBJECT_MISMATCH',
    });
    expect(await whoami(socket)).toMatchObject({ ok: true, sub: 'rf-2', jti });
  });

  it('answers an invalid refresh with its code and keeps the socket', async () => {
    const socket = await connect(await mint(key, { claims: { sub: 'rf-3' } }));
    expect(await refresh(socket, 'garbage')).toEqual({ ok: false, code: 'TOKEN_MALFORMED' });
    expect(await refresh(socket, { nope: 1 })).toEqual({ ok: false, code: 'TOKEN_MALFORMED' });
    const sid = randomUUID();
    feed.deliver(revocation({ kind: 'session', sid, reason: 'logout' }));
    expect(await refresh(socket, await mint(key, { claims: { sub: 'rf-3', sid } }))).toEqual({
      ok: false,
      code: 'TOKEN_REVOKED',
    });
    expect(await stillServed(socket)).toBe(true);
  });

  it('disconnects a socket at its token’s exp, and a refresh keeps it alive past that', async () => {
    const lapsing = await connect(await mint(key, { claims: { sub: 'rf-4' }, lifetime: 2 }));
    const refreshed = await connect(await mint(key, { claims: { sub: 'rf-5' }, lifetime: 2 }));
    const firstExp = Math.floor(Date.now() / 1000) + 2;
    const lapse = cutOf(lapsing);
    const ack = await refresh(
      refreshed,
      await mint(key, { claims: { sub: 'rf-5' }, lifetime: 60 }),
    );
    expect(ack).toMatchObject({ ok: true });
    const { payload } = await lapse;
    expect(payload).toEqual({ code: 'TOKEN_EXPIRED' });
    // Well past the first token's exp (and its clock tolerance), the refreshed socket is served.
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, firstExp * 1000 - Date.now()) + 1500),
    );
    expect(await stillServed(refreshed)).toBe(true);
  });
});

describe('lifecycle', () => {
  it('forgets sockets that disconnect', async () => {
    // The previous tests' clients were disconnected by afterEach.
    await expect.poll(() => auth.stats().sockets).toBe(0);
    const socket = await connect(await mint(key, { claims: { sub: 'lc-1' } }));
    expect(auth.stats().sockets).toBe(1);
    socket.disconnect();
    await expect.poll(() => auth.stats().sockets).toBe(0);
  });

  it('after close, refuses handshakes and events with NOT_READY and no longer cuts', async () => {
    const ownFeed = new ManualFeed();
    const own = newVerifier(ownFeed);
    ownFeed.markReady();
    const ownAuth = socketAuth(own);
    const server = createServer();
    const ownIo = new Server(server);
    ownIo.use(ownAuth);
    ownIo.on('connection', (socket) =>
      socket.on('whoami', (ack: (v: unknown) => void) => ack({ ok: true })),
    );
    server.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const sid = randomUUID();
      const token = await mint(key, { claims: { sid } });
      const socket = await connect(token, { url });
      expect(await whoami(socket)).toEqual({ ok: true });
      ownAuth.close();
      expect(await whoami(socket)).toEqual({ ok: false, code: 'NOT_READY' });
      expect(await refusal(token, { url })).toBe('NOT_READY');
      ownFeed.deliver(revocation({ kind: 'session', sid, reason: 'logout' }));
      expect(socket.connected).toBe(true);
    } finally {
      await ownIo.close();
      await own.close();
    }
  });

  it('refuses to be built without a verifier or with a bad option', () => {
    expect(() => socketAuth({} as RevocationVerifier)).toThrow(TypeError);
    expect(() => socketAuth(verifier, { checkEvents: 'yes' as unknown as boolean })).toThrow(
      /checkEvents/,
    );
  });
});
