#!/usr/bin/env node
/**
 * The scenario every example app goes through, as a client would see it:
 *
 *   1. register and log in at the issuer (the user-service, or the app itself for own-issuer);
 *   2. call the app's protected route with the access token: 200, naming the token's subject;
 *   3. with --forbidden <route>, that route (behind a role the user lacks) answers 403
 *      INSUFFICIENT_SCOPE; with --socket, open a socket.io connection with the token and get an
 *      answer on it;
 *   4. log out at the issuer (POST /auth/logout);
 *   5. the same token is refused by the app, 401 TOKEN_REVOKED (polled, bounded), and the
 *      socket receives `revoked` { code: 'TOKEN_REVOKED', kind: 'session', reason: 'logout' }
 *      and is disconnected.
 *
 *   node logout-revokes.mjs --app http://127.0.0.1:4100 --issuer http://127.0.0.1:3000 \
 *     [--route /me] [--forbidden /admin/stats] [--socket]
 *
 * Prints one JSON line with the timings on stdout and exits 0, or names the failed step on
 * stderr and exits 1.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { io } from 'socket.io-client';

const { values } = parseArgs({
  options: {
    app: { type: 'string' },
    issuer: { type: 'string' },
    route: { type: 'string', default: '/me' },
    forbidden: { type: 'string' },
    socket: { type: 'boolean', default: false },
    'deadline-ms': { type: 'string', default: '10000' },
  },
  strict: true,
});
if (values.app === undefined || values.issuer === undefined) {
  console.error(
    'usage: logout-revokes.mjs --app <url> --issuer <url> [--route /me] [--forbidden <route>] [--socket]',
  );
  process.exit(2);
}
const appUrl = values.app.replace(/\/$/, '');
const issuerUrl = values.issuer.replace(/\/$/, '');
const deadlineMs = Number(values['deadline-ms']);

/** A step that did not go as the scenario expects. */
class StepFailed extends Error {}

async function call(url, { method = 'GET', body, token } = {}) {
  const headers = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const response = await fetch(url, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(5_000),
  });
  const text = await response.text();
  let json;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, body: json };
}

function expectStatus(step, result, status) {
  if (result.status !== status) {
    throw new StepFailed(
      `${step}: expected HTTP ${status}, got ${result.status} ${JSON.stringify(result.body)}`,
    );
  }
}

const subjectOf = (token) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')).sub;

/** Resolves with `value()` once it is not undefined; rejects after the deadline. */
async function poll(step, value, intervalMs = 20) {
  const deadline = Date.now() + deadlineMs;
  let last;
  while (Date.now() < deadline) {
    last = await value();
    if (last?.done) return last.value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new StepFailed(
    `${step}: not within ${deadlineMs} ms (last: ${JSON.stringify(last?.seen)})`,
  );
}

function openSocket(token) {
  const socket = io(appUrl, { auth: { token }, transports: ['websocket'], reconnection: false });
  const revoked = new Promise((resolve) =>
    socket.once('revoked', (payload) => resolve({ payload, at: performance.now() })),
  );
  const disconnected = new Promise((resolve) =>
    socket.once('disconnect', (reason) => resolve({ reason, at: performance.now() })),
  );
  const connected = new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', (error) =>
      reject(
        new StepFailed(
          `socket handshake refused: ${error.message} ${JSON.stringify(error.data ?? {})}`,
        ),
      ),
    );
  });
  return { socket, connected, revoked, disconnected };
}

function withDeadline(step, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new StepFailed(`${step}: not within ${deadlineMs} ms`)),
      deadlineMs,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main() {
  const username = `example-${randomBytes(6).toString('hex')}`;
  const password = 'correct-horse-battery-staple';
  const startedAt = performance.now();

  expectStatus(
    'register',
    await call(`${issuerUrl}/auth/register`, { method: 'POST', body: { username, password } }),
    201,
  );
  const login = await call(`${issuerUrl}/auth/login`, {
    method: 'POST',
    body: { username, password },
  });
  expectStatus('login', login, 200);
  const token = login.body.accessToken;
  const sub = subjectOf(token);
  const loginMs = performance.now() - startedAt;

  const before = await call(`${appUrl}${values.route}`, { token });
  expectStatus(`GET ${values.route} before logout`, before, 200);
  if (before.body?.sub !== sub) {
    throw new StepFailed(
      `GET ${values.route} answered sub ${JSON.stringify(before.body?.sub)}, the token's is ${sub}`,
    );
  }

  if (values.forbidden !== undefined) {
    const refused = await call(`${appUrl}${values.forbidden}`, { token });
    expectStatus(`GET ${values.forbidden} without the role`, refused, 403);
    if (refused.body?.error?.code !== 'INSUFFICIENT_SCOPE') {
      throw new StepFailed(`GET ${values.forbidden}: 403 with ${JSON.stringify(refused.body)}`);
    }
  }

  let live;
  if (values.socket) {
    live = openSocket(token);
    await withDeadline('socket connect', live.connected);
    const answer = await withDeadline('socket whoami', live.socket.emitWithAck('whoami'));
    if (answer?.sub !== sub)
      throw new StepFailed(`socket whoami answered ${JSON.stringify(answer)}`);
  }

  expectStatus('logout', await call(`${issuerUrl}/auth/logout`, { method: 'POST', token }), 204);
  const loggedOutAt = performance.now();

  const refusedAt = await poll(`GET ${values.route} refused with TOKEN_REVOKED`, async () => {
    const after = await call(`${appUrl}${values.route}`, { token });
    const code = after.body?.error?.code;
    if (after.status === 401 && code === 'TOKEN_REVOKED')
      return { done: true, value: performance.now() };
    // Until the rule lands the token is still good; anything else is a failure at once.
    if (after.status !== 200) {
      throw new StepFailed(
        `GET ${values.route} after logout: HTTP ${after.status} ${JSON.stringify(after.body)}`,
      );
    }
    return { done: false, seen: after.status };
  });

  const result = {
    ok: true,
    loginMs: Math.round(loginMs),
    httpRefusedMs: Math.round(refusedAt - loggedOutAt),
  };
  if (live !== undefined) {
    const revoked = await withDeadline('socket revoked event', live.revoked);
    const { code, kind, reason } = revoked.payload ?? {};
    if (code !== 'TOKEN_REVOKED' || kind !== 'session' || reason !== 'logout') {
      throw new StepFailed(`socket revoked payload: ${JSON.stringify(revoked.payload)}`);
    }
    const disconnected = await withDeadline('socket disconnect', live.disconnected);
    result.socketRevokedMs = Math.round(revoked.at - loggedOutAt);
    result.socketClosedMs = Math.round(disconnected.at - loggedOutAt);
    result.disconnectReason = disconnected.reason;
  }
  console.log(JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error instanceof StepFailed ? error.message : error);
    process.exit(1);
  },
);
