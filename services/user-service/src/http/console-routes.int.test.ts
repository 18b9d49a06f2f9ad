/**
 * The admin console's routes over HTTP on both databases: finding accounts (prefix, id,
 * pages, a literal `_`), an account's live sessions, every refusal in the one error body
 * (never a 500), and the page served under its Content-Security-Policy.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, HTTP_STATUS } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import {
  DATABASE_KINDS,
  PASSWORD,
  ROOT_ADMIN_ENVIRONMENT,
  useUserService,
} from '../test-support/harness.js';
import type { Answer, Tokens } from '../test-support/harness.js';

interface ErrorBody {
  error: { code: string; message: string; requestId: string; fields?: { path: string }[] };
}
interface AccountBody {
  id: string;
  username: string;
  status: string;
}
interface UserPage {
  users: AccountBody[];
  next: string | null;
}
interface SessionList {
  sessions: { id: string; current: boolean; userAgent: string | null }[];
}

/** The one error body: code, message, request id, maybe fields; its status from the table. */
function expectError(answer: Answer, status: number, code: ErrorCode): ErrorBody {
  expect(answer.status).toBe(status);
  const body = answer.body as ErrorBody;
  expect(Object.keys(body)).toEqual(['error']);
  expect(ERROR_CODES).toContain(body.error.code);
  expect(body.error.code).toBe(code);
  expect(HTTP_STATUS[code]).toBe(status);
  expect(body.error.requestId).toBe(answer.headers.get('x-request-id'));
  return body;
}

describe.each(DATABASE_KINDS)('the admin console routes on %s', (kind) => {
  const suite = useUserService(kind, `us-console-${kind}`, ROOT_ADMIN_ENVIRONMENT);
  let admin: Tokens;
  let player: Tokens;
  const ids = new Map<string, string>();
  // Sorted as the service sorts them; `con_a` holds the LIKE wildcard `_` literally.
  const names = ['con_a', 'conax', 'conb1', 'conb2', 'conb3', 'other'];

  beforeAll(async () => {
    for (const name of names) ids.set(name, await suite.api.register(name, PASSWORD));
    admin = await suite.api.login('root', PASSWORD);
    player = await suite.api.login('conb1', PASSWORD);
  });

  const get = <T>(path: string, token: string | undefined = admin.accessToken) =>
    suite.api.request<T>('GET', path, { token });

  it('finds accounts by the start of their username, in any case, in username order', async () => {
    const answer = await get<UserPage>('/admin/users?query=CONB');
    expect(answer.status).toBe(200);
    expect(answer.body.users.map((u) => u.username)).toEqual(['conb1', 'conb2', 'conb3']);
    expect(answer.body.users[0]).toEqual({
      id: ids.get('conb1'),
      username: 'conb1',
      roles: ['user'],
      status: 'active',
      createdAt: expect.any(Number),
    });
    expect(answer.body.next).toBeNull();
  });

  it('reads `_` in a query as itself, not as any character', async () => {
    const answer = await get<UserPage>('/admin/users?query=con_');
    expect(answer.body.users.map((u) => u.username)).toEqual(['con_a']);
  });

  it('finds an account by its whole id', async () => {
    const id = ids.get('other') ?? '';
    const answer = await get<UserPage>(`/admin/users?query=${id.toUpperCase()}`);
    expect(answer.body.users.map((u) => u.id)).toEqual([id]);
  });

  it('pages through the matches with `limit` and the `next` cursor', async () => {
    const first = await get<UserPage>('/admin/users?query=con&limit=2');
    expect(first.body.users.map((u) => u.username)).toEqual(['con_a', 'conax']);
    expect(first.body.next).toBe('conax');
    const second = await get<UserPage>(`/admin/users?query=con&limit=2&after=${first.body.next}`);
    expect(second.body.users.map((u) => u.username)).toEqual(['conb1', 'conb2']);
    const last = await get<UserPage>(`/admin/users?query=con&limit=2&after=${second.body.next}`);
    expect(last.body).toEqual({
      users: [expect.objectContaining({ username: 'conb3' })],
      next: null,
    });
  });

  it("lists an account's live sessions and drops one once it is revoked", async () => {
    const second = await suite.api.login('conb2', PASSWORD);
    const third = await suite.api.login('conb2', PASSWORD);
    const path = `/admin/users/${ids.get('conb2')}/sessions`;
    const before = await get<SessionList>(path);
    expect(before.status).toBe(200);
    expect(before.body.sessions.map((s) => s.id).sort()).toEqual(
      [second.sessionId, third.sessionId].sort(),
    );
    expect(before.body.sessions.every((s) => !s.current)).toBe(true);

    const revoked = await suite.api.request('DELETE', `/admin/sessions/${second.sessionId}`, {
      token: admin.accessToken,
    });
    expect(revoked.status).toBe(204);
    const after = await get<SessionList>(path);
    expect(after.body.sessions.map((s) => s.id)).toEqual([third.sessionId]);
  });

  it("marks the asking admin's own session as current", async () => {
    // root was bootstrapped, not registered here: found by name.
    const rootId = (await get<UserPage>('/admin/users?query=root')).body.users[0]?.id ?? '';
    const own = await get<SessionList>(`/admin/users/${rootId}/sessions`);
    expect(own.body.sessions).toContainEqual(
      expect.objectContaining({ id: admin.sessionId, current: true }),
    );
  });

  it('answers 404 for the sessions of an account that does not exist', async () => {
    const answer = await get('/admin/users/00000000-0000-4000-8000-000000000000/sessions');
    expectError(answer, 404, 'NOT_FOUND');
  });

  it('refuses a bad query with 400 naming the parameter, never a 500', async () => {
    const cases: Array<[string, string]> = [
      ['/admin/users', 'query.query'],
      ['/admin/users?query=', 'query.query'],
      ['/admin/users?query=a%25b', 'query.query'],
      [`/admin/users?query=${'a'.repeat(65)}`, 'query.query'],
      ['/admin/users?query=a&query=b', 'query.query'],
      ['/admin/users?query=a&limit=0', 'query.limit'],
      ['/admin/users?query=a&limit=51', 'query.limit'],
      ['/admin/users?query=a&limit=two', 'query.limit'],
      ['/admin/users?query=a&after=%27', 'query.after'],
      ['/admin/users?query=a&sort=name', 'query'],
      ['/admin/users?query[x]=a', 'query.query'],
      ['/admin/users/not-a-uuid/sessions', 'params.userId'],
    ];
    for (const [path, field] of cases) {
      const body = expectError(await get(path), 400, 'INVALID_REQUEST');
      expect(
        body.error.fields?.map((f) => f.path),
        path,
      ).toContain(field);
    }
  });

  it('refuses callers without a token (401) and without the admin role (403)', async () => {
    for (const path of ['/admin/users?query=con', `/admin/users/${ids.get('conb1')}/sessions`]) {
      const anonymous = await suite.api.request('GET', path);
      expectError(anonymous, 401, 'UNAUTHORIZED');
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
      expectError(await get(path, player.accessToken), 403, 'FORBIDDEN');
    }
  });

  it('serves the page, its module and its stylesheet under a CSP that allows nothing inline', async () => {
    const page = await get<string>('/admin/console', undefined);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    // Every script is a file of its own: no inline code for the CSP to refuse.
    const scripts = page.body.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts).toEqual(['<script type="module" src="/admin/console/console.js">']);
    expect(page.body).not.toMatch(/\son[a-z]+=/);

    const script = await get<string>('/admin/console/console.js', undefined);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
    const styles = await get<string>('/admin/console/console.css', undefined);
    expect(styles.headers.get('content-type')).toMatch(/^text\/css/);
  });
});
