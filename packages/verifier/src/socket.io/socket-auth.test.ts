/**
 * The socket.io adapter with a real socket.io server and real socket.io-client connections on
 * an ephemeral port. Revocations come from a hand-driven feed into a real verifier (real keys,
 * real signed tokens); the Kafka path is covered by the end-to-end tests in test/. Where time
 * matters (a token reaching `exp`) fake timers move it; nothing sleeps. A check that something
 * did not happen ends with a round trip the server answers on that very socket.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connectClient } from 'socket.io-client';
import type { Socket as ClientSocket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualFeed, mint, revocation, signingKey } from '../lib/tokens.fixture.js';
import type { SigningKey } from '../lib/tokens.fixture.js';
import { trustedIssuer } from '../lib/verifier.fixture.js';
import { resolveVerifierOptions } from '../options.js';
import { RevocationVerifier } from '../verifier.js';
import { REFRESH_EVENT, REVOKED_EVENT, socketAuth, socketToken } from './index.js';
import type {
  RefreshAck,
  RevokedPayload,
  SocketAuth,
  SocketAuthErrorData,
  SocketAuthOptions,
} from './index.js';

const CLOCK_TOLERANCE_MS = 5_000;

let key: SigningKey;
let otherKey: SigningKey;
let shared: TestServer;
const IDP = 'https://idp.test';
const clients: ClientSocket[] = [];

/** An event of the test server that answers `{ ok: true }`, for the recent-login tests. */
const WITHDRAW = 'wallet:withdraw';

/** The one place this file builds a verifier. */
function newVerifier(feed: ManualFeed, now?: () => number): RevocationVerifier {
  return new RevocationVerifier(
    resolveVerifierOptions({
      ...(now === undefined ? {} : { now }),
      // A second issuer (an OIDC provider, say) beside ours: the same subject name there is
      // someone else.
      issuers: [
        trustedIssuer([key, otherKey], { authority: { sources: ['auth.revocations'] } }),
        trustedIssuer([key], { issuer: IDP, authority: { sources: ['auth.revocations'] } }),
      ],
      revocations: () => feed,
      clockToleranceMs: CLOCK_TOLERANCE_MS,
      // The hand-driven feed reports contact once, when it becomes ready: however slowly this
      // file runs, the verifier must not turn stale under it.
      maxStalenessMs: 24 * 3_600_000,
    }),
  );
}

interface TestServer {
  readonly url: string;
  readonly feed: ManualFeed;
  readonly auth: SocketAuth;
  close(): Promise<void>;
}

/**
 * A socket.io server on `/` and `/game` behind one socketAuth, whose `whoami` answers with the
 * socket's current claims. Its verifier reads the clock of the moment it is built (fake, when
 * the test installed fake timers first).
 */
async function startServer(
  options: SocketAuthOptions = {},
  { ready = true, now }: { readonly ready?: boolean; readonly now?: () => number } = {},
): Promise<TestServer> {
  const feed = new ManualFeed();
  const verifier = newVerifier(feed, now);
  if (ready) feed.markReady();
  const auth = socketAuth(verifier, options);
  const http = createServer();
  const io = new Server(http);
  for (const namespace of [io.of('/'), io.of('/game')]) {
    namespace.use(auth);
    namespace.on('connection', (socket) => {
      socket.on('whoami', (ack: (value: WhoAmI) => void) => {
        const { claims } = socketToken(socket);
        ack({ ok: true, sub: claims.sub, jti: claims.jti, dataKeys: Object.keys(socket.data) });
      });
      socket.on(WITHDRAW, (ack: (value: { ok: true }) => void) => ack({ ok: true }));
    });
  }
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    feed,
    auth,
    async close() {
      auth.close();
      await io.close();
      await verifier.close();
    },
  };
}

beforeAll(async () => {
  key = await signingKey('sk-1');
  otherKey = await signingKey('sk-2');
  shared = await startServer();
});

afterEach(() => {
  vi.useRealTimers();
  for (const client of clients.splice(0)) client.disconnect();
});

afterAll(async () => {
  await shared.close();
});

interface ConnectOptions {
  readonly namespace?: string;
  readonly header?: boolean;
  /** Default the shared server. */
  readonly url?: string;
  /** Default WebSocket only; `['polling']` for HTTP long-polling. */
  readonly transports?: ('websocket' | 'polling')[];
}

function client(token: string | undefined, options: ConnectOptions = {}): ClientSocket {
  const url = (options.url ?? shared.url) + (options.namespace ?? '/');
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

/** The `revoked` payload (if one came) and the disconnect reason, once the socket is cut. */
function cutOf(socket: ClientSocket): Promise<{ payload?: RevokedPayload; reason: string }> {
  return new Promise((resolve) => {
    let payload: RevokedPayload | undefined;
    socket.once(REVOKED_EVENT, (value: RevokedPayload) => {
      payload = value;
    });
    socket.once('disconnect', (reason) =>
      resolve(payload === undefined ? { reason } : { payload, reason }),
    );
  });
}

/**
 * Emits an event and resolves with its acknowledgement; rejects if the socket disconnects
 * first. No timer: it works as well under fake timers.
 */
function ask<T>(socket: ClientSocket, event: string, ...args: unknown[]): Promise<T> {
  if (!socket.connected) return Promise.reject(new Error(`${event}: socket is not connected`));
  return new Promise((resolve, reject) => {
    const onDisconnect = (reason: string): void =>
      reject(new Error(`${event}: disconnected (${reason}) before the answer`));
    socket.once('disconnect', onDisconnect);
    socket.emit(event, ...args, (reply: T) => {
      socket.off('disconnect', onDisconnect);
      resolve(reply);
    });
  });
}

type WhoAmI =
  | { ok: true; sub: string; jti: string | undefined; dataKeys: string[] }
  | { ok: false; code: string };

function whoami(socket: ClientSocket): Promise<WhoAmI> {
  return ask(socket, 'whoami');
}

function refresh(socket: ClientSocket, token: unknown): Promise<RefreshAck> {
  return ask(socket, REFRESH_EVENT, token);
}

/** Still connected and served: the server answers a round trip through the event gate. */
async function stillServed(socket: ClientSocket): Promise<boolean> {
  try {
    return (await whoami(socket)).ok;
  } catch {
    return false;
  }
}

/** Sets the fake clock to a whole second, so a token minted now expires `lifetime` s ahead. */
function fakeTimeAtWholeSecond(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(Math.ceil(Date.now() / 1000) * 1000);
}

describe('handshake', () => {
  it('admits a token from auth.token and exposes its claims through socketToken only', async () => {
    const jti = randomUUID();
    const socket = await connect(await mint(key, { claims: { sub: 'hs-1', jti } }));
    // socket.data stays the application's: the token is read with socketToken(socket).
    expect(await whoami(socket)).toEqual({ ok: true, sub: 'hs-1', jti, dataKeys: [] });
  });

  it('admits a token from the Authorization header', async () => {
    const socket = await connect(await mint(key, { claims: { sub: 'hs-2' } }), { header: true });
    expect(await whoami(socket)).toMatchObject({ ok: true, sub: 'hs-2' });
  });

  it('accepts auth.token with the Bearer prefix', async () => {
    const socket = await connect(`Bearer ${await mint(key, { claims: { sub: 'hs-3' } })}`);
    expect(await whoami(socket)).toMatchObject({ ok: true, sub: 'hs-3' });
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
    fakeTimeAtWholeSecond();
    const server = await startServer();
    try {
      // exp passed 1 s ago: the verifier still accepts it (tolerance 5 s); the adapter does not.
      const justExpired = await mint(key, { now: Date.now() / 1000 - 61, lifetime: 60 });
      expect(await refusal(justExpired, { url: server.url })).toBe('TOKEN_EXPIRED');
    } finally {
      await server.close();
    }
  });

  it('refuses a revoked token with TOKEN_REVOKED', async () => {
    const sid = randomUUID();
    shared.feed.deliver(revocation({ kind: 'session', sid, reason: 'logout' }));
    expect(await refusal(await mint(key, { claims: { sid } }))).toBe('TOKEN_REVOKED');
  });

  it('refuses every handshake with NOT_READY until the verifier has replayed the topic', async () => {
    const server = await startServer({}, { ready: false });
    try {
      const token = await mint(key);
      expect(await refusal(token, { url: server.url })).toBe('NOT_READY');
      server.feed.markReady();
      expect(await stillServed(await connect(token, { url: server.url }))).toBe(true);
    } finally {
      await server.close();
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
    shared.feed.deliver(revocation({ kind: 'session', sid, reason: 'logout' }));
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
    shared.feed.deliver(revocation({ kind: 'session', sid, reason: 'logout' }));
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
    shared.feed.deliver(
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
    shared.feed.deliver(
      revocation({ kind: 'subject', sub: 'rv-3', cutoff: (now - 10) * 1000, reason: 'ban' }),
    );
    expect((await cut).payload).toEqual({ code: 'TOKEN_REVOKED', kind: 'subject', reason: 'ban' });
    expect(await stillServed(after)).toBe(true);
    expect(await stillServed(bystander)).toBe(true);
  });

  it('cuts only the sockets of the issuer a rule names, though the subject name is the same', async () => {
    const now = Math.floor(Date.now() / 1000) - 20;
    const ours = await connect(await mint(key, { claims: { sub: 'rv-5' }, now }));
    const theirs = await connect(await mint(key, { claims: { sub: 'rv-5', iss: IDP }, now }));
    const cut = cutOf(theirs);
    shared.feed.deliver(
      revocation({ kind: 'subject', sub: 'rv-5', cutoff: Date.now(), reason: 'ban', iss: IDP }),
    );
    expect((await cut).payload).toEqual({ code: 'TOKEN_REVOKED', kind: 'subject', reason: 'ban' });
    expect(await stillServed(ours)).toBe(true);
  });

  it('cuts every socket whose token a revoked key signed', async () => {
    const server = await startServer();
    const url = server.url;
    try {
      const signedByOther = await connect(await mint(otherKey, { claims: { sub: 'rv-4' } }), {
        url,
      });
      const signedByKey = await connect(await mint(key, { claims: { sub: 'rv-4' } }), { url });
      const cut = cutOf(signedByOther);
      await server.feed.deliverSigned(
        revocation({ kind: 'key', kid: otherKey.kid, reason: 'key-compromise' }),
        key,
      );
      expect((await cut).payload).toEqual({
        code: 'TOKEN_REVOKED',
        kind: 'key',
        reason: 'key-compromise',
      });
      expect(await stillServed(signedByKey)).toBe(true);
      expect(server.auth.stats()).toMatchObject({ sockets: 1, revoked: 1 });
    } finally {
      await server.close();
    }
  });

  it('cuts every socket issued before a global cutoff', async () => {
    const server = await startServer();
    const url = server.url;
    try {
      const now = Math.floor(Date.now() / 1000);
      const old = await Promise.all(
        ['g-1', 'g-2', 'g-3'].map(async (sub) =>
          connect(await mint(key, { claims: { sub }, now: now - 30 }), { url }),
        ),
      );
      const fresh = await connect(await mint(key, { claims: { sub: 'g-4' }, now }), { url });
      const cuts = old.map(cutOf);
      await server.feed.deliverSigned(
        revocation({ kind: 'global', cutoff: (now - 10) * 1000, reason: 'emergency' }),
        key,
      );
      for (const cut of await Promise.all(cuts)) {
        expect(cut.payload).toEqual({ code: 'TOKEN_REVOKED', kind: 'global', reason: 'emergency' });
      }
      expect(await stillServed(fresh)).toBe(true);
      expect(server.auth.stats()).toMatchObject({ sockets: 1, revoked: 3 });
    } finally {
      await server.close();
    }
  });
});

describe('many sockets', () => {
  it('ends every one of more sockets than one batch when one rule matches them all', async () => {
    const server = await startServer();
    const url = server.url;
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
      expect(server.auth.stats().sockets).toBe(1101);
      const cuts = victims.map(cutOf);
      await server.feed.deliverSigned(
        revocation({ kind: 'global', cutoff: (now - 30) * 1000, reason: 'emergency' }),
        key,
      );
      const ends = await Promise.all(cuts);
      expect(ends.every((end) => end.payload?.code === 'TOKEN_REVOKED')).toBe(true);
      expect(await stillServed(spared)).toBe(true);
      expect(server.auth.stats()).toMatchObject({ sockets: 1, revoked: 1100 });
    } finally {
      await server.close();
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
    expect(await whoami(socket)).toMatchObject({ ok: true, jti: newJti });

    shared.feed.deliver(
      revocation({ kind: 'token', jti: oldJti, expiresAt: Date.now() + 300_000, reason: 'admin' }),
    );
    expect(await stillServed(socket)).toBe(true);

    const cut = cutOf(socket);
    shared.feed.deliver(
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

  it('refuses the same subject name from another issuer with SUBJECT_MISMATCH', async () => {
    const socket = await connect(await mint(key, { claims: { sub: 'rf-6' } }));
    expect(await refresh(socket, await mint(key, { claims: { sub: 'rf-6', iss: IDP } }))).toEqual({
      ok: false,
      code: 'SUBJECT_MISMATCH',
    });
  });

  it('answers an invalid refresh with its code and keeps the socket', async () => {
    const socket = await connect(await mint(key, { claims: { sub: 'rf-3' } }));
    expect(await refresh(socket, 'garbage')).toEqual({ ok: false, code: 'TOKEN_MALFORMED' });
    expect(await refresh(socket, { nope: 1 })).toEqual({ ok: false, code: 'TOKEN_MALFORMED' });
    const sid = randomUUID();
    shared.feed.deliver(revocation({ kind: 'session', sid, reason: 'logout' }));
    expect(await refresh(socket, await mint(key, { claims: { sub: 'rf-3', sid } }))).toEqual({
      ok: false,
      code: 'TOKEN_REVOKED',
    });
    expect(await stillServed(socket)).toBe(true);
  });
});

describe('expiry', () => {
  it('disconnects a socket at its token’s exp, and a refresh keeps it alive past that', async () => {
    fakeTimeAtWholeSecond();
    const server = await startServer();
    const url = server.url;
    try {
      const lapsing = await connect(await mint(key, { claims: { sub: 'rf-4' }, lifetime: 2 }), {
        url,
      });
      const refreshed = await connect(await mint(key, { claims: { sub: 'rf-5' }, lifetime: 2 }), {
        url,
      });
      const firstExp = Date.now() + 2_000;
      const lapse = cutOf(lapsing);
      const ack = await refresh(
        refreshed,
        await mint(key, { claims: { sub: 'rf-5' }, lifetime: 60 }),
      );
      expect(ack).toMatchObject({ ok: true });

      vi.advanceTimersByTime(firstExp - 1 - Date.now());
      expect(await stillServed(lapsing)).toBe(true);
      vi.advanceTimersByTime(1);
      expect(await lapse).toEqual({
        payload: { code: 'TOKEN_EXPIRED' },
        reason: 'io server disconnect',
      });
      // Well past the first token's exp and the verifier's clock tolerance.
      vi.advanceTimersByTime(CLOCK_TOLERANCE_MS + 1_000);
      expect(await stillServed(refreshed)).toBe(true);
      expect(server.auth.stats()).toMatchObject({ sockets: 1, expired: 1, refreshed: 1 });
    } finally {
      await server.close();
    }
  });

  it('judges expiry by its own clock (the now option): timer, handshake and refresh', async () => {
    fakeTimeAtWholeSecond();
    let ahead = 0;
    const server = await startServer({ now: () => Date.now() + ahead });
    const url = server.url;
    try {
      const token = await mint(key, { claims: { sub: 'ck-1' }, lifetime: 300 });
      // By the adapter's clock the token has one second left; by the verifier's, 300.
      ahead = 299_000;
      const socket = await connect(token, { url });
      const cut = cutOf(socket);
      vi.advanceTimersByTime(999);
      expect(await stillServed(socket)).toBe(true);
      vi.advanceTimersByTime(1);
      expect(await cut).toEqual({
        payload: { code: 'TOKEN_EXPIRED' },
        reason: 'io server disconnect',
      });

      const keeper = await connect(await mint(key, { claims: { sub: 'ck-1' }, lifetime: 600 }), {
        url,
      });
      expect(await refusal(token, { url })).toBe('TOKEN_EXPIRED');
      expect(await refresh(keeper, token)).toEqual({ ok: false, code: 'TOKEN_EXPIRED' });
      expect(await stillServed(keeper)).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('recent authentication per event', () => {
  const recentAuthByEvent = { [WITHDRAW]: { maxAgeSeconds: 300 } };
  const refused = { ok: false, code: 'INSUFFICIENT_USER_AUTHENTICATION' };

  it.each([true, false])(
    'refuses a listed event on an older login, serves the others, and lets it through after a step-up refresh (checkEvents %s)',
    async (checkEvents) => {
      const server = await startServer({ checkEvents, recentAuthByEvent });
      const url = server.url;
      try {
        const loggedIn = Math.floor(Date.now() / 1000) - 301;
        const old = await connect(
          await mint(key, { claims: { sub: 'st-1', auth_time: loggedIn } }),
          { url },
        );
        const bare = await connect(
          await mint(key, { claims: { sub: 'st-2', auth_time: undefined } }),
          { url },
        );
        expect(await ask(old, WITHDRAW)).toEqual(refused);
        expect(await ask(bare, WITHDRAW)).toEqual(refused);
        // Refused, not cut: the other events are served on the same sockets.
        expect(await stillServed(old)).toBe(true);
        expect(await stillServed(bare)).toBe(true);

        const stepUp = await refresh(old, await mint(key, { claims: { sub: 'st-1' } }));
        expect(stepUp).toMatchObject({ ok: true });
        expect(await ask(old, WITHDRAW)).toEqual({ ok: true });
      } finally {
        await server.close();
      }
    },
  );

  it('judges the age by the verifier’s clock by default', async () => {
    fakeTimeAtWholeSecond();
    let ahead = 0;
    const server = await startServer({ recentAuthByEvent }, { now: () => Date.now() + ahead });
    const url = server.url;
    try {
      const socket = await connect(await mint(key, { claims: { sub: 'st-3' }, lifetime: 900 }), {
        url,
      });
      ahead = 300_000;
      expect(await ask(socket, WITHDRAW)).toEqual({ ok: true });
      ahead = 300_001;
      expect(await ask(socket, WITHDRAW)).toEqual(refused);
      expect(await stillServed(socket)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('refuses a bad recentAuthByEvent at creation, naming the entry', async () => {
    const verifier = newVerifier(new ManualFeed());
    const build = (value: unknown) => () =>
      socketAuth(verifier, { recentAuthByEvent: value as SocketAuthOptions['recentAuthByEvent'] });
    try {
      expect(build({ [WITHDRAW]: { maxAgeSeconds: 0 } })).toThrow(
        /recentAuthByEvent\["wallet:withdraw"\]\.maxAgeSeconds must be an integer ≥ 1/,
      );
      expect(build({ [WITHDRAW]: 300 })).toThrow(/recentAuthByEvent\["wallet:withdraw"\] must be/);
      expect(build({ [REFRESH_EVENT]: { maxAgeSeconds: 60 } })).toThrow(/auth:refresh/);
      expect(build([])).toThrow(/recentAuthByEvent must map event names/);
    } finally {
      await verifier.close();
    }
  });
});

describe('lifecycle', () => {
  it('forgets sockets that disconnect', async () => {
    // The previous tests' clients were disconnected by afterEach.
    await expect.poll(() => shared.auth.stats().sockets).toBe(0);
    const socket = await connect(await mint(key, { claims: { sub: 'lc-1' } }));
    expect(shared.auth.stats().sockets).toBe(1);
    socket.disconnect();
    await expect.poll(() => shared.auth.stats().sockets).toBe(0);
  });

  it('after close, refuses handshakes and events with NOT_READY and no longer cuts', async () => {
    const server = await startServer();
    const url = server.url;
    try {
      const sid = randomUUID();
      const jti = randomUUID();
      const token = await mint(key, { claims: { sub: 'lc-2', sid, jti } });
      const socket = await connect(token, { url });
      expect(await whoami(socket)).toEqual({ ok: true, sub: 'lc-2', jti, dataKeys: [] });
      server.auth.close();
      expect(await whoami(socket)).toEqual({ ok: false, code: 'NOT_READY' });
      expect(await refusal(token, { url })).toBe('NOT_READY');
      server.feed.deliver(revocation({ kind: 'session', sid, reason: 'logout' }));
      // Answered, so not cut: a cut would have disconnected it before the answer.
      expect(await whoami(socket)).toEqual({ ok: false, code: 'NOT_READY' });
    } finally {
      await server.close();
    }
  });

  it('refuses to be built without a verifier or with a bad option', async () => {
    expect(() => socketAuth({} as RevocationVerifier)).toThrow(TypeError);
    const verifier = newVerifier(new ManualFeed());
    try {
      expect(() => socketAuth(verifier, { checkEvents: 'yes' as unknown as boolean })).toThrow(
        /checkEvents/,
      );
      expect(() => socketAuth(verifier, { now: 'soon' as unknown as () => number })).toThrow(/now/);
    } finally {
      await verifier.close();
    }
  });
});
