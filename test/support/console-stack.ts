/**
 * What the admin console's browser tests run against: a user-service on a fresh PostgreSQL
 * database publishing to a topic of its own on the run's broker, a game-service whose verifier
 * reads that topic, players signed in (each login one session, each session one socket), and a
 * headless Chromium (Debian's `/usr/bin/chromium`, driven by playwright-core; no download).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createGameService, loadConfig as loadGameConfig } from '@revocation-fabric/game-service';
import type { GameService } from '@revocation-fabric/game-service';
import { createTestDatabase, uniqueTopic } from '@revocation-fabric/testkit';
import type { TestDatabase } from '@revocation-fabric/testkit';
import { createUserService, loadConfig as loadUserConfig } from '@revocation-fabric/user-service';
import type { UserService } from '@revocation-fabric/user-service';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { connectGame } from './game-client.js';

/** The browser Debian installs (`apt-get install chromium`); CI installs it too. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
/** Where the pages' screenshots go: git-ignored, never committed. */
export const SCREENSHOT_DIRECTORY = '.cache/console-screenshots';

const ISSUER = 'http://user-service.console.test';
const AUDIENCE = 'revocation-fabric-console-test';
/** The bootstrapped administrator and every test account share this password. */
export const PASSWORD = 'correct horse battery staple';
export const ADMIN = 'root';

/** The running stack. */
export interface ConsoleStack {
  readonly userServiceUrl: string;
  readonly gameUrl: string;
  /** The game-service's verifier's Kafka client id (the fleet view names it). */
  readonly gameClientId: string;
  readonly topic: string;
  stop(): Promise<void>;
}

/** A player's login: its session id and the socket that session holds in the game. */
export interface PlayerSession {
  readonly sessionId: string;
  readonly accessToken: string;
  readonly socket: Socket;
}

/**
 * Starts the user-service (PostgreSQL, bootstrap admin `root`) and a game-service trusting it,
 * both on `topic` of `brokers`; resolves once the game's verifier has replayed the topic.
 */
export async function startConsoleStack(brokers: readonly string[]): Promise<ConsoleStack> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async (): Promise<void> => {
    for (const step of stops.splice(0).reverse()) await step();
  };
  try {
    const database: TestDatabase = await createTestDatabase('postgres', { prefix: 'console' });
    stops.push(() => database.drop());
    const topic = uniqueTopic('console');
    const userService: UserService = createUserService(
      loadUserConfig({
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: '0',
        ISSUER,
        AUDIENCE,
        LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
        KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
        KAFKA_BROKERS: brokers.join(','),
        REVOCATION_TOPIC: topic,
        OUTBOX_POLL_INTERVAL_MS: '100',
        BOOTSTRAP_ADMIN_USERNAME: ADMIN,
        BOOTSTRAP_ADMIN_PASSWORD: PASSWORD,
        ...database.env,
      }),
    );
    await userService.start();
    stops.push(() => userService.stop());
    const userServiceUrl = userService.url ?? '';

    const instanceId = `console-game-${randomBytes(3).toString('hex')}`;
    const game: GameService = createGameService(
      loadGameConfig({
        INSTANCE_ID: instanceId,
        HOST: '127.0.0.1',
        PORT: '0',
        ISSUER,
        AUDIENCE,
        JWKS_URL: `${userServiceUrl}/.well-known/jwks.json`,
        KAFKA_BROKERS: brokers.join(','),
        REVOCATION_TOPIC: topic,
        MOVE_INTERVAL_MS: '0',
        LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
      }),
    );
    await game.start();
    stops.push(() => game.stop());
    await game.ready();
    return {
      userServiceUrl,
      gameUrl: game.url ?? '',
      gameClientId: `${game.config.kafka.clientId}-${instanceId}`,
      topic,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function post<T>(url: string, body: unknown, userAgent: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': userAgent },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Registers `username` (password {@link PASSWORD}); resolves with its id. */
export async function registerPlayer(stack: ConsoleStack, username: string): Promise<string> {
  const { id } = await post<{ id: string }>(
    `${stack.userServiceUrl}/auth/register`,
    { username, password: PASSWORD },
    'console-test',
  );
  return id;
}

/**
 * Signs `username` in from a device named `device` (its user agent, which the console shows)
 * and connects that session's socket to the game; `opened` collects sockets for closing.
 */
export async function playFrom(
  stack: ConsoleStack,
  username: string,
  device: string,
  opened: Socket[],
): Promise<PlayerSession> {
  const tokens = await post<{ accessToken: string; sessionId: string }>(
    `${stack.userServiceUrl}/auth/login`,
    { username, password: PASSWORD },
    device,
  );
  const socket = await connectGame(stack.gameUrl, tokens.accessToken, opened);
  return { sessionId: tokens.sessionId, accessToken: tokens.accessToken, socket };
}

/** Headless Chromium as CI runs it: no sandbox (root in a container), nothing in the background. */
export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: install Debian's (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Saves the page as `.cache/console-screenshots/<name>.png`; resolves with the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIRECTORY, { recursive: true });
  const path = `${SCREENSHOT_DIRECTORY}/${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A username no other test used. */
export function uniquePlayer(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
