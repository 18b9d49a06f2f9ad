/* global document, fetch, atob, URLSearchParams, HTMLElement, HTMLInputElement, HTMLTableElement, HTMLDialogElement */
// The admin console: sign in, find a user, their sessions (revoke one, revoke all, ban), a live
// feed of revocations with their receipts and the fleet of verifiers. A plain ES module the
// browser loads as it is; every answer of the API is the service's one error body, shown in the
// live region. The tokens live in this module's memory only: closing the tab signs out.

/** How often the feed and the fleet are read again, ms. */
const POLL_MS = 2000;
/** How many of the latest revocations the feed shows. */
const FEED_LENGTH = 20;
/**
 * Revocations are answered once every live verifier has applied them (or after this bound, s),
 * so each action's result says how far it got.
 */
const PREFER_APPLIED = 'wait=applied; timeout=5';

/**
 * @typedef {{ accessToken: string, refreshToken: string, sessionId: string }} Tokens
 * @typedef {{ id: string, username: string, roles: string[], status: string, createdAt: number }} Account
 * @typedef {{ id: string, current: boolean, createdAt: number, lastUsedAt: number, authTime: number,
 *   userAgent: string | null, clientAddress: string | null }} Session
 * @typedef {{ groupId: string, clientId?: string, host?: string, behind?: number }} VerifierRef
 * @typedef {{ applied: number | VerifierRef[], of: number, complete?: boolean,
 *   pending?: VerifierRef[], laggards?: VerifierRef[] }} Receipt
 * @typedef {{ eventId?: string, kind?: string, target?: string, reason?: string, actor?: string,
 *   issuer?: string, issuedAt?: number, timestamp?: number, partition?: number, offset?: number,
 *   invalid?: { code: string, message: string }, receipt?: Receipt }} RevocationRow
 * @typedef {VerifierRef & { committed?: Record<string, number>, lag?: number, state?: string }} VerifierRow
 * @typedef {{ topic?: string, readAt?: number, partitions?: { partition: number, high: number }[],
 *   verifiers?: VerifierRow[] }} FleetView
 */

/** @type {Tokens | undefined} */
let tokens;
/** @type {Account | undefined} */
let selected;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let poll;

/**
 * The element with `id`, of the given kind.
 * @template {HTMLElement} T
 * @param {string} id
 * @param {new () => T} kind
 * @returns {T}
 */
function byId(id, kind) {
  const element = document.getElementById(id);
  if (!(element instanceof kind)) throw new Error(`#${id} is missing`);
  return element;
}

const el = (/** @type {string} */ id) => byId(id, HTMLElement);

/** Says `message` in the live region (screen readers read it; so do tests). */
function announce(/** @type {string} */ message) {
  el('status').textContent = message;
}

/** An API failure, carrying the one error body's code and message. */
class ApiError extends Error {
  /** @param {number} status @param {string} code @param {string} message */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * Calls the API with the admin's token; refreshes it once on a 401.
 * @param {string} method
 * @param {string} path
 * @param {{ json?: unknown, token?: string | false, prefer?: string }} [options]
 * @returns {Promise<any>}
 */
async function api(method, path, options = {}) {
  if (options.token === undefined && tokens === undefined) throw new SignedOut();
  const token = options.token === undefined ? tokens?.accessToken : options.token;
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  if (options.prefer !== undefined) headers.prefer = options.prefer;
  const response = await fetch(path, {
    method,
    headers,
    body: options.json === undefined ? undefined : JSON.stringify(options.json),
  });
  if (response.status === 401 && options.token === undefined && token) {
    // Another call may have refreshed meanwhile; else refresh now (once for all callers).
    if (tokens !== undefined && tokens.accessToken !== token) return api(method, path, options);
    if (await refresh()) return api(method, path, options);
    throw new SignedOut();
  }
  const text = await response.text();
  const body = text === '' ? undefined : JSON.parse(text);
  if (!response.ok) {
    const error = body?.error ?? {};
    throw new ApiError(
      response.status,
      error.code ?? 'HTTP_' + response.status,
      error.message ?? response.statusText,
    );
  }
  return body;
}

/** The session ended while a call was under way: the page has signed out and said so. */
class SignedOut extends Error {
  constructor() {
    super('signed out');
  }
}

/** @type {Promise<boolean> | undefined} */
let refreshing;

/**
 * Exchanges the refresh token for a new pair; false when the session is over (then signs out).
 * One exchange at a time: the feed and the fleet are read together, and a refresh token used
 * twice is reuse, which ends the session.
 */
function refresh() {
  refreshing ??= exchangeRefreshToken().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

async function exchangeRefreshToken() {
  const current = tokens;
  if (current === undefined) return false;
  try {
    const pair = await api('POST', '/auth/refresh', {
      json: { refreshToken: current.refreshToken },
      token: false,
    });
    if (tokens === current) tokens = { ...current, ...pair };
    return tokens !== undefined;
  } catch {
    if (tokens === current) signOut('Your session ended; sign in again.');
    return false;
  }
}

/** The claims of a JWT (read, not verified: the server verifies every call). */
function claimsOf(/** @type {string} */ jwt) {
  const part = jwt.split('.')[1] ?? '';
  return JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
}

const when = (/** @type {number | undefined} */ ms) =>
  ms === undefined ? '—' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';

/**
 * A table cell with `text` (or child nodes).
 * @param {string | Node} content
 * @param {string} [className]
 */
function cell(content, className) {
  const td = document.createElement('td');
  if (className) td.className = className;
  td.append(content);
  return td;
}

function code(/** @type {string} */ text) {
  const element = document.createElement('code');
  element.textContent = text;
  return element;
}

/**
 * A real button with an accessible name.
 * @param {string} text
 * @param {string} label
 * @param {() => void} onClick
 * @param {string} [className]
 */
function button(text, label, onClick, className) {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = text;
  element.setAttribute('aria-label', label);
  if (className) element.className = className;
  element.addEventListener('click', onClick);
  return element;
}

// --- signing in and out ---------------------------------------------------------------------

async function signIn(/** @type {SubmitEvent} */ event) {
  event.preventDefault();
  const error = el('sign-in-error');
  error.textContent = '';
  const username = byId('username', HTMLInputElement).value;
  const password = byId('password', HTMLInputElement).value;
  try {
    const pair = await api('POST', '/auth/login', { json: { username, password }, token: false });
    const roles = claimsOf(pair.accessToken).roles ?? [];
    if (!roles.includes('admin')) {
      // End the session just opened: a non-admin has nothing to do here.
      await api('POST', '/auth/logout', { token: pair.accessToken }).catch(() => undefined);
      error.textContent = `${username} is not an administrator: the console needs the admin role.`;
      return;
    }
    tokens = pair;
    byId('password', HTMLInputElement).value = '';
    el('sign-in').hidden = true;
    el('workspace').hidden = false;
    el('signed-in-as').textContent = `Signed in as ${username}`;
    el('signed-in-as').hidden = false;
    el('sign-out').hidden = false;
    announce(`Signed in as ${username}.`);
    byId('user-query', HTMLInputElement).focus();
    void refreshLiveViews();
  } catch (failure) {
    error.textContent =
      failure instanceof ApiError && failure.status === 401
        ? 'Wrong username or password.'
        : `Sign-in failed: ${failure instanceof Error ? failure.message : String(failure)}`;
  }
}

function signOut(/** @type {string} */ message) {
  const ending = tokens;
  tokens = undefined;
  selected = undefined;
  clearTimeout(poll);
  if (ending)
    void api('POST', '/auth/logout', { token: ending.accessToken }).catch(() => undefined);
  el('workspace').hidden = true;
  el('user-panel').hidden = true;
  el('signed-in-as').hidden = true;
  el('sign-out').hidden = true;
  el('sign-in').hidden = false;
  announce(message);
  byId('username', HTMLInputElement).focus();
}

// --- users and sessions ---------------------------------------------------------------------

async function search(/** @type {SubmitEvent} */ event) {
  event.preventDefault();
  const query = byId('user-query', HTMLInputElement).value.trim();
  if (query === '') return;
  try {
    const page = await api('GET', `/admin/users?${new URLSearchParams({ query, limit: '20' })}`);
    renderUsers(page.users, page.next !== null);
  } catch (failure) {
    report('Search failed', failure);
  }
}

function renderUsers(/** @type {Account[]} */ users, /** @type {boolean} */ more) {
  const table = byId('users-table', HTMLTableElement);
  const body = table.tBodies[0];
  body?.replaceChildren(
    ...users.map((user) => {
      const row = document.createElement('tr');
      row.append(
        cell(user.username),
        cell(user.status),
        cell(user.roles.join(', ')),
        cell(code(user.id)),
        cell(
          button(
            'Sessions',
            `Show sessions of ${user.username}`,
            () => void openUser(user),
            'secondary',
          ),
        ),
      );
      return row;
    }),
  );
  table.hidden = users.length === 0;
  el('users-empty').hidden = users.length > 0;
  announce(
    users.length === 0
      ? 'No account matches.'
      : `${users.length} account${users.length === 1 ? '' : 's'} found${more ? ' (more: refine the search)' : ''}.`,
  );
}

async function openUser(/** @type {Account} */ user) {
  selected = user;
  el('user-name').textContent = user.username;
  el('user-facts').textContent =
    `Status: ${user.status} · roles: ${user.roles.join(', ')} · id ${user.id}`;
  el('user-panel').hidden = false;
  await loadSessions();
  el('user-title').focus();
}

async function loadSessions() {
  if (selected === undefined) return;
  try {
    const { sessions } = await api('GET', `/admin/users/${selected.id}/sessions`);
    renderSessions(sessions);
  } catch (failure) {
    report('Reading the sessions failed', failure);
  }
}

function renderSessions(/** @type {Session[]} */ sessions) {
  const table = byId('sessions-table', HTMLTableElement);
  table.tBodies[0]?.replaceChildren(
    ...sessions.map((session) => {
      const row = document.createElement('tr');
      row.dataset.sessionId = session.id;
      const client = [session.userAgent, session.clientAddress].filter(Boolean).join(' · ');
      row.append(
        cell(code(session.id)),
        cell(when(session.authTime)),
        cell(when(session.lastUsedAt)),
        cell(client === '' ? '—' : client + (session.current ? ' (this console)' : '')),
        cell(
          button(
            'Revoke',
            `Revoke session ${session.id}`,
            () => void revokeSession(session.id),
            'danger',
          ),
        ),
      );
      return row;
    }),
  );
  table.hidden = sessions.length === 0;
  el('sessions-empty').hidden = sessions.length > 0;
}

async function revokeSession(/** @type {string} */ sid) {
  try {
    const answer = await api('DELETE', `/admin/sessions/${sid}`, { prefer: PREFER_APPLIED });
    announce(`Session ${sid} revoked.${receiptText(answer?.receipt)}`);
  } catch (failure) {
    report(`Revoking session ${sid} failed`, failure);
  }
  await loadSessions();
  // Focus goes on to the next session's button, or back to the panel's heading.
  const next = document.querySelector('#sessions-table tbody button');
  (next instanceof HTMLElement ? next : el('user-title')).focus();
}

async function revokeAll() {
  if (selected === undefined) return;
  const user = selected;
  try {
    const answer = await api('POST', `/admin/users/${user.id}/revoke`, { prefer: PREFER_APPLIED });
    announce(`Every session and token of ${user.username} revoked.${receiptText(answer?.receipt)}`);
  } catch (failure) {
    report(`Revoking ${user.username}'s sessions failed`, failure);
  }
  await loadSessions();
}

function askBan() {
  if (selected === undefined) return;
  el('ban-text').textContent =
    `${selected.username} will be signed out everywhere and refused at sign-in until unbanned.`;
  byId('ban-dialog', HTMLDialogElement).showModal();
}

async function ban() {
  byId('ban-dialog', HTMLDialogElement).close();
  if (selected === undefined) return;
  const user = selected;
  try {
    const answer = await api('POST', `/admin/users/${user.id}/ban`, { prefer: PREFER_APPLIED });
    selected = { ...user, status: 'banned' };
    el('user-facts').textContent =
      `Status: banned · roles: ${user.roles.join(', ')} · id ${user.id}`;
    announce(`${user.username} banned; every session revoked.${receiptText(answer?.receipt)}`);
  } catch (failure) {
    report(`Banning ${user.username} failed`, failure);
  }
  await loadSessions();
  el('ban').focus();
}

/** How many verifiers have applied a revocation, and which have not: a sentence (or nothing). */
function receiptText(/** @type {Receipt | undefined} */ receipt) {
  if (receipt === undefined) return '';
  const applied = Array.isArray(receipt.applied) ? receipt.applied.length : receipt.applied;
  const laggards = receipt.pending ?? receipt.laggards ?? [];
  return (
    ` Applied by ${applied} of ${receipt.of} verifier${receipt.of === 1 ? '' : 's'}.` +
    (laggards.length === 0 ? '' : ` Not yet by ${laggards.map(verifierName).join(', ')}.`)
  );
}

/** Reports a failed action in the live region, with the error body's code. */
function report(/** @type {string} */ what, /** @type {unknown} */ failure) {
  if (failure instanceof SignedOut) return;
  if (failure instanceof ApiError) announce(`${what}: ${failure.message} (${failure.code}).`);
  else announce(`${what}: ${failure instanceof Error ? failure.message : String(failure)}.`);
}

// --- the live views: revocations with receipts, and the fleet --------------------------------

async function refreshLiveViews() {
  if (tokens === undefined) return;
  await Promise.all([loadFeed(), loadFleet()]);
  if (tokens !== undefined) poll = setTimeout(() => void refreshLiveViews(), POLL_MS);
}

/** What a view shows when its endpoint is missing or failing: the reason, not a blank table. */
function unavailable(/** @type {unknown} */ failure) {
  if (failure instanceof SignedOut) return '';
  if (failure instanceof ApiError && (failure.status === 404 || failure.status === 405)) {
    return 'Not served by this user-service yet.';
  }
  return `Unavailable: ${failure instanceof Error ? failure.message : String(failure)}`;
}

async function loadFeed() {
  try {
    const { events } = await api('GET', `/admin/revocations?limit=${FEED_LENGTH}`);
    renderFeed(events);
    el('feed-note').textContent =
      `The latest ${FEED_LENGTH}, read ${when(Date.now())}, every ${POLL_MS / 1000} s.`;
  } catch (failure) {
    el('feed-note').textContent = unavailable(failure);
  }
}

const verifierName = (/** @type {VerifierRef} */ v) =>
  [v.groupId, v.clientId, v.host].filter(Boolean).join(' / ');

function renderFeed(/** @type {RevocationRow[]} */ events) {
  const time = (/** @type {RevocationRow} */ e) => e.issuedAt ?? e.timestamp ?? 0;
  const rows = [...events].sort((a, b) => time(b) - time(a)).slice(0, FEED_LENGTH);
  byId('feed-table', HTMLTableElement).tBodies[0]?.replaceChildren(
    ...rows.map((event) => {
      const row = document.createElement('tr');
      if (event.eventId) row.dataset.eventId = event.eventId;
      const receipt = event.receipt;
      const applied = Array.isArray(receipt?.applied) ? receipt.applied.length : receipt?.applied;
      const done = receipt !== undefined && (receipt.complete ?? (applied ?? 0) >= receipt.of);
      const laggards = receipt?.pending ?? receipt?.laggards ?? [];
      row.append(
        cell(when(time(event))),
        cell(event.kind ?? (event.invalid ? `invalid (${event.invalid.code})` : '?')),
        cell(code(event.target ?? `p${event.partition ?? '?'}@${event.offset ?? '?'}`)),
        cell(event.reason ?? '—'),
        cell(event.actor ? code(event.actor) : '—'),
        cell(
          receipt === undefined ? '—' : `${applied} of ${receipt.of}`,
          receipt === undefined ? undefined : done ? 'applied-all' : 'applied-partial',
        ),
        cell(
          laggards.length === 0
            ? '—'
            : laggards
                .map((v) => verifierName(v) + (v.behind ? ` (${v.behind} behind)` : ''))
                .join(', '),
        ),
      );
      return row;
    }),
  );
}

async function loadFleet() {
  try {
    /** @type {FleetView} */
    const fleet = await api('GET', '/admin/fleet');
    renderFleet(fleet);
    const count = (fleet.verifiers ?? []).length;
    el('fleet-note').textContent =
      `Topic ${fleet.topic ?? '?'}: ${count} live verifier${count === 1 ? '' : 's'}; ` +
      `read ${when(fleet.readAt ?? Date.now())}, every ${POLL_MS / 1000} s.`;
  } catch (failure) {
    el('fleet-note').textContent = unavailable(failure);
  }
}

function renderFleet(/** @type {FleetView} */ fleet) {
  const high = new Map((fleet.partitions ?? []).map((p) => [String(p.partition), p.high]));
  byId('fleet-table', HTMLTableElement).tBodies[0]?.replaceChildren(
    ...(fleet.verifiers ?? []).map((verifier) => {
      const row = document.createElement('tr');
      row.dataset.groupId = verifier.groupId;
      const offsets = Object.entries(verifier.committed ?? {})
        .map(([partition, offset]) => `p${partition}: ${offset}/${high.get(partition) ?? '?'}`)
        .join(', ');
      const state = verifier.state ?? 'unknown';
      row.append(
        cell(code(verifier.groupId)),
        cell(verifier.clientId ?? '—'),
        cell(verifier.host ?? '—'),
        cell(String(verifier.lag ?? '—'), 'number'),
        cell(state, (verifier.lag ?? 0) === 0 ? 'state-live' : 'state-stale'),
        cell(offsets === '' ? '—' : offsets),
      );
      return row;
    }),
  );
}

// --- wiring ---------------------------------------------------------------------------------

byId('sign-in-form', HTMLElement).addEventListener('submit', (e) => void signIn(e));
byId('search-form', HTMLElement).addEventListener('submit', (e) => void search(e));
el('sign-out').addEventListener('click', () => signOut('Signed out.'));
el('revoke-all').addEventListener('click', () => void revokeAll());
el('ban').addEventListener('click', askBan);
el('ban-cancel').addEventListener('click', () => {
  byId('ban-dialog', HTMLDialogElement).close();
  announce('Ban cancelled.');
  el('ban').focus();
});
el('ban-confirm').addEventListener('click', () => void ban());
