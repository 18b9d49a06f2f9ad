/**
 * The admin console in a real browser (headless Chromium, Debian's, driven by playwright-core)
 * against the real services: the user-service on PostgreSQL publishing to the run's Kafka, and
 * a game-service whose verifier reads that topic, with players' socket.io clients connected.
 * What the page does is asserted where it lands: a revoke clicked in the page cuts the game's
 * socket of that session, and only that one; a ban cuts every socket of the account. The
 * keyboard test drives sign-in → search → revoke with Tab and Enter alone. Each page state is
 * saved to `.cache/console-screenshots/` (git-ignored).
 */
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  ADMIN,
  PASSWORD,
  launchBrowser,
  playFrom,
  registerPlayer,
  screenshot,
  startConsoleStack,
  uniquePlayer,
} from '../support/console-stack.js';
import type { ConsoleStack } from '../support/console-stack.js';
import { cutOf, served } from '../support/game-client.js';

const brokers = inject('kafkaBrokers');
/** A page reacting to a click: an API round trip and a render, ms. */
const PAGE_TIMEOUT_MS = 15_000;

let stack: ConsoleStack;
let browser: Browser;
const sockets: Socket[] = [];
const pages: Page[] = [];
/** What the page reported as broken (script errors, CSP refusals), per page. */
const problems = new Map<Page, string[]>();

beforeAll(async () => {
  stack = await startConsoleStack(brokers);
  browser = await launchBrowser();
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  for (const page of pages.splice(0)) {
    // A script error or a CSP refusal anywhere in the test fails it.
    expect(problems.get(page) ?? []).toEqual([]);
    await page.context().close();
  }
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

interface Tokens {
  readonly accessToken: string;
  readonly sessionId: string;
}

/** Signs in outside the page (an API client of its own). */
async function loginAs(username: string): Promise<Tokens> {
  const response = await fetch(`${stack.userServiceUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Tokens;
}

/** Calls the user-service's admin API outside the page. */
async function adminCall(
  tokens: Tokens,
  method: string,
  path: string,
  json?: unknown,
): Promise<Response> {
  return fetch(`${stack.userServiceUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${tokens.accessToken}`,
      ...(json === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
}

/** A fresh browser context on the console's page. */
async function openConsole(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(PAGE_TIMEOUT_MS);
  pages.push(page);
  const seen: string[] = [];
  problems.set(page, seen);
  page.on('pageerror', (error) => seen.push(error.message));
  page.on('console', (message) => {
    // An API answering 4xx is logged by Chromium as a failed load: the page shows those itself.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      seen.push(message.text());
    }
  });
  await page.goto(`${stack.userServiceUrl}/admin/console`);
  return page;
}

async function signIn(page: Page, username: string): Promise<void> {
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Waits for the live region to say `text`. */
async function announced(page: Page, text: string): Promise<void> {
  await page.getByRole('status').filter({ hasText: text }).waitFor();
}

/** Searches for `username` and opens its sessions. */
async function openSessionsOf(page: Page, username: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Username prefix or user id' }).fill(username);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('button', { name: `Show sessions of ${username}` }).click();
  await page.getByRole('heading', { name: `Sessions of ${username}` }).waitFor();
}

/**
 * Runs in the page (a string: the tests are compiled without the DOM's types): the focused
 * element's name as its label, `aria-label` or text gives it, and whether its focus is drawn.
 */
const FOCUSED_IN_PAGE = `(() => {
  const element = document.activeElement;
  if (element === null) return { name: '', outlined: false };
  const label =
    element.getAttribute('aria-label') ?? element.labels?.[0]?.textContent ?? element.textContent ?? '';
  const style = getComputedStyle(element);
  return { name: label.trim(), outlined: style.outlineStyle !== 'none' && style.outlineWidth !== '0px' };
})()`;

/** The accessible name of the focused element, and whether its focus is drawn. */
function focused(page: Page): Promise<{ name: string; outlined: boolean }> {
  return page.evaluate<{ name: string; outlined: boolean }>(FOCUSED_IN_PAGE);
}

/** Waits until the control named `name` has the focus (the page moves it after an answer). */
async function focusMovesTo(page: Page, name: string): Promise<void> {
  const deadline = Date.now() + PAGE_TIMEOUT_MS;
  while ((await focused(page)).name !== name) {
    if (Date.now() > deadline) throw new Error(`focus never reached "${name}"`);
    await page.waitForTimeout(50);
  }
}

/** Presses Tab until the control named `name` has the focus (it must be reachable). */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let presses = 0; presses < 40; presses += 1) {
    const now = await focused(page);
    if (now.name === name) {
      expect(now.outlined, `focus on "${name}" is visible`).toBe(true);
      return;
    }
    await page.keyboard.press('Tab');
  }
  throw new Error(`"${name}" is not reachable with Tab`);
}

describe('the admin console in headless Chromium', () => {
  it('signs an admin in, and refuses a non-admin with a message', async () => {
    const player = uniquePlayer('plain');
    await registerPlayer(stack, player);
    const page = await openConsole();
    await screenshot(page, '01-sign-in');

    await signIn(page, player);
    await page
      .getByRole('alert')
      .filter({ hasText: `${player} is not an administrator: the console needs the admin role.` })
      .waitFor();
    expect(await page.locator('#workspace').isHidden()).toBe(true);
    await screenshot(page, '02-non-admin-refused');

    await page.getByLabel('Password').fill('not the password at all');
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor();

    await signIn(page, ADMIN);
    await page.getByText(`Signed in as ${ADMIN}`, { exact: true }).waitFor();
    expect(await page.locator('#sign-in-error').textContent()).toBe('');
    await page.getByRole('searchbox', { name: 'Username prefix or user id' }).waitFor();
  });

  it("revokes one session in the page: the game cuts that session's socket, the other stays served", async () => {
    const player = uniquePlayer('duo');
    await registerPlayer(stack, player);
    const phone = await playFrom(stack, player, 'phone', sockets);
    const laptop = await playFrom(stack, player, 'laptop', sockets);
    const phoneCut = cutOf(phone.socket);
    const page = await openConsole();
    await signIn(page, ADMIN);
    await page.getByRole('searchbox', { name: 'Username prefix or user id' }).fill(player);
    await page.getByRole('button', { name: 'Search' }).click();
    await announced(page, '1 account found.');
    await screenshot(page, '03-search-results');
    await page.getByRole('button', { name: `Show sessions of ${player}` }).click();
    const revokePhone = page.getByRole('button', { name: `Revoke session ${phone.sessionId}` });
    await revokePhone.waitFor();
    expect(await page.locator('#sessions-table tbody tr').count()).toBe(2);
    await screenshot(page, '04-sessions');

    await revokePhone.click();
    await announced(page, `Session ${phone.sessionId} revoked.`);
    expect(await phoneCut).toEqual({
      revoked: { code: 'TOKEN_REVOKED', kind: 'session', reason: 'admin' },
      reason: 'io server disconnect',
    });
    // The other session's socket is still served: a round trip after the cut.
    expect(await served(laptop.socket)).toBe(true);
    await revokePhone.waitFor({ state: 'detached' });
    expect(await page.locator('#sessions-table tbody tr').count()).toBe(1);
    await page.getByRole('button', { name: `Revoke session ${laptop.sessionId}` }).waitFor();
    await screenshot(page, '05-session-revoked');
  });

  it('revokes every session of an account at once: all its sockets are cut, not another account’s', async () => {
    const [player, bystander] = [uniquePlayer('all'), uniquePlayer('bystander')];
    await Promise.all([registerPlayer(stack, player), registerPlayer(stack, bystander)]);
    const devices = await Promise.all(
      ['watch', 'console'].map((device) => playFrom(stack, player, device, sockets)),
    );
    const other = await playFrom(stack, bystander, 'phone', sockets);
    const cuts = devices.map((device) => cutOf(device.socket));
    const page = await openConsole();
    await signIn(page, ADMIN);
    await openSessionsOf(page, player);

    await page.getByRole('button', { name: 'Revoke all sessions' }).click();
    await announced(page, `Every session and token of ${player} revoked.`);
    for (const cut of await Promise.all(cuts)) {
      expect(cut.revoked).toEqual({ code: 'TOKEN_REVOKED', kind: 'subject', reason: 'admin' });
    }
    expect(await served(other.socket)).toBe(true);
    await page.getByText('No live session.').waitFor();
  });

  it('bans an account after a confirmation: every socket of it is cut', async () => {
    const player = uniquePlayer('banned');
    await registerPlayer(stack, player);
    const devices = await Promise.all(
      ['tablet', 'desktop'].map((device) => playFrom(stack, player, device, sockets)),
    );
    const cuts = devices.map((device) => cutOf(device.socket));
    const page = await openConsole();
    await signIn(page, ADMIN);
    await openSessionsOf(page, player);

    await page.getByRole('button', { name: 'Ban', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Ban this account?' });
    await dialog.waitFor();
    await screenshot(page, '06-ban-dialog');
    // Cancelling does nothing: the sockets are still served.
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await announced(page, 'Ban cancelled.');
    expect(await served(devices[0]!.socket)).toBe(true);

    await page.getByRole('button', { name: 'Ban', exact: true }).click();
    await dialog.getByRole('button', { name: 'Ban the account' }).click();
    await announced(page, `${player} banned; every session revoked.`);
    for (const cut of await Promise.all(cuts)) {
      expect(cut).toEqual({
        revoked: { code: 'TOKEN_REVOKED', kind: 'subject', reason: 'ban' },
        reason: 'io server disconnect',
      });
    }
    await page.getByText('No live session.').waitFor();
    await screenshot(page, '07-banned');
  });

  it('is driven by the keyboard alone, every control named: sign in, search, revoke', async () => {
    const player = uniquePlayer('keys');
    await registerPlayer(stack, player);
    const session = await playFrom(stack, player, 'console-keyboard', sockets);
    const cut = cutOf(session.socket);
    const page = await openConsole();

    // The sign-in form's controls are named; nothing unnamed on the page.
    expect(await page.getByRole('textbox', { name: 'Username', exact: true }).count()).toBe(1);
    expect(await page.getByLabel('Password', { exact: true }).getAttribute('type')).toBe(
      'password',
    );
    expect(await page.getByRole('button', { name: 'Sign in', exact: true }).count()).toBe(1);
    expect(await page.locator('body').ariaSnapshot()).not.toMatch(
      /- (button|textbox|searchbox|combobox|checkbox)(?! ")/,
    );
    // The username field has the focus on arrival; nothing but keys from here on.
    await tabTo(page, 'Username');
    await page.keyboard.type(ADMIN);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByText(`Signed in as ${ADMIN}`, { exact: true }).waitFor();
    // Focus moves on to the search.
    await focusMovesTo(page, 'Username prefix or user id');
    await page.keyboard.type(player);
    await page.keyboard.press('Enter');
    await announced(page, '1 account found.');
    await tabTo(page, `Show sessions of ${player}`);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `Sessions of ${player}` }).waitFor();
    // Focus moves to the sessions' heading, from where the revoke buttons are next.
    await focusMovesTo(page, `Sessions of ${player}`);
    await tabTo(page, `Revoke session ${session.sessionId}`);
    await screenshot(page, '08-keyboard-focus');
    // Every control of every panel has an accessible name; the ones the flows use, by role.
    for (const [role, name] of [
      ['button', 'Sign out'],
      ['searchbox', 'Username prefix or user id'],
      ['button', 'Search'],
      ['button', `Show sessions of ${player}`],
      ['button', 'Revoke all sessions'],
      ['button', 'Ban'],
      ['button', `Revoke session ${session.sessionId}`],
      ['table', 'Matching accounts'],
      ['table', 'Live sessions'],
      ['table', 'Recent revocations and their receipts'],
      ['table', 'Verifiers reading the revocation topic'],
    ] as const) {
      expect(await page.getByRole(role, { name, exact: true }).count(), `${role} "${name}"`).toBe(
        1,
      );
    }
    const tree = await page.locator('body').ariaSnapshot();
    expect(tree).toContain('- button "Revoke all sessions"');
    expect(tree).not.toMatch(/- (button|textbox|searchbox|combobox|checkbox)(?! ")/);
    await page.keyboard.press('Enter');
    await announced(page, `Session ${session.sessionId} revoked.`);
    expect((await cut).revoked).toEqual({
      code: 'TOKEN_REVOKED',
      kind: 'session',
      reason: 'admin',
    });
  });

  it("lists the game-service's verifier in the fleet, and a revocation made in the page in the feed with its receipt", async () => {
    const player = uniquePlayer('feed');
    await registerPlayer(stack, player);
    const session = await playFrom(stack, player, 'console-feed', sockets);
    const cut = cutOf(session.socket);
    const page = await openConsole();
    await signIn(page, ADMIN);
    // The fleet: the game's verifier is a consumer group of the topic, its client id named.
    const game = page.locator('#fleet-table tbody tr', { hasText: stack.gameClientId });
    await game.waitFor();
    expect(await game.locator('td').nth(2).textContent()).toBe('127.0.0.1');

    await openSessionsOf(page, player);
    await page.getByRole('button', { name: `Revoke session ${session.sessionId}` }).click();
    // The action waits for the receipt (Prefer: wait=applied) and says how far it got.
    await announced(page, `Session ${session.sessionId} revoked. Applied by`);
    expect(await page.getByRole('status').textContent()).toMatch(
      /Applied by (\d+) of \1 verifiers?\.$/,
    );
    await cut;
    // The feed: the revocation, applied by every live verifier; the game's lag back to 0.
    const event = page.locator('#feed-table tbody tr', { hasText: session.sessionId });
    await event.locator('.applied-all').waitFor();
    expect(await event.locator('td').allTextContents()).toEqual([
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/),
      'session',
      session.sessionId,
      'admin',
      expect.any(String),
      expect.stringMatching(/^(\d+) of \1$/),
      '—',
    ]);
    await game.locator('td', { hasText: /^0$/ }).waitFor();
    await screenshot(page, '09-fleet-and-feed');
  });

  it('refreshes when its access token is revoked, and signs out when its session is revoked', async () => {
    const player = uniquePlayer('lookup');
    await registerPlayer(stack, player);
    const page = await openConsole();
    const login = page.waitForResponse((r) => r.url().endsWith('/auth/login'));
    await signIn(page, ADMIN);
    const consoleTokens = (await (await login).json()) as Tokens;
    await page.getByText(`Signed in as ${ADMIN}`, { exact: true }).waitFor();
    // Another admin session, outside the page, revokes the page's access token...
    const other = await loginAs(ADMIN);
    expect(
      (await adminCall(other, 'POST', '/admin/tokens/revoke', { token: consoleTokens.accessToken }))
        .status,
    ).toBe(200);
    // ...the page's next call is refused, it refreshes once and carries on.
    const refreshed = page.waitForResponse((r) => r.url().endsWith('/auth/refresh'));
    await page.getByRole('searchbox', { name: 'Username prefix or user id' }).fill(player);
    await page.getByRole('button', { name: 'Search' }).click();
    expect((await refreshed).status()).toBe(200);
    await announced(page, '1 account found.');

    // Its session revoked, a refresh cannot help: the page signs out and says why.
    expect(
      (await adminCall(other, 'DELETE', `/admin/sessions/${consoleTokens.sessionId}`)).status,
    ).toBe(204);
    await page.getByRole('button', { name: 'Search' }).click();
    await announced(page, 'Your session ended; sign in again.');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.locator('#workspace').isHidden()).toBe(true);
  });
});
