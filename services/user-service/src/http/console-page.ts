/**
 * The admin console's page: plain HTML, one stylesheet and one ES module the browser loads as
 * they are (no framework, no bundler), from the package's `console/` folder. Served under a
 * Content-Security-Policy that allows nothing inline and nothing from elsewhere, so the page's
 * only code is its module and its only peer this service.
 */
import { readFileSync } from 'node:fs';
import type { Route } from './route.js';
import { defineRoute } from './route.js';

/** The console's files: `services/user-service/console/`, beside `src/` and `dist/`. */
const CONSOLE_DIRECTORY = new URL('../../console/', import.meta.url);

/** Nothing inline, nothing from another origin; the API is this service's. */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

interface ConsoleFile {
  readonly name: string;
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly contentType: string;
}

const FILES: readonly ConsoleFile[] = [
  {
    name: 'index.html',
    path: '/admin/console',
    operationId: 'consolePage',
    summary: 'The admin console (a web page)',
    contentType: 'text/html; charset=utf-8',
  },
  {
    name: 'console.js',
    path: '/admin/console/console.js',
    operationId: 'consoleScript',
    summary: 'The admin console’s ES module',
    contentType: 'text/javascript; charset=utf-8',
  },
  {
    name: 'console.css',
    path: '/admin/console/console.css',
    operationId: 'consoleStyles',
    summary: 'The admin console’s stylesheet',
    contentType: 'text/css; charset=utf-8',
  },
];

/**
 * Routes serving the console's page, module and stylesheet. The files are read once, here: a
 * deployment without them fails at start, not at the first admin's visit.
 *
 * @example
 * ```ts
 * routes.push(...consolePageRoutes());
 * ```
 */
export function consolePageRoutes(): Route[] {
  return FILES.map((file) => {
    const content = readFileSync(new URL(file.name, CONSOLE_DIRECTORY), 'utf8');
    const headers = {
      'Content-Type': file.contentType,
      'Content-Security-Policy': CONSOLE_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
    };
    return defineRoute({
      method: 'get',
      path: file.path,
      operationId: file.operationId,
      summary: file.summary,
      description: 'Public: the console holds no data; it calls the admin endpoints.',
      tags: ['console'],
      auth: 'none',
      responses: {
        200: {
          description: file.name,
          content: { [file.contentType.split(';')[0] ?? file.contentType]: {} },
        },
      },
      handle: () => Promise.resolve({ status: 200, headers, body: content }),
    });
  });
}
